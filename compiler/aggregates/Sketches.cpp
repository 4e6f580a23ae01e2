/// \file
/// The aggregates kept in a sketch the runtime owns (runtime/src/sketch/):
/// count_distinct(x) (an exact set), approx_count_distinct(x)
/// (HyperLogLog), percentile(x, p) and median(x) (a t-digest). The state is
/// the sketch's pointer, null while empty.

#include "aggregates/Entry.h"

#include <cmath>

namespace streamc {
namespace {

/// The runtime functions of one kind of sketch.
struct SketchCalls {
  Abi add, merge, free;
};

class Sketch : public AggregateFunction {
public:
  Sketch(const char *name, int args, const char *signature, SketchCalls calls)
      : AggregateFunction(name, args, args, signature, Mergeable), calls_(calls) {}

  uint32_t stateSize(const AggregateCall &) const override { return sizeof(void *); }
  bool ownsMemory(const AggregateCall &) const override { return true; }
  void emitMerge(AggregateEmitter &e) const override {
    e.rt.call(e.b, calls_.merge, {e.state, e.load(e.rt.ptr, e.other, 0)});
  }
  void emitFree(AggregateEmitter &e) const override {
    e.rt.call(e.b, calls_.free, {e.load(e.rt.ptr, e.state, 0)});
  }

protected:
  SketchCalls calls_;
};

/// count_distinct and approx_count_distinct: a value's bytes go in.
class DistinctCount final : public Sketch {
public:
  DistinctCount(const char *name, const char *signature, SketchCalls calls, Abi count)
      : Sketch(name, 1, signature, calls), count_(count) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (args[0].isNullLiteral())
      return aggregates::badArg(0, std::string("'") + name + "' of null has no type");
    return aggregates::typed(Type::i64());
  }
  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    e.when(e.present(), [&] {
      auto [ptr, len] = e.valueBytes(e.arg(0), e.argKind(0));
      e.rt.call(e.b, calls_.add, {e.state, ptr, len});
    });
  }
  Val emitResult(AggregateEmitter &e) const override {
    return {e.rt.call(e.b, count_, {e.load(e.rt.ptr, e.state, 0)}), e.b.getFalse()};
  }

private:
  Abi count_;
};

/// percentile and median: the q-quantile of the values, null when every
/// value was null.
class Quantile final : public Sketch {
public:
  Quantile(const char *name, int args, const char *signature)
      : Sketch(name, args, signature,
               {Abi::srt_digest_add, Abi::srt_digest_merge, Abi::srt_digest_free}) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (!aggregates::numeric(args, 0))
      return aggregates::expectedArg(*this, args, 0, "a number");
    if (args.size() > 1 && !aggregates::numeric(args, 1))
      return aggregates::expectedArg(*this, args, 1, "a number between 0 and 1");
    return aggregates::typed(Type::f64(args[0].nullable));
  }
  std::vector<ConstantArg> constantArgs() const override {
    if (maxArgs == 1)
      return {};
    return {{nullptr, 1, "percentile's p", 0, 1, false, NAN,
             "the percentile must be a constant between 0 and 1, as in percentile(x, 0.95)"}};
  }
  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    e.when(e.present(), [&] {
      e.rt.call(e.b, calls_.add, {e.state, e.asF64(e.arg(0), e.argKind(0))});
    });
  }
  Val emitResult(AggregateEmitter &e) const override {
    llvm::Value *digest = e.load(e.rt.ptr, e.state, 0);
    llvm::Value *q = llvm::ConstantFP::get(e.rt.f64, 0.5);
    if (maxArgs == 2) {
      Val p = e.constant(1);
      q = p.v->getType() == e.rt.f64 ? p.v : e.b.CreateSIToFP(p.v, e.rt.f64);
    }
    llvm::Value *empty = e.b.CreateIsNull(digest);
    llvm::Value *value =
        e.select(e.b.CreateNot(empty), e.rt.f64, llvm::ConstantFP::get(e.rt.f64, 0.0), [&] {
          return e.rt.call(e.b, Abi::srt_digest_quantile, {digest, q});
        });
    return {value, empty};
  }
};

} // namespace

const AggregateFunction &countDistinctAggregate() {
  static const DistinctCount entry(
      "count_distinct", "count_distinct(x) -> i64",
      {Abi::srt_distinct_add, Abi::srt_distinct_merge, Abi::srt_distinct_free},
      Abi::srt_distinct_count);
  return entry;
}
const AggregateFunction &approxCountDistinctAggregate() {
  static const DistinctCount entry("approx_count_distinct", "approx_count_distinct(x) -> i64",
                                   {Abi::srt_hll_add, Abi::srt_hll_merge, Abi::srt_hll_free},
                                   Abi::srt_hll_count);
  return entry;
}
const AggregateFunction &percentileAggregate() {
  static const Quantile entry("percentile", 2, "percentile(x: number, p: f64 in [0, 1]) -> f64");
  return entry;
}
const AggregateFunction &medianAggregate() {
  static const Quantile entry("median", 1, "median(x: number) -> f64");
  return entry;
}

} // namespace streamc
