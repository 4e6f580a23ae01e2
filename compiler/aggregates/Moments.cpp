/// \file
/// variance(x) and stddev(x): sample variance and standard deviation from
/// Welford's running moments (srt_agg_moments); slices and sessions merge by
/// Chan et al.'s formula (runtime/src/aggregate/Moments.cpp). Null for fewer
/// than 2 values.

#include "aggregates/Entry.h"

#include "sema/Evaluate.h"

#include <srt/types.h>

#include <cstddef>

namespace streamc {
namespace {

constexpr uint32_t kN = offsetof(srt_agg_moments, n), kMean = offsetof(srt_agg_moments, mean),
                   kM2 = offsetof(srt_agg_moments, m2);

class Moments : public AggregateFunction {
public:
  Moments(const char *name, const char *signature, bool root,
          unsigned flags = Mergeable | CheapMerge)
      : AggregateFunction(name, 1, 1, signature, flags), root_(root) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (!aggregates::numeric(args, 0))
      return aggregates::expectedArg(*this, args, 0, "a number");
    return aggregates::typed(Type::f64(true)); // null for fewer than 2 values
  }
  uint32_t stateSize(const AggregateCall &) const override { return sizeof(srt_agg_moments); }

  /// Welford: n += 1; d = x - mean; mean += d / n; m2 += d * (x - mean).
  std::vector<llvm::Value *> emitCheck(AggregateEmitter &e) const override {
    llvm::IRBuilder<> &b = e.b;
    llvm::Value *n = b.CreateAdd(e.load(e.rt.i64, e.state, kN), b.getInt64(1));
    llvm::Value *x = e.asF64(e.arg(0), e.argKind(0));
    llvm::Value *mean = e.load(e.rt.f64, e.state, kMean);
    llvm::Value *d = b.CreateFSub(x, mean);
    llvm::Value *newMean = b.CreateFAdd(mean, b.CreateFDiv(d, b.CreateSIToFP(n, e.rt.f64)));
    llvm::Value *m2 =
        b.CreateFAdd(e.load(e.rt.f64, e.state, kM2), b.CreateFMul(d, b.CreateFSub(x, newMean)));
    std::string why = overflowReason(TypeKind::F64, name);
    llvm::Value *null = e.arg(0).null;
    return {n, e.exprs->finiteChecked(newMean, null, why), e.exprs->finiteChecked(m2, null, why)};
  }
  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &next) const override {
    e.when(e.present(), [&] {
      e.store(next[0], e.state, kN);
      e.store(next[1], e.state, kMean);
      e.store(next[2], e.state, kM2);
    });
  }
  void emitMerge(AggregateEmitter &e) const override {
    e.rt.call(e.b, Abi::srt_agg_moments_merge, {e.state, e.other});
  }
  Val emitResult(AggregateEmitter &e) const override {
    llvm::IRBuilder<> &b = e.b;
    llvm::Value *n = e.load(e.rt.i64, e.state, kN);
    llvm::Value *var = b.CreateFDiv(e.load(e.rt.f64, e.state, kM2),
                                    b.CreateSIToFP(b.CreateSub(n, b.getInt64(1)), e.rt.f64));
    // Merged slices may overflow: null, never NaN or infinity (§2).
    // Rounding may leave m2 a hair below zero.
    llvm::Value *infinite = e.notFinite(var);
    llvm::Value *zero = llvm::ConstantFP::get(e.rt.f64, 0.0);
    var = b.CreateSelect(b.CreateFCmpOLT(var, zero), zero, var);
    if (root_)
      var = b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, var);
    return {var, b.CreateOr(b.CreateICmpSLT(n, b.getInt64(2)), infinite)};
  }

private:
  bool root_; ///< stddev: the square root of the variance
};

/// zscore(x) (LANGUAGE.md §6.2, extend over only): (x - mean) / stddev of
/// the values before this record's (sample); null with fewer than 2 of
/// them, a zero stddev, or a null x. The same moments, read before the
/// record's value enters them (TestThenTrain).
class Zscore final : public Moments {
public:
  Zscore() : Moments("zscore", "zscore(x: number) -> f64?", false, TestThenTrain | CheapMerge) {}

  Val emitResult(AggregateEmitter &e) const override {
    llvm::IRBuilder<> &b = e.b;
    llvm::Value *n = e.load(e.rt.i64, e.state, kN);
    llvm::Value *var = b.CreateFDiv(e.load(e.rt.f64, e.state, kM2),
                                    b.CreateSIToFP(b.CreateSub(n, b.getInt64(1)), e.rt.f64));
    llvm::Value *sd = b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, var);
    llvm::Value *x = e.asF64(e.arg(0), e.argKind(0));
    llvm::Value *z = b.CreateFDiv(b.CreateFSub(x, e.load(e.rt.f64, e.state, kMean)), sd);
    llvm::Value *zero = llvm::ConstantFP::get(e.rt.f64, 0.0);
    llvm::Value *undefined = b.CreateOr(
        b.CreateOr(b.CreateICmpSLT(n, b.getInt64(2)), b.CreateNot(b.CreateFCmpOGT(var, zero))),
        b.CreateOr(e.arg(0).null, e.notFinite(z)));
    return {z, undefined};
  }
};

} // namespace

const AggregateFunction &varianceAggregate() {
  static const Moments entry("variance", "variance(x: number) -> f64?", false);
  return entry;
}
const AggregateFunction &zscoreAggregate() {
  static const Zscore entry;
  return entry;
}

const AggregateFunction &stddevAggregate() {
  static const Moments entry("stddev", "stddev(x: number) -> f64?", true);
  return entry;
}

} // namespace streamc
