#pragma once
/// \file
/// `extend over <frame> [by <keys>] { ... }` (LANGUAGE.md §6.1): each record,
/// in processing order (with event time: once the watermark reaches it, in
/// event-time order, ties by arrival; late records dropped and counted),
/// gets the aggregates of its key's frame (the records before it that the
/// frame keeps, and itself), and the entries computed from them and its own
/// fields; every input field is kept, the entries replace or are appended.
/// The runtime (runtime/src/frame/Frame.cpp) reorders the records and keeps
/// each key's frame: the aggregate state of an unbounded frame, the records
/// of a rows or range frame.

#include "plan/AggregateCall.h"
#include "plan/LogicalOperator.h"

#include <algorithm>

namespace streamc {

class LogicalSink;

class LogicalOver : public LogicalOperator {
public:
  LogicalOver() : LogicalOperator(Kind::Over) {}

  enum class FrameKind { Rows, Range, Unbounded };
  FrameKind frame = FrameKind::Unbounded;
  int64_t rows = 0;    ///< rows(n): this record and the n - 1 before it
  int64_t rangeMs = 0; ///< range(d): the records at most d older
  /// The frame's size as written (n or d): a built executable computes it
  /// again at start-up, so a param in it follows `--param`.
  PlanExprPtr size;

  std::vector<PlanExprPtr> keys; ///< over the input record
  std::vector<AggregateCall> aggregates;
  /// The entries: expressions over AggRef(i) and the input record's fields,
  /// each stored at field entryIndex[i] of the output.
  std::vector<std::string> entryNames;
  std::vector<PlanExprPtr> entries;
  std::vector<int> entryIndex;

  LogicalSink *lateSink = nullptr;
  /// `file:line:col`, naming it in the run summary.
  std::string where;

  const char *name() const override { return "extend-over"; }
  std::string details() const override;
  std::vector<std::string> extraLines() const override;
  /// A rows or range frame whose aggregates all merge exactly or cheaply
  /// (ExactMerge, CheapMerge): partial aggregates kept as two stacks, not a
  /// fold of the frame per record (codegen, runtime/src/frame).
  bool twoStacks() const {
    return frame != FrameKind::Unbounded &&
           std::all_of(aggregates.begin(), aggregates.end(), [](const AggregateCall &a) {
             return a.fn->flags & (ExactMerge | CheapMerge);
           });
  }
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Over; }
};

} // namespace streamc
