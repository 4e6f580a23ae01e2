#pragma once
/// \file
/// Interval join of two event-time streams (`join <s> on <cond> within <d>`).
/// inputs[0] is this side, inputs[1] the other.

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalJoin : public LogicalOperator {
public:
  LogicalJoin() : LogicalOperator(Kind::Join) {}

  std::string otherName;
  PlanExprPtr condition; ///< Field: this side, OtherField: the other side
  int64_t withinMs = 0;

  const char *name() const override { return "join"; }
  std::string details() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Join; }
};

} // namespace streamc
