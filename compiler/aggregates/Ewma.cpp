/// \file
/// ewma(x, alpha: a) (LANGUAGE.md §6.2): the exponentially weighted moving
/// average in arrival order, s1 = x1, sk = a·xk + (1 − a)·sk−1, 0 < a <= 1.
/// Arrival order is not kept when states merge, so it is not Mergeable: not
/// in sliding or session windows.

#include "aggregates/Entry.h"

#include <cmath>
#include <cstddef>

namespace streamc {
namespace {

struct EwmaState {
  double average;
  int64_t n; ///< the values averaged
};
constexpr uint32_t kAverage = offsetof(EwmaState, average), kN = offsetof(EwmaState, n);

class Ewma final : public AggregateFunction {
public:
  Ewma() : AggregateFunction("ewma", 1, 1, "ewma(x: number, alpha: f64 in (0, 1]) -> f64", 0) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (!aggregates::numeric(args, 0))
      return aggregates::expectedArg(*this, args, 0, "a number");
    return aggregates::typed(Type::f64(args[0].nullable));
  }
  std::vector<ConstantArg> constantArgs() const override {
    return {{"alpha", 0, "ewma's alpha", 0, 1, true, NAN,
             "ewma's alpha must be a constant greater than 0 and at most 1, as in "
             "ewma(x, alpha: 0.3)"}};
  }
  uint32_t stateSize(const AggregateCall &) const override { return sizeof(EwmaState); }

  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    llvm::IRBuilder<> &b = e.b;
    e.when(e.present(), [&] {
      Val alpha = e.named("alpha");
      llvm::Value *a = alpha.v->getType() == e.rt.f64 ? alpha.v : b.CreateSIToFP(alpha.v, e.rt.f64);
      llvm::Value *x = e.asF64(e.arg(0), e.argKind(0));
      llvm::Value *s = e.load(e.rt.f64, e.state, kAverage);
      // As §6.2 writes it (never overflows: a weighted mean of two finite
      // values).
      llvm::Value *oneMinusA = b.CreateFSub(llvm::ConstantFP::get(e.rt.f64, 1.0), a);
      llvm::Value *next = b.CreateFAdd(b.CreateFMul(a, x), b.CreateFMul(oneMinusA, s));
      llvm::Value *first = b.CreateICmpEQ(e.load(e.rt.i64, e.state, kN), b.getInt64(0));
      e.store(b.CreateSelect(first, x, next), e.state, kAverage);
      e.add(e.state, kN, b.getInt64(1));
    });
  }
  void emitMerge(AggregateEmitter &) const override {
    // Never called: sema keeps ewma out of the windows whose states merge.
  }
  Val emitResult(AggregateEmitter &e) const override {
    llvm::Value *empty = e.b.CreateICmpEQ(e.load(e.rt.i64, e.state, kN), e.b.getInt64(0));
    return {e.load(e.rt.f64, e.state, kAverage), empty};
  }
};

} // namespace

const AggregateFunction &ewmaAggregate() {
  static const Ewma entry;
  return entry;
}

} // namespace streamc
