#include "plan/ExprWalker.h"

#include "plan/LogicalDistinct.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalJoin.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalOver.h"
#include "plan/LogicalProject.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/LogicalTop.h"
#include "plan/LogicalUnion.h"
#include "plan/LogicalUnnest.h"
#include "plan/LogicalWindowAggregate.h"

namespace streamc {

using llvm::cast;

namespace {

/// Calls the callback for the slots of the phases a walk asked for.
struct Visitor {
  const ExprSlotFn &f;
  ExprSet which;

  void operator()(PlanExprPtr &e, ExprPhase phase) const {
    if (!e)
      return;
    if (which == ExprSet::All || (which == ExprSet::PerRecord && phase == ExprPhase::Record) ||
        (which == ExprSet::StartUp && phase == ExprPhase::StartUp))
      f(e, phase);
  }
  void record(PlanExprPtr &e) const { (*this)(e, ExprPhase::Record); }
  void startUp(PlanExprPtr &e) const { (*this)(e, ExprPhase::StartUp); }
  void startUp(std::map<std::string, PlanExprPtr> &args) const {
    for (auto &[name, e] : args)
      startUp(e);
  }
};

void visitOperator(LogicalOperator &op, const Visitor &v) {
  switch (op.kind()) {
  case LogicalOperator::Kind::Source: {
    auto &s = cast<LogicalSource>(op);
    v.startUp(s.argExprs);
    v.startUp(s.maxDelay);
    break;
  }
  case LogicalOperator::Kind::Filter:
    v.record(cast<LogicalFilter>(op).condition);
    break;
  case LogicalOperator::Kind::Project:
    for (auto &e : cast<LogicalProject>(op).exprs)
      v.record(e);
    break;
  case LogicalOperator::Kind::WindowAggregate: {
    auto &w = cast<LogicalWindowAggregate>(op);
    for (auto &a : w.specArgs)
      v.startUp(a);
    for (auto &k : w.keys)
      v.record(k);
    for (auto &a : w.aggregates)
      for (auto &arg : a.args)
        v.record(arg);
    for (auto &e : w.entries)
      v.record(e);
    break;
  }
  case LogicalOperator::Kind::Lookup: {
    auto &l = cast<LogicalLookup>(op);
    v.startUp(l.argExprs);
    v.record(l.key);
    break;
  }
  case LogicalOperator::Kind::Join:
    v.record(cast<LogicalJoin>(op).condition);
    break;
  case LogicalOperator::Kind::Unnest:
    v.record(cast<LogicalUnnest>(op).string);
    break;
  case LogicalOperator::Kind::Over: {
    auto &o = cast<LogicalOver>(op);
    v.startUp(o.size);
    for (auto &k : o.keys)
      v.record(k);
    for (auto &a : o.aggregates)
      for (auto &arg : a.args)
        v.record(arg);
    for (auto &e : o.entries)
      v.record(e);
    break;
  }
  case LogicalOperator::Kind::Top: {
    auto &t = cast<LogicalTop>(op);
    v.startUp(t.count);
    v.record(t.order);
    for (auto &k : t.per)
      v.record(k);
    break;
  }
  case LogicalOperator::Kind::Distinct:
    v.startUp(cast<LogicalDistinct>(op).within);
    for (auto &k : cast<LogicalDistinct>(op).keys)
      v.record(k);
    break;
  case LogicalOperator::Kind::Sink: {
    auto &s = cast<LogicalSink>(op);
    v.startUp(s.argExprs);
    for (auto &k : s.keys)
      v.record(k);
    break;
  }
  case LogicalOperator::Kind::Fused:
    for (auto &step : cast<LogicalFused>(op).steps)
      visitOperator(*step, v);
    break;
  case LogicalOperator::Kind::FanOut:
  case LogicalOperator::Kind::Union:
    break;
  }
}

} // namespace

void forEachExpr(LogicalOperator &op, const ExprSlotFn &f, ExprSet which) {
  visitOperator(op, Visitor{f, which});
}

void forEachExpr(Plan &plan, const ExprSlotFn &f, ExprSet which) {
  Visitor v{f, which};
  for (const auto &op : plan.operators())
    visitOperator(*op, v);
  for (auto &[fn, body] : plan.functions)
    v.record(body);
  for (Plan::DeclaredSink &d : plan.declaredSinks)
    v.startUp(d.argExprs);
  for (auto &[param, e] : plan.paramDefaults)
    v.startUp(e);
}

// The read-only walks share the mutable one: the callback only reads.
void forEachExpr(const LogicalOperator &op, const ConstExprFn &f, ExprSet which) {
  forEachExpr(
      const_cast<LogicalOperator &>(op), [&](PlanExprPtr &e, ExprPhase p) { f(*e, p); }, which);
}

void forEachExpr(const Plan &plan, const ConstExprFn &f, ExprSet which) {
  forEachExpr(
      const_cast<Plan &>(plan), [&](PlanExprPtr &e, ExprPhase p) { f(*e, p); }, which);
}

void rewriteBottomUp(PlanExprPtr &e, const std::function<void(PlanExprPtr &)> &f) {
  for (auto &c : e->children)
    rewriteBottomUp(c, f);
  f(e);
}

} // namespace streamc
