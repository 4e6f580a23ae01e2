#pragma once
/// \file
/// Builds the logical plan of a checked program: one operator per stage,
/// sources and lets shared (a fan-out where several pipelines read one
/// stream), one sink operator per sink.

#include "ast/Program.h"
#include "plan/Plan.h"
#include "sema/Sema.h"

#include <memory>

namespace streamc {

std::unique_ptr<Plan> buildPlan(Program &program, const Sema &sema, const SourceManager &sm);

/// Converts an implicit numeric promotion into an explicit f64(...) so later
/// stages never mix i64 and f64 operands.
PlanExprPtr coerce(PlanExprPtr e, Type target);

} // namespace streamc
