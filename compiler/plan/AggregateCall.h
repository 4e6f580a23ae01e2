#pragma once
/// \file
/// One aggregate computed by a stateful operator: the registry entry, its
/// arguments over the operator's input record, and its result type.

#include "aggregates/Aggregate.h"
#include "plan/PlanExpr.h"

namespace streamc {

struct AggregateCall {
  const AggregateFunction *fn = nullptr;
  std::vector<PlanExprPtr> args;
  Type type;

  /// True when argument \p i is one of the entry's constant arguments.
  bool isConstantArg(size_t i) const {
    for (const ConstantArg &c : fn->constantArgs())
      if (c.index == i)
        return true;
    return false;
  }
};

} // namespace streamc
