#pragma once
/// \file
/// A run of consecutive stateless operators (filters and projections) fused
/// into one stage: code generation turns it into one loop body.

#include "plan/LogicalOperator.h"

#include <memory>

namespace streamc {

class LogicalFused : public LogicalOperator {
public:
  LogicalFused() : LogicalOperator(Kind::Fused) {}
  /// The fused operators in order; each step's input is the previous step
  /// (the first step's is inputs[0]). Their own `inputs` are cleared.
  std::vector<std::unique_ptr<LogicalOperator>> steps;

  const char *name() const override { return "fused"; }
  std::string details() const override { return std::to_string(steps.size()) + " stages"; }
  std::vector<std::string> extraLines() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Fused; }
};

} // namespace streamc
