#pragma once
/// \file
/// Interval join of two event-time streams (`join <s> on <cond> within <d>`,
/// `within (<before>, <after>)`, `within unbounded`).
/// inputs[0] is this side, inputs[1] the other.

#include "plan/LogicalOperator.h"

#include <cstdint>

namespace streamc {

class LogicalJoin : public LogicalOperator {
public:
  LogicalJoin() : LogicalOperator(Kind::Join) {}

  std::string otherName;
  PlanExprPtr condition; ///< Field: this side, OtherField: the other side
  /// The other side's event time lies in [t - beforeMs, t + afterMs], t
  /// this side's (`within d`: both d). kUnbounded: `within unbounded`.
  static constexpr int64_t kUnbounded = INT64_MAX;
  int64_t beforeMs = 0, afterMs = 0;
  bool unbounded() const { return beforeMs == kUnbounded; }
  std::string where; ///< `file:line:col`, for the run summary

  /// The condition as code generation uses it: the equality conjuncts
  /// between one side's expression and the other's (of one kind) are the
  /// hash key, `selfKeys[i] == otherKeys[i]`; the other conjuncts are
  /// checked on each pair. No key: every pair in the interval is checked
  /// (a nested loop).
  struct Split {
    std::vector<const PlanExpr *> selfKeys, otherKeys, residual;
  };
  Split split() const;

  const char *name() const override { return "join"; }
  std::string details() const override;
  /// The key and the residual conditions.
  std::vector<std::string> extraLines() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Join; }
};

} // namespace streamc
