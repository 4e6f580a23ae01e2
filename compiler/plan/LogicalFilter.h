#pragma once
/// \file
/// Keeps the records for which a condition is true (`where`).

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalFilter : public LogicalOperator {
public:
  LogicalFilter() : LogicalOperator(Kind::Filter) {}
  PlanExprPtr condition;

  const char *name() const override { return "filter"; }
  std::string details() const override { return condition->str(); }
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Filter; }
};

} // namespace streamc
