/// \file
/// regr_slope(y, x), regr_intercept(y, x), regr_r2(y, x), corr(y, x),
/// covar_samp(y, x) and covar_pop(y, x) (LANGUAGE.md §6.2), as in SQL: pairs
/// with a null are skipped; null where undefined. The state is the pairs'
/// co-moments (srt_agg_comoments), updated inline by Welford's method, which
/// stays exact under huge offsets; merging and the statistics are in
/// runtime/src/aggregate/CoMoments.cpp.

#include "aggregates/Entry.h"

#include "sema/Evaluate.h"

#include <srt/types.h>

#include <cstddef>

namespace streamc {
namespace {

constexpr uint32_t kN = offsetof(srt_agg_comoments, n),
                   kMeanX = offsetof(srt_agg_comoments, mean_x),
                   kMeanY = offsetof(srt_agg_comoments, mean_y),
                   kM2X = offsetof(srt_agg_comoments, m2_x),
                   kM2Y = offsetof(srt_agg_comoments, m2_y),
                   kCXY = offsetof(srt_agg_comoments, c_xy);

class CoMoments final : public AggregateFunction {
public:
  CoMoments(const char *name, const char *signature, srt_comoment statistic)
      : AggregateFunction(name, 2, 2, signature, Mergeable | CheapMerge), statistic_(statistic) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    for (size_t i = 0; i < 2; ++i)
      if (!aggregates::numeric(args, i))
        return aggregates::expectedArg(*this, args, i, "a number");
    return aggregates::typed(Type::f64(true)); // null where undefined
  }
  uint32_t stateSize(const AggregateCall &) const override { return sizeof(srt_agg_comoments); }

  /// n += 1; dx = x − mean_x; dy = y − mean_y; the means move by dx/n and
  /// dy/n; m2_x += dx·(x − mean_x'), m2_y += dy·(y − mean_y'),
  /// c_xy += dx·(y − mean_y').
  std::vector<llvm::Value *> emitCheck(AggregateEmitter &e) const override {
    llvm::IRBuilder<> &b = e.b;
    llvm::Value *y = e.asF64(e.arg(0), e.argKind(0)), *x = e.asF64(e.arg(1), e.argKind(1));
    llvm::Value *n = b.CreateAdd(e.load(e.rt.i64, e.state, kN), b.getInt64(1));
    llvm::Value *nf = b.CreateSIToFP(n, e.rt.f64);
    llvm::Value *meanX = e.load(e.rt.f64, e.state, kMeanX);
    llvm::Value *meanY = e.load(e.rt.f64, e.state, kMeanY);
    llvm::Value *dx = b.CreateFSub(x, meanX), *dy = b.CreateFSub(y, meanY);
    llvm::Value *newMeanX = b.CreateFAdd(meanX, b.CreateFDiv(dx, nf));
    llvm::Value *newMeanY = b.CreateFAdd(meanY, b.CreateFDiv(dy, nf));
    llvm::Value *dyAfter = b.CreateFSub(y, newMeanY);
    auto grow = [&](uint32_t at, llvm::Value *by) {
      return b.CreateFAdd(e.load(e.rt.f64, e.state, at), by);
    };
    llvm::Value *skipped = b.CreateNot(e.present());
    std::string why = overflowReason(TypeKind::F64, name);
    std::vector<llvm::Value *> next = {n};
    for (llvm::Value *v :
         {newMeanX, newMeanY, grow(kM2X, b.CreateFMul(dx, b.CreateFSub(x, newMeanX))),
          grow(kM2Y, b.CreateFMul(dy, dyAfter)), grow(kCXY, b.CreateFMul(dx, dyAfter))})
      next.push_back(e.exprs->finiteChecked(v, skipped, why));
    return next;
  }
  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &next) const override {
    e.when(e.present(), [&] {
      uint32_t at[] = {kN, kMeanX, kMeanY, kM2X, kM2Y, kCXY};
      for (size_t i = 0; i < next.size(); ++i)
        e.store(next[i], e.state, at[i]);
    });
  }
  void emitMerge(AggregateEmitter &e) const override {
    e.rt.call(e.b, Abi::srt_agg_comoments_merge, {e.state, e.other});
  }
  Val emitResult(AggregateEmitter &e) const override {
    llvm::Value *value =
        e.rt.call(e.b, Abi::srt_agg_comoments_result, {e.state, e.b.getInt32(statistic_)});
    return {value, e.notFinite(value)}; // NaN where undefined
  }

private:
  srt_comoment statistic_;
};

} // namespace

const AggregateFunction &regrSlopeAggregate() {
  static const CoMoments entry("regr_slope", "regr_slope(y: number, x: number) -> f64?",
                               SRT_REGR_SLOPE);
  return entry;
}
const AggregateFunction &regrInterceptAggregate() {
  static const CoMoments entry("regr_intercept", "regr_intercept(y: number, x: number) -> f64?",
                               SRT_REGR_INTERCEPT);
  return entry;
}
const AggregateFunction &regrR2Aggregate() {
  static const CoMoments entry("regr_r2", "regr_r2(y: number, x: number) -> f64?", SRT_REGR_R2);
  return entry;
}
const AggregateFunction &corrAggregate() {
  static const CoMoments entry("corr", "corr(y: number, x: number) -> f64?", SRT_CORR);
  return entry;
}
const AggregateFunction &covarSampAggregate() {
  static const CoMoments entry("covar_samp", "covar_samp(y: number, x: number) -> f64?",
                               SRT_COVAR_SAMP);
  return entry;
}
const AggregateFunction &covarPopAggregate() {
  static const CoMoments entry("covar_pop", "covar_pop(y: number, x: number) -> f64?",
                               SRT_COVAR_POP);
  return entry;
}

} // namespace streamc
