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
/// number of values in it (none when the argument is never null: the
/// stage's count of records is that, countsRows). An integer sum also keeps
/// a word more:
/// - in a merging window (a sliding window's slices, sessions a record
///   bridges), whether a merge overflowed: the value is then unknown, and
///   null (the call is typed nullable there);
/// - in a frame, the sum's high word: the state holds the exact 128-bit
///   sum, so partial aggregates of runs of the frame's records never
///   overflow, and a record is rejected exactly when its frame's sum does
///   not fit an i64.
/// Elsewhere (a tumbling, count or all window) nothing merges.
constexpr uint32_t kSum = 0;

class Sum final : public AggregateFunction {
public:
  /// \p average: avg, whose sum is an f64 whatever the argument's type.
  Sum(const char *name, const char *signature, bool average)
      : AggregateFunction(name, 1, 1, signature, Mergeable | CheapMerge | NullWhenMergeOverflows),
        average_(average) {}

  BuiltinTyping type(const std::vector<Type> &args) const override {
    if (average_)
      return aggregates::numeric(args, 0) ? aggregates::typed(Type::f64(args[0].nullable))
                                          : aggregates::expectedArg(*this, args, 0, "a number");
    if (args[0].isNumeric() || args[0].kind == TypeKind::Duration)
      return aggregates::typed(args[0]);
    return aggregates::expectedArg(*this, args, 0, "a number or a duration");
  }
  bool countsRows(const AggregateCall &c) const override { return !c.args[0]->type.nullable; }
  uint32_t stateSize(const AggregateCall &c) const override {
    return extraAt(c) + (isF64(c) || c.use == AggregateUse::Window ? 0 : sizeof(int64_t));
  }

