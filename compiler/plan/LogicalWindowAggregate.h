#pragma once
/// \file
/// Windowed aggregation (`window <spec> by <keys> aggregate {...}`).

#include "plan/AggregateCall.h"
#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalSink;

class LogicalWindowAggregate : public LogicalOperator {
public:
  LogicalWindowAggregate() : LogicalOperator(Kind::WindowAggregate) {}

  enum class WindowKind { Tumbling, Sliding, Session, Count, All };
  WindowKind window = WindowKind::Tumbling;
  int64_t sizeMs = 0;  ///< tumbling/sliding size, session gap
  int64_t slideMs = 0; ///< sliding only
  int64_t count = 0;   ///< count windows
  /// The spec's arguments as written (size[, slide], gap or count), whose
  /// values above were computed at compile time: a built executable computes
  /// them again at start-up, so a param in them follows `--param`.
  std::vector<PlanExprPtr> specArgs;

  std::vector<std::string> keyNames;
  std::vector<PlanExprPtr> keys; ///< over the input record

  /// The aggregates, over the input record.
  std::vector<AggregateCall> aggregates;
  /// The aggregate block's entries: expressions over AggRef(i), the keys
  /// (Field(i) is key i) and params, computed once when a window fires.
  std::vector<std::string> entryNames;
  std::vector<PlanExprPtr> entries;

  LogicalSink *lateSink = nullptr;
  /// `file:line:col` of the window, naming it in the run summary.
  std::string where;

  const char *name() const override { return "window"; }
  std::string details() const override;
  std::vector<std::string> extraLines() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::WindowAggregate; }
};

} // namespace streamc
