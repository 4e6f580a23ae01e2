/// \file
/// arg_max(v, by) and arg_min(v, by) (LANGUAGE.md §6.2): v of the record
/// with the largest (smallest) `by`, the first such by arrival; records with
/// a null `by` are skipped, a null v is a null result. Strings are owned
/// copies (srt_agg_string); slices and sessions merge by `by`, ties by
/// arrival.

#include "aggregates/Entry.h"

#include <srt/types.h>

namespace streamc {
namespace {

/// The state: `by`'s value, v's value (each 8 bytes of bits or a string
/// slot), then this tail.
struct Tail {
  int64_t valueNull;
  int64_t n;   ///< records with a `by`
  int64_t seq; ///< the arrival number of the record kept
};

class ArgExtreme final : public AggregateFunction {
public:
  ArgExtreme(const char *name, const char *signature, bool largest)
      : AggregateFunction(name, 2, 2, signature, Mergeable | ExactMerge), largest_(largest) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (args[0].isNullLiteral())
      return aggregates::badArg(0, std::string("'") + name + "' of null has no type");
    if (!aggregates::orderable(args[1].kind))
      return aggregates::badArg(1, std::string("'") + name + "' cannot order values of type " +
                                       args[1].str());
    return aggregates::typed(args[0].withNullable(args[0].nullable || args[1].nullable));
  }
  uint32_t stateSize(const AggregateCall &call) const override {
    return partSize(byKind(call)) + partSize(call.type.kind) + sizeof(Tail);
  }
  bool ownsMemory(const AggregateCall &call) const override {
    return byKind(call) == TypeKind::String || call.type.kind == TypeKind::String;
  }

  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    const Val &v = e.arg(0), &by = e.arg(1);
    llvm::Value *present = e.b.CreateNot(by.null);
    Part candidate{by.v, v.v, e.b.CreateZExt(v.null, e.rt.i64), e.seq};
    if (byKind(e.call()) != TypeKind::String)
      candidate.by = e.asI64(by, byKind(e.call()));
    if (e.call().type.kind != TypeKind::String)
      candidate.value = e.asI64(v, e.call().type.kind);
    take(e, present, candidate, /*merging=*/false);
    e.add(e.state, tail(e.call()) + offsetof(Tail, n), present);
  }

  void emitMerge(AggregateEmitter &e) const override {
    uint32_t at = tail(e.call());
    llvm::Value *n = e.load(e.rt.i64, e.other, at + offsetof(Tail, n));
    Part candidate{readPart(e, e.other, 0, byKind(e.call())),
                   readPart(e, e.other, partSize(byKind(e.call())), e.call().type.kind),
                   e.load(e.rt.i64, e.other, at + offsetof(Tail, valueNull)),
                   e.load(e.rt.i64, e.other, at + offsetof(Tail, seq))};
    take(e, e.b.CreateICmpNE(n, e.b.getInt64(0)), candidate, /*merging=*/true);
    e.add(e.state, at + offsetof(Tail, n), n);
  }

  Val emitResult(AggregateEmitter &e) const override {
    uint32_t at = tail(e.call());
    llvm::Value *value = readPart(e, e.state, partSize(byKind(e.call())), e.call().type.kind);
    if (e.call().type.kind != TypeKind::String)
      value = e.fromI64(value, e.call().type.kind);
    llvm::Value *none =
        e.b.CreateICmpEQ(e.load(e.rt.i64, e.state, at + offsetof(Tail, n)), e.b.getInt64(0));
    llvm::Value *valueNull = e.b.CreateICmpNE(
        e.load(e.rt.i64, e.state, at + offsetof(Tail, valueNull)), e.b.getInt64(0));
    return {value, e.b.CreateOr(none, valueNull)};
  }

  void emitFree(AggregateEmitter &e) const override {
    if (byKind(e.call()) == TypeKind::String)
      e.rt.call(e.b, Abi::srt_agg_string_free, {e.state});
    if (e.call().type.kind == TypeKind::String)
      e.rt.call(e.b, Abi::srt_agg_string_free, {e.at(e.state, partSize(byKind(e.call())))});
  }

private:
  /// A record (or a merged state's kept record): `by` and v as i64 bits or
  /// string views, v's null flag (i64) and its arrival number.
  struct Part {
    llvm::Value *by, *value, *valueNull, *seq;
  };

