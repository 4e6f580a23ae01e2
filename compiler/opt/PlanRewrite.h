#pragma once
/// \file
/// Helpers shared by the passes: visiting every expression of a plan.

#include "plan/Plan.h"

#include <functional>

namespace streamc {

/// Calls \p f on every expression slot of \p op (and of its fused steps),
/// so the callee may replace the expression.
void forEachExpr(LogicalOperator &op, const std::function<void(PlanExprPtr &)> &f);
/// The same for every operator of the plan, and every function body.
void forEachExpr(Plan &plan, const std::function<void(PlanExprPtr &)> &f);

/// Rewrites an expression bottom-up: \p f is called on each node after its
/// children were rewritten and may replace it.
void rewriteBottomUp(PlanExprPtr &e, const std::function<void(PlanExprPtr &)> &f);

} // namespace streamc
