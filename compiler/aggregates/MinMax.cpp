/// \file
/// min(x), max(x), first(x) and last(x): one value of the window's, the
/// smallest, the largest, or the first or last by arrival. A number (bool,
/// timestamp, duration) is kept as its i64 bits; a string as an owned copy
/// (srt_agg_string, runtime/src/aggregate/StringSlot.cpp).

#include "aggregates/Entry.h"

#include <srt/types.h>

#include <cstddef>

namespace streamc {
namespace {

/// The state of a number: the value, how many values were seen (none when
/// the argument is never null: the stage's count of records is that,
/// countsRows), and (first and last only) the arrival number of the value
/// kept, by which slices and sessions merge.
constexpr uint32_t kValue = 0, kN = 8;
constexpr uint32_t kStrPtr = offsetof(srt_agg_string, ptr), kStrLen = offsetof(srt_agg_string, len),
                   kStrN = offsetof(srt_agg_string, n), kStrSeq = offsetof(srt_agg_string, seq);

enum class Pick { Min, Max, First, Last };

class Extreme final : public AggregateFunction {
public:
  Extreme(const char *name, const char *signature, Pick pick)
      : AggregateFunction(name, 1, 1, signature, Mergeable | ExactMerge), pick_(pick) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (byArrival()) {
      if (args[0].isNullLiteral())
        return aggregates::badArg(0, std::string("'") + name + "' of null has no type");
      return aggregates::typed(args[0]);
    }
    if (!aggregates::orderable(args[0].kind))
      return aggregates::badArg(0, std::string("'") + name + "' cannot order values of type " +
                                       args[0].str());
    return aggregates::typed(args[0]);
  }
  bool countsRows(const AggregateCall &call) const override {
    return !isString(call) && !call.args[0]->type.nullable;
  }
  uint32_t stateSize(const AggregateCall &call) const override {
    if (isString(call))
      return sizeof(srt_agg_string);
    return seqAt(call) + (byArrival() ? sizeof(int64_t) : 0);
  }
  bool ownsMemory(const AggregateCall &call) const override { return isString(call); }

  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    llvm::Value *present = e.present();
    const Val &x = e.arg(0);
    if (isString(e.call())) {
      llvm::Value *ptr = e.b.CreateExtractValue(x.v, 0), *len = e.b.CreateExtractValue(x.v, 1);
      takeString(e, present, e.state, ptr, len, e.seq);
      e.add(e.state, kStrN, present);
      return;
    }
    // Values are kept as i64 bits but compared as what they are.
    takeValue(e, present, e.state, e.asI64(x, e.argKind(0)), e.seq);
    if (!countsRows(e.call()))
      e.add(e.state, kN, present);
  }

  void emitMerge(AggregateEmitter &e) const override {
    if (isString(e.call())) {
      llvm::Value *some = e.b.CreateICmpNE(e.load(e.rt.i64, e.other, kStrN), e.b.getInt64(0));
      llvm::Value *seq = byArrival() ? e.load(e.rt.i64, e.other, kStrSeq) : nullptr;
      takeString(e, some, e.state, e.load(e.rt.ptr, e.other, kStrPtr),
                 e.load(e.rt.i64, e.other, kStrLen), seq);
      e.add(e.state, kStrN, e.load(e.rt.i64, e.other, kStrN));
      return;
    }
    llvm::Value *some = e.b.CreateICmpNE(count(e, e.other), e.b.getInt64(0));
    llvm::Value *seq = byArrival() ? e.load(e.rt.i64, e.other, seqAt(e.call())) : nullptr;
    takeValue(e, some, e.state, e.load(e.rt.i64, e.other, kValue), seq);
    if (!countsRows(e.call()))
      e.add(e.state, kN, e.load(e.rt.i64, e.other, kN));
  }

  Val emitResult(AggregateEmitter &e) const override {
    if (isString(e.call())) {
      llvm::Value *s = llvm::UndefValue::get(e.rt.strTy);
      s = e.b.CreateInsertValue(s, e.load(e.rt.ptr, e.state, kStrPtr), 0);
      s = e.b.CreateInsertValue(s, e.load(e.rt.i64, e.state, kStrLen), 1);
      return {s, e.b.CreateICmpEQ(e.load(e.rt.i64, e.state, kStrN), e.b.getInt64(0))};
    }
    return {e.fromI64(e.load(e.rt.i64, e.state, kValue), e.call().type.kind),
            e.b.CreateICmpEQ(count(e, e.state), e.b.getInt64(0))};
  }

