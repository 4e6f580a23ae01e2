#pragma once
/// \file
/// Computes a new record (`select`) or adds/replaces fields (`extend`).
/// Either way the output is exactly `output`: for every output field, either
/// an expression or (extend) the input field it passes through.

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalProject : public LogicalOperator {
public:
  LogicalProject() : LogicalOperator(Kind::Project) {}

  bool isExtend = false;
  /// The computed items, by output name.
  std::vector<std::string> names;
  std::vector<PlanExprPtr> exprs;

  const char *name() const override { return isExtend ? "extend" : "select"; }
  std::string details() const override { return namedExprList(names, exprs); }
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Project; }
};

} // namespace streamc
