#pragma once
/// \file
/// The one walker over a plan's expressions. Every pass, the verifier, the
/// REPL and code generation visit expressions through it, so an expression
/// slot added to an operator is seen by all of them (DuckDB's
/// LogicalOperatorVisitor).

#include "plan/Plan.h"

#include <functional>

namespace streamc {

/// When an expression of the plan is evaluated.
enum class ExprPhase {
  Record,  ///< for every record (or window firing) of the stream
  StartUp, ///< once, when the program starts: connector arguments, window
           ///< sizes, max_delay, derived param defaults
};

/// Which expressions a walk visits.
enum class ExprSet { All, PerRecord, StartUp };

using ExprSlotFn = std::function<void(PlanExprPtr &, ExprPhase)>;
using ConstExprFn = std::function<void(const PlanExpr &, ExprPhase)>;

/// Calls \p f on every expression slot of \p op (and of its fused steps) in
/// \p which, so the callee may replace the expression.
void forEachExpr(LogicalOperator &op, const ExprSlotFn &f, ExprSet which = ExprSet::All);
/// The same for every operator of the plan, every function body (evaluated
/// per record once inlined), every declared sink's arguments and every
/// derived param default.
void forEachExpr(Plan &plan, const ExprSlotFn &f, ExprSet which = ExprSet::All);

/// Read-only walks of the same slots.
void forEachExpr(const LogicalOperator &op, const ConstExprFn &f, ExprSet which = ExprSet::All);
void forEachExpr(const Plan &plan, const ConstExprFn &f, ExprSet which = ExprSet::All);

/// Rewrites an expression bottom-up: \p f is called on each node after its
/// children were rewritten and may replace it.
void rewriteBottomUp(PlanExprPtr &e, const std::function<void(PlanExprPtr &)> &f);

} // namespace streamc
