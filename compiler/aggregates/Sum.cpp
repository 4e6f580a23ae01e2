/// \file
/// sum(x) and avg(x): the running sum of the non-null values and their
/// count. A sum that overflows i64, or an f64 sum that becomes infinite,
/// rejects the record (§2) before any aggregate changes.

#include "aggregates/Entry.h"

#include "sema/Evaluate.h"

#include <cstddef>

namespace streamc {
namespace {

/// The state: the sum (i64 bits, or f64 for avg and sums of f64) and the
/// number of values in it; an integer sum also whether states merged into
/// it overflowed (a sliding window's panes, sessions a record bridges): its
/// value is then unknown, and null.
struct SumState {
  int64_t sum;
  int64_t n;
  int64_t lost;
};
constexpr uint32_t kSum = offsetof(SumState, sum), kN = offsetof(SumState, n),
                   kLost = offsetof(SumState, lost);

class Sum final : public AggregateFunction {
public:
  /// \p average: avg, whose sum is an f64 whatever the argument's type.
  Sum(const char *name, const char *signature, bool average)
      : AggregateFunction(name, 1, 1, signature, Mergeable | NullWhenMergeOverflows),
        average_(average) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (average_)
      return aggregates::numeric(args, 0) ? aggregates::typed(Type::f64(args[0].nullable))
                                          : aggregates::expectedArg(*this, args, 0, "a number");
    if (args[0].isNumeric() || args[0].kind == TypeKind::Duration)
      return aggregates::typed(args[0]);
    return aggregates::expectedArg(*this, args, 0, "a number or a duration");
  }
  uint32_t stateSize(const AggregateCall &c) const override {
    bool f64 = average_ || c.args[0]->type.kind == TypeKind::F64;
    return f64 ? offsetof(SumState, lost) : sizeof(SumState);
  }

  std::vector<llvm::Value *> emitCheck(AggregateEmitter &e) const override {
    const Val &x = e.arg(0);
    if (!isF64(e)) { // a lost sum stays null: its garbage rejects nothing
      llvm::Value *lost = e.b.CreateICmpNE(e.load(e.rt.i64, e.state, kLost), e.b.getInt64(0));
      llvm::Value *sum = e.b.CreateSelect(lost, e.b.getInt64(0), e.load(e.rt.i64, e.state, kSum));
      return {e.exprs->overflowChecked(llvm::Intrinsic::sadd_with_overflow, sum, x.v, x.null,
                                       overflowReason(e.call().type.kind, name))};
    }
    llvm::Value *sum = e.b.CreateFAdd(e.load(e.rt.f64, e.state, kSum), e.asF64(x, e.argKind(0)));
    return {e.exprs->finiteChecked(sum, x.null, overflowReason(TypeKind::F64, name))};
  }
  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &checked) const override {
    llvm::Value *present = e.present();
    llvm::Value *old = e.load(checked[0]->getType(), e.state, kSum);
    e.store(e.b.CreateSelect(present, checked[0], old), e.state, kSum);
    e.add(e.state, kN, present);
  }
  void emitMerge(AggregateEmitter &e) const override {
    e.add(e.state, kN, e.load(e.rt.i64, e.other, kN));
    if (isF64(e)) { // an infinite sum is null (emitResult)
      llvm::Value *a = e.load(e.rt.f64, e.state, kSum), *b = e.load(e.rt.f64, e.other, kSum);
      e.store(e.b.CreateFAdd(a, b), e.state, kSum);
      return;
    }
    llvm::Value *a = e.load(e.rt.i64, e.state, kSum), *b = e.load(e.rt.i64, e.other, kSum);
    llvm::Value *sum = e.b.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, a, b);
    e.store(e.b.CreateExtractValue(sum, 0), e.state, kSum);
    llvm::Value *lost = e.b.CreateOr(
        e.b.CreateOr(e.load(e.rt.i64, e.state, kLost), e.load(e.rt.i64, e.other, kLost)),
        e.b.CreateZExt(e.b.CreateExtractValue(sum, 1), e.rt.i64));
    e.store(lost, e.state, kLost);
  }
  Val emitResult(AggregateEmitter &e) const override {
    llvm::Value *n = e.load(e.rt.i64, e.state, kN);
    llvm::Value *empty = e.b.CreateICmpEQ(n, e.b.getInt64(0));
    if (!isF64(e)) // merged states that overflowed: null (§2)
      return {
          e.load(e.rt.i64, e.state, kSum),
          e.b.CreateOr(empty, e.b.CreateICmpNE(e.load(e.rt.i64, e.state, kLost), e.b.getInt64(0)))};
    llvm::Value *sum = e.load(e.rt.f64, e.state, kSum);
    llvm::Value *value = average_ ? e.b.CreateFDiv(sum, e.b.CreateSIToFP(n, e.rt.f64)) : sum;
    // Slices merged may overflow: null, never infinity (§2).
    return {value, e.b.CreateOr(empty, e.notFinite(value))};
  }

private:
  bool isF64(AggregateEmitter &e) const { return average_ || e.argKind(0) == TypeKind::F64; }
  bool average_;
};

} // namespace

const AggregateFunction &sumAggregate() {
  static const Sum entry("sum", "sum(x: number | duration)", false);
  return entry;
}

const AggregateFunction &avgAggregate() {
  static const Sum entry("avg", "avg(x: number) -> f64", true);
  return entry;
}

} // namespace streamc