  void emitFree(AggregateEmitter &e) const override {
    e.rt.call(e.b, Abi::srt_agg_string_free, {e.state});
  }

private:
  bool byArrival() const { return pick_ == Pick::First || pick_ == Pick::Last; }
  static bool isString(const AggregateCall &call) { return call.type.kind == TypeKind::String; }
  /// Where first's and last's arrival number is.
  uint32_t seqAt(const AggregateCall &call) const { return countsRows(call) ? 8 : 16; }
  /// The values \p slot has seen: its own count, or the state's records
  /// (e.state's or, merging, e.other's).
  llvm::Value *count(AggregateEmitter &e, llvm::Value *slot) const {
    if (!countsRows(e.call()))
      return e.load(e.rt.i64, slot, kN);
    return slot == e.other ? e.otherRows() : e.rows();
  }

  /// Whether a candidate (arriving \p seq, or by value) replaces the value
  /// kept, given there is one: min and max compare with \p compare (<0, 0,
  /// >0 as candidate against kept); first keeps, last replaces, except when
  /// merging, where the earlier or later arrival wins.
  llvm::Value *better(AggregateEmitter &e, llvm::Value *compare, llvm::Value *seq,
                      llvm::Value *keptSeq) const {
    switch (pick_) {
    case Pick::Min:
      return e.b.CreateICmpSLT(compare, e.b.getInt32(0));
    case Pick::Max:
      return e.b.CreateICmpSGT(compare, e.b.getInt32(0));
    case Pick::First:
      return keptSeq ? e.b.CreateICmpSLT(seq, keptSeq) : e.b.getFalse();
    case Pick::Last:
      return keptSeq ? e.b.CreateICmpSGT(seq, keptSeq) : e.b.getTrue();
    }
    return e.b.getFalse();
  }

  /// Keeps \p bits (arriving as \p seq) when \p some holds and it is
  /// better than the value kept in \p slot, or there is none. \p seq is
  /// null for min and max.
  void takeValue(AggregateEmitter &e, llvm::Value *some, llvm::Value *slot, llvm::Value *bits,
                 llvm::Value *seq) const {
    llvm::Value *empty = e.b.CreateICmpEQ(count(e, slot), e.b.getInt64(0));
    llvm::Value *kept = e.load(e.rt.i64, slot, kValue);
    llvm::Value *compare = byArrival() ? nullptr : e.compareBits(e.call().type.kind, bits, kept);
    bool merging = e.other != nullptr;
    llvm::Value *keptSeq =
        byArrival() && merging ? e.load(e.rt.i64, slot, seqAt(e.call())) : nullptr;
    llvm::Value *take = e.b.CreateAnd(some, e.b.CreateOr(empty, better(e, compare, seq, keptSeq)));
    e.store(e.b.CreateSelect(take, bits, kept), slot, kValue);
    if (byArrival())
      e.store(e.b.CreateSelect(take, seq, e.load(e.rt.i64, slot, seqAt(e.call()))), slot,
              seqAt(e.call()));
  }

  /// takeValue for strings: the copy is made only when it is taken.
  void takeString(AggregateEmitter &e, llvm::Value *some, llvm::Value *slot, llvm::Value *ptr,
                  llvm::Value *len, llvm::Value *seq) const {
    llvm::Value *empty = e.b.CreateICmpEQ(e.load(e.rt.i64, slot, kStrN), e.b.getInt64(0));
    llvm::Value *compare = nullptr;
    if (!byArrival()) // compared only when there is a value to compare with
      compare = e.select(e.b.CreateAnd(some, e.b.CreateNot(empty)), e.rt.i32, e.b.getInt32(0), [&] {
        return e.rt.call(
            e.b, Abi::srt_str_compare,
            {ptr, len, e.load(e.rt.ptr, slot, kStrPtr), e.load(e.rt.i64, slot, kStrLen)});
      });
    bool merging = e.other != nullptr;
    llvm::Value *keptSeq = byArrival() && merging ? e.load(e.rt.i64, slot, kStrSeq) : nullptr;
    llvm::Value *take = e.b.CreateAnd(some, e.b.CreateOr(empty, better(e, compare, seq, keptSeq)));
    e.when(take, [&] {
      e.rt.call(e.b, Abi::srt_agg_string_set, {slot, ptr, len});
      if (byArrival())
        e.store(seq, slot, kStrSeq);
    });
  }

  Pick pick_;
};

} // namespace

const AggregateFunction &minAggregate() {
  static const Extreme entry("min", "min(x)", Pick::Min);
  return entry;
}
const AggregateFunction &maxAggregate() {
  static const Extreme entry("max", "max(x)", Pick::Max);
  return entry;
}
const AggregateFunction &firstAggregate() {
  static const Extreme entry("first", "first(x)", Pick::First);
  return entry;
}
const AggregateFunction &lastAggregate() {
  static const Extreme entry("last", "last(x)", Pick::Last);
  return entry;
}

} // namespace streamc