  std::vector<llvm::Value *> emitCheck(AggregateEmitter &e) const override {
    const Val &x = e.arg(0);
    std::string why = overflowReason(isF64(e) ? TypeKind::F64 : e.call().type.kind, name);
    if (isF64(e)) {
      llvm::Value *sum = e.b.CreateFAdd(e.load(e.rt.f64, e.state, kSum), e.asF64(x, e.argKind(0)));
      return {e.exprs->finiteChecked(sum, x.null, why)};
    }
    if (e.call().use == AggregateUse::Frame) { // exact: does the new sum fit?
      llvm::Value *wide = e.b.CreateAdd(wideSum(e, e.state), e.b.CreateSExt(x.v, e.rt.i128));
      llvm::Value *fits =
          e.b.CreateICmpEQ(e.b.CreateSExt(e.b.CreateTrunc(wide, e.rt.i64), e.rt.i128), wide);
      e.exprs->rejectIf(e.b.CreateAnd(e.b.CreateNot(x.null), e.b.CreateNot(fits)), why);
      return {wide};
    }
    llvm::Value *sum = e.load(e.rt.i64, e.state, kSum);
    if (e.call().use == AggregateUse::MergingWindow) { // a lost sum stays null: rejects nothing
      llvm::Value *lost =
          e.b.CreateICmpNE(e.load(e.rt.i64, e.state, extraAt(e.call())), e.b.getInt64(0));
      sum = e.b.CreateSelect(lost, e.b.getInt64(0), sum);
    }
    return {e.exprs->overflowChecked(llvm::Intrinsic::sadd_with_overflow, sum, x.v, x.null, why)};
  }
  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &checked) const override {
    llvm::Value *present = e.present();
    if (checked[0]->getType() == e.rt.i128) {
      llvm::Value *old = wideSum(e, e.state);
      storeWide(e, e.b.CreateSelect(present, checked[0], old));
    } else {
      llvm::Value *old = e.load(checked[0]->getType(), e.state, kSum);
      e.store(e.b.CreateSelect(present, checked[0], old), e.state, kSum);
    }
    if (!countsRows(e.call()))
      e.add(e.state, kN, present);
  }
  void emitMerge(AggregateEmitter &e) const override {
    if (!countsRows(e.call()))
      e.add(e.state, kN, e.load(e.rt.i64, e.other, kN));
    if (isF64(e)) { // an infinite sum is null (emitResult)
      llvm::Value *a = e.load(e.rt.f64, e.state, kSum), *b = e.load(e.rt.f64, e.other, kSum);
      e.store(e.b.CreateFAdd(a, b), e.state, kSum);
      return;
    }
    switch (e.call().use) {
    case AggregateUse::Window: // never called: such a stage merges nothing
      e.store(e.b.CreateAdd(e.load(e.rt.i64, e.state, kSum), e.load(e.rt.i64, e.other, kSum)),
              e.state, kSum);
      return;
    case AggregateUse::Frame:
      storeWide(e, e.b.CreateAdd(wideSum(e, e.state), wideSum(e, e.other)));
      return;
    case AggregateUse::MergingWindow: {
      llvm::Value *a = e.load(e.rt.i64, e.state, kSum), *b = e.load(e.rt.i64, e.other, kSum);
      llvm::Value *sum = e.b.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, a, b);
      e.store(e.b.CreateExtractValue(sum, 0), e.state, kSum);
      uint32_t at = extraAt(e.call());
      llvm::Value *lost =
          e.b.CreateOr(e.b.CreateOr(e.load(e.rt.i64, e.state, at), e.load(e.rt.i64, e.other, at)),
                       e.b.CreateZExt(e.b.CreateExtractValue(sum, 1), e.rt.i64));
      e.store(lost, e.state, at);
      return;
    }
    }
  }
  Val emitResult(AggregateEmitter &e) const override {
    llvm::Value *n = countsRows(e.call()) ? e.rows() : e.load(e.rt.i64, e.state, kN);
    llvm::Value *empty = e.b.CreateICmpEQ(n, e.b.getInt64(0));
    if (!isF64(e)) { // merged states that overflowed: null (§2)
      llvm::Value *null = empty;
      if (e.call().use == AggregateUse::MergingWindow)
        null = e.b.CreateOr(
            null, e.b.CreateICmpNE(e.load(e.rt.i64, e.state, extraAt(e.call())), e.b.getInt64(0)));
      return {e.load(e.rt.i64, e.state, kSum), null}; // a frame's sum fits (emitCheck)
    }
    llvm::Value *sum = e.load(e.rt.f64, e.state, kSum);
    llvm::Value *value = average_ ? e.b.CreateFDiv(sum, e.b.CreateSIToFP(n, e.rt.f64)) : sum;
    // Slices merged may overflow: null, never infinity (§2).
    return {value, e.b.CreateOr(empty, e.notFinite(value))};
  }

private:
  bool isF64(AggregateEmitter &e) const { return isF64(e.call()); }
  bool isF64(const AggregateCall &c) const {
    return average_ || c.args[0]->type.kind == TypeKind::F64;
  }
  /// The count of values (unless countsRows), then the word more.
  static constexpr uint32_t kN = 8;
  uint32_t extraAt(const AggregateCall &c) const { return countsRows(c) ? 8 : 16; }
  /// A frame's exact sum: the high word and the low one.
  llvm::Value *wideSum(AggregateEmitter &e, llvm::Value *state) const {
    llvm::Value *high = e.b.CreateZExt(e.load(e.rt.i64, state, extraAt(e.call())), e.rt.i128);
    return e.b.CreateOr(e.b.CreateShl(high, 64),
                        e.b.CreateZExt(e.load(e.rt.i64, state, kSum), e.rt.i128));
  }
  void storeWide(AggregateEmitter &e, llvm::Value *wide) const {
    e.store(e.b.CreateTrunc(wide, e.rt.i64), e.state, kSum);
    e.store(e.b.CreateTrunc(e.b.CreateLShr(wide, 64), e.rt.i64), e.state, extraAt(e.call()));
  }
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
