#include "opt/PlanRewrite.h"

#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalJoin.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalProject.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalWindowAggregate.h"

namespace streamc {

using llvm::cast;

void forEachExpr(LogicalOperator &op, const std::function<void(PlanExprPtr &)> &f) {
  switch (op.kind()) {
  case LogicalOperator::Kind::Filter:
    f(cast<LogicalFilter>(op).condition);
    break;
  case LogicalOperator::Kind::Project:
    for (auto &e : cast<LogicalProject>(op).exprs)
      f(e);
    break;
  case LogicalOperator::Kind::WindowAggregate: {
    auto &w = cast<LogicalWindowAggregate>(op);
    for (auto &k : w.keys)
      f(k);
    for (auto &a : w.aggregates)
      for (auto &arg : a.args)
        f(arg);
    for (auto &e : w.entries)
      f(e);
    break;
  }
  case LogicalOperator::Kind::Lookup:
    f(cast<LogicalLookup>(op).key);
    break;
  case LogicalOperator::Kind::Join:
    f(cast<LogicalJoin>(op).condition);
    break;
  case LogicalOperator::Kind::Sink:
    for (auto &k : cast<LogicalSink>(op).keys)
      if (k)
        f(k);
    break;
  case LogicalOperator::Kind::Fused:
    for (auto &step : cast<LogicalFused>(op).steps)
      forEachExpr(*step, f);
    break;
  case LogicalOperator::Kind::Source:
  case LogicalOperator::Kind::FanOut:
    break;
  }
}

void forEachExpr(Plan &plan, const std::function<void(PlanExprPtr &)> &f) {
  for (const auto &op : plan.operators())
    forEachExpr(*op, f);
  for (auto &[fn, body] : plan.functions)
    f(body);
}

void rewriteBottomUp(PlanExprPtr &e, const std::function<void(PlanExprPtr &)> &f) {
  for (auto &c : e->children)
    rewriteBottomUp(c, f);
  f(e);
}

} // namespace streamc
