/// \file
/// count() and count(x): the records, or the non-null values, of a window.
/// The state is the count alone; count() and the count of a value never
/// null read the records the stage's state counts (countsRows) and keep
/// nothing.

#include "aggregates/Entry.h"

namespace streamc {
namespace {

class Count final : public AggregateFunction {
public:
  Count()
      : AggregateFunction("count", 0, 1, "count() or count(x) -> i64", Mergeable | ExactMerge) {}

  BuiltinTyping type(const std::vector<Type> &) const override {
    return aggregates::typed(Type::i64());
  }
  bool countsRows(const AggregateCall &c) const override {
    return c.args.empty() || !c.args[0]->type.nullable;
  }
  uint32_t stateSize(const AggregateCall &c) const override {
    return countsRows(c) ? 0 : sizeof(int64_t);
  }
  void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &) const override {
    if (!countsRows(e.call()))
      e.add(e.state, 0, e.present());
  }
  void emitMerge(AggregateEmitter &e) const override {
    if (!countsRows(e.call()))
      e.add(e.state, 0, e.load(e.rt.i64, e.other, 0));
  }
  Val emitResult(AggregateEmitter &e) const override {
    return {countsRows(e.call()) ? e.rows() : e.load(e.rt.i64, e.state, 0), e.b.getFalse()};
  }
};

} // namespace

const AggregateFunction &countAggregate() {
  static const Count entry;
  return entry;
}

} // namespace streamc
