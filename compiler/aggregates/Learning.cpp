/// \file
/// The learning functions of `extend over` (LANGUAGE.md §6.2), all
/// test-then-train: each predicts the current record from the frame's
/// records before it, then learns from it. linreg_predict(y, x1..xk) fits
/// least squares on running co-moments; logreg_predict(label, x1..xk,
/// rate: r) and kmeans_assign(x1..xk, k: K) learn online, so they need an
/// unbounded frame. The state and the arithmetic are in
/// runtime/src/aggregate/Learning.cpp; generated code passes the features
/// as an array of f64.

#include "aggregates/Entry.h"

#include <srt/types.h>

#include <cmath>

namespace streamc {
namespace {

/// The values of arguments [from, to) of the record as an f64 array.
llvm::Value *features(AggregateEmitter &e, size_t from, size_t to) {
  llvm::Value *array =
      e.entryAlloca(llvm::ArrayType::get(e.rt.f64, SRT_LEARN_MAX_FEATURES + 1), "x");
  for (size_t i = from; i < to; ++i)
    e.store(e.asF64(e.arg(i), e.argKind(i)), array, static_cast<uint32_t>((i - from) * 8));
  return array;
}

/// Some argument of [from, to) is null.
llvm::Value *anyNull(AggregateEmitter &e, size_t from, size_t to) {
  llvm::Value *null = e.b.getFalse();
  for (size_t i = from; i < to; ++i)
    null = e.b.CreateOr(null, e.arg(i).null);
  return null;
}

/// Arguments [from, to) are numbers.
BuiltinTyping numbers(const AggregateFunction &f, const std::vector<Type> &args, size_t from,
                      Type result) {
  for (size_t i = from; i < args.size(); ++i)
    if (!aggregates::numeric(args, i))
      return aggregates::expectedArg(f, args, i, "a number");
  return aggregates::typed(result);
}

class LinregPredict final : public AggregateFunction {
public:
  LinregPredict()
      : AggregateFunction("linreg_predict", 2, SRT_LEARN_MAX_FEATURES + 1,
                          "linreg_predict(y: number, x1: number, ..., xk: number) -> f64? "
                          "(1 <= k <= 8)",
                          TestThenTrain) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    return numbers(*this, args, 0, Type::f64(true)); // null while undetermined
  }
  uint32_t stateSize(const AggregateCall &) const override { return sizeof(srt_linreg); }

  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    size_t k = e.call().args.size() - 1;
    e.when(e.present(), [&] {
      // The runtime wants x1..xk then y.
      llvm::Value *v = features(e, 1, k + 1);
      e.store(e.asF64(e.arg(0), e.argKind(0)), v, static_cast<uint32_t>(k * 8));
      e.rt.call(e.b, Abi::srt_linreg_add, {e.state, e.b.getInt32(static_cast<int>(k)), v});
    });
  }
  void emitMerge(AggregateEmitter &) const override {} // extend over only: never merged
  Val emitResult(AggregateEmitter &e) const override {
    size_t k = e.call().args.size() - 1;
    llvm::Value *x = features(e, 1, k + 1);
    llvm::Value *y =
        e.rt.call(e.b, Abi::srt_linreg_predict, {e.state, e.b.getInt32(static_cast<int>(k)), x});
    return {y, e.b.CreateOr(anyNull(e, 1, k + 1), e.notFinite(y))};
  }
};

class LogregPredict final : public AggregateFunction {
public:
  LogregPredict()
      : AggregateFunction("logreg_predict", 2, SRT_LEARN_MAX_FEATURES + 1,
                          "logreg_predict(label: bool, x1: number, ..., xk: number, rate: f64 = "
                          "0.1) -> f64? (1 <= k <= 8)",
                          TestThenTrain | UnboundedFrameOnly) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (args[0].kind != TypeKind::Bool)
      return aggregates::expectedArg(*this, args, 0, "a bool (the label)");
    return numbers(*this, args, 1, Type::f64(true));
  }
  std::vector<ConstantArg> constantArgs() const override {
    return {{"rate", 0, "logreg_predict's rate", 0, 1e9, true, 0.1,
             "logreg_predict's rate must be a positive constant, as in rate: 0.05"}};
  }
  uint32_t stateSize(const AggregateCall &) const override { return sizeof(srt_logreg); }

  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    size_t k = e.call().args.size() - 2; // label, x1..xk, then rate
    e.when(e.b.CreateNot(anyNull(e, 0, k + 1)), [&] {
      Val rate = e.named("rate");
      llvm::Value *r = rate.v->getType() == e.rt.f64 ? rate.v : e.b.CreateSIToFP(rate.v, e.rt.f64);
      llvm::Value *label = e.b.CreateUIToFP(e.arg(0).v, e.rt.f64);
      e.rt.call(e.b, Abi::srt_logreg_learn,
                {e.state, e.b.getInt32(static_cast<int>(k)), features(e, 1, k + 1), label, r});
    });
  }
  void emitMerge(AggregateEmitter &) const override {} // extend over only: never merged
  Val emitResult(AggregateEmitter &e) const override {
    size_t k = e.call().args.size() - 2;
    llvm::Value *p = e.rt.call(e.b, Abi::srt_logreg_predict,
                               {e.state, e.b.getInt32(static_cast<int>(k)), features(e, 1, k + 1)});
    return {p, e.b.CreateOr(anyNull(e, 1, k + 1), e.notFinite(p))};
  }
};

class KmeansAssign final : public AggregateFunction {
public:
  KmeansAssign()
      : AggregateFunction("kmeans_assign", 1, SRT_LEARN_MAX_FEATURES,
                          "kmeans_assign(x1: number, ..., xk: number, k: i64 in [1, 64]) -> i64? "
                          "(1 <= k features <= 8)",
                          TestThenTrain | UnboundedFrameOnly) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    return numbers(*this, args, 0, Type::i64(true)); // null for a null x
  }
  std::vector<ConstantArg> constantArgs() const override {
    return {{"k", 0, "kmeans_assign's k", 1, SRT_KMEANS_MAX_CLUSTERS, false, NAN,
             "kmeans_assign's k must be a constant from 1 to 64, as in k: 3"}};
  }
  uint32_t stateSize(const AggregateCall &) const override { return sizeof(srt_kmeans); }

  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    size_t k = e.call().args.size() - 1;
    e.when(e.b.CreateNot(anyNull(e, 0, k)), [&] {
      e.rt.call(e.b, Abi::srt_kmeans_learn,
                {e.state, e.b.getInt32(static_cast<int>(k)), clusters(e), features(e, 0, k)});
    });
  }
  void emitMerge(AggregateEmitter &) const override {} // extend over only: never merged
  Val emitResult(AggregateEmitter &e) const override {
    size_t k = e.call().args.size() - 1;
    llvm::Value *c =
        e.rt.call(e.b, Abi::srt_kmeans_assign,
                  {e.state, e.b.getInt32(static_cast<int>(k)), clusters(e), features(e, 0, k)});
    return {c, anyNull(e, 0, k)};
  }

private:
  static llvm::Value *clusters(AggregateEmitter &e) {
    Val k = e.named("k");
    return k.v->getType() == e.rt.i64 ? k.v : e.b.CreateFPToSI(k.v, e.rt.i64);
  }
};

} // namespace

const AggregateFunction &linregPredictAggregate() {
  static const LinregPredict entry;
  return entry;
}
const AggregateFunction &logregPredictAggregate() {
  static const LogregPredict entry;
  return entry;
}
const AggregateFunction &kmeansAssignAggregate() {
  static const KmeansAssign entry;
  return entry;
}

} // namespace streamc
