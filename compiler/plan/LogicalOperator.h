#pragma once
/// \file
/// The logical plan: a DAG of operators, separate from the AST. Each operator
/// kind has its own file. Operators are owned by the Plan and refer to their
/// inputs by pointer.

#include "plan/PlanExpr.h"
#include "sema/Type.h"
#include "support/SourceManager.h"

#include <llvm/Support/Casting.h>

#include <string>
#include <vector>

namespace streamc {

class LogicalOperator {
public:
  enum class Kind {
    Source,
    Filter,
    Project,
    WindowAggregate,
    Lookup,
    Join,
    Union,
    Unnest,
    Distinct,
    Top,
    Over,
    FanOut,
    Fused,
    Sink,
  };

  virtual ~LogicalOperator() = default;
  Kind kind() const { return kind_; }

  /// Operators whose records this one consumes (Join: this side, then the
  /// other side; Union: this stream, then the named ones; Sink: every
  /// pipeline writing to it).
  std::vector<LogicalOperator *> inputs;
  /// The records this operator emits (a sink's is its first input's).
  RecordTypeRef output;
  /// Where the operator comes from in the program.
  SourceRange range;
  /// True when the records carry an event time (false: processing time).
  bool eventTime = false;

  /// Short operator name: "source", "filter", ...
  virtual const char *name() const = 0;
  /// One line of details after the name: `(latency_ms > 500)`.
  virtual std::string details() const = 0;
  /// Extra indented lines (fused steps, a source's field list).
  virtual std::vector<std::string> extraLines() const { return {}; }

protected:
  explicit LogicalOperator(Kind kind) : kind_(kind) {}

private:
  Kind kind_;
};

/// Writes a named list of expressions: `{a, b: (x + 1)}`.
std::string namedExprList(const std::vector<std::string> &names,
                          const std::vector<PlanExprPtr> &exprs);

} // namespace streamc