  static TypeKind byKind(const AggregateCall &call) { return call.args[1]->type.kind; }
  static uint32_t partSize(TypeKind kind) {
    return kind == TypeKind::String ? sizeof(srt_agg_string) : sizeof(int64_t);
  }
  static uint32_t tail(const AggregateCall &call) {
    return partSize(byKind(call)) + partSize(call.type.kind);
  }

  /// The value kept at \p offset of \p state: i64 bits, or a string view.
  static llvm::Value *readPart(AggregateEmitter &e, llvm::Value *state, uint32_t offset,
                               TypeKind kind) {
    if (kind != TypeKind::String)
      return e.load(e.rt.i64, state, offset);
    llvm::Value *s = llvm::UndefValue::get(e.rt.strTy);
    s = e.b.CreateInsertValue(s, e.load(e.rt.ptr, state, offset + offsetof(srt_agg_string, ptr)),
                              0);
    return e.b.CreateInsertValue(s, e.load(e.rt.i64, state, offset + offsetof(srt_agg_string, len)),
                                 1);
  }
  static void writePart(AggregateEmitter &e, uint32_t offset, TypeKind kind, llvm::Value *v) {
    if (kind != TypeKind::String)
      return e.store(v, e.state, offset);
    e.rt.call(e.b, Abi::srt_agg_string_set,
              {e.at(e.state, offset), e.b.CreateExtractValue(v, 0), e.b.CreateExtractValue(v, 1)});
  }

  /// Keeps \p c when \p some holds and its `by` beats the kept one's (or
  /// none is kept); merging, an equal `by` that arrived earlier wins too.
  void take(AggregateEmitter &e, llvm::Value *some, const Part &c, bool merging) const {
    llvm::IRBuilder<> &b = e.b;
    const AggregateCall &call = e.call();
    uint32_t at = tail(call);
    llvm::Value *empty =
        b.CreateICmpEQ(e.load(e.rt.i64, e.state, at + offsetof(Tail, n)), b.getInt64(0));
    llvm::Value *compare;
    if (byKind(call) == TypeKind::String) // only when there is a kept one
      compare = e.select(b.CreateAnd(some, b.CreateNot(empty)), e.rt.i32, b.getInt32(0), [&] {
        llvm::Value *kept = readPart(e, e.state, 0, TypeKind::String);
        return e.rt.call(b, Abi::srt_str_compare,
                         {b.CreateExtractValue(c.by, 0), b.CreateExtractValue(c.by, 1),
                          b.CreateExtractValue(kept, 0), b.CreateExtractValue(kept, 1)});
      });
    else
      compare = e.compareBits(byKind(call), c.by, e.load(e.rt.i64, e.state, 0));
    llvm::Value *better = largest_ ? b.CreateICmpSGT(compare, b.getInt32(0))
                                   : b.CreateICmpSLT(compare, b.getInt32(0));
    if (merging) {
      llvm::Value *earlier =
          b.CreateICmpSLT(c.seq, e.load(e.rt.i64, e.state, at + offsetof(Tail, seq)));
      better = b.CreateOr(better, b.CreateAnd(b.CreateICmpEQ(compare, b.getInt32(0)), earlier));
    }
    e.when(b.CreateAnd(some, b.CreateOr(empty, better)), [&] {
      writePart(e, 0, byKind(call), c.by);
      e.when(b.CreateICmpEQ(c.valueNull, b.getInt64(0)),
             [&] { writePart(e, partSize(byKind(call)), call.type.kind, c.value); });
      e.store(c.valueNull, e.state, at + offsetof(Tail, valueNull));
      e.store(c.seq, e.state, at + offsetof(Tail, seq));
    });
  }

  bool largest_;
};

} // namespace

const AggregateFunction &argMaxAggregate() {
  static const ArgExtreme entry("arg_max", "arg_max(v, by)", true);
  return entry;
}
const AggregateFunction &argMinAggregate() {
  static const ArgExtreme entry("arg_min", "arg_min(v, by)", false);
  return entry;
}

} // namespace streamc
