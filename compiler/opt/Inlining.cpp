/// \file
/// Pass `inline`: replaces every call of an `fn` by its body, with the
/// arguments substituted, and (under the JIT) every param by its value, so
/// that constant folding and code generation see straight-line expressions.

#include "opt/Pass.h"
#include "plan/ExprWalker.h"

namespace streamc {
namespace {

class InliningPass : public Pass {
public:
  const char *name() const override { return "inline"; }
  const char *description() const override { return "inline fn calls and param values"; }

  bool run(Plan &plan, const PassOptions &options) override {
    bool changed = false;
    forEachExpr(plan, [&](PlanExprPtr &root, ExprPhase) {
      rewriteBottomUp(root, [&](PlanExprPtr &e) { changed |= inlineNode(plan, options, e); });
    });
    return changed;
  }

private:
  bool inlineNode(const Plan &plan, const PassOptions &options, PlanExprPtr &e) {
    if (e->kind == PlanExpr::Kind::Param && options.inlineParams) {
      auto it = plan.paramValues.find(e->param);
      if (it == plan.paramValues.end())
        return false;
      PlanExprPtr c = PlanExpr::constant(it->second, e->range);
      c->type = e->type;
      e = std::move(c);
      return true;
    }
    if (e->kind != PlanExpr::Kind::FnCall)
      return false;
    PlanExprPtr body = plan.functions.at(e->fn)->clone();
    std::vector<PlanExprPtr> &args = e->children;
    // Substitute the arguments, then inline what the body itself calls.
    rewriteBottomUp(body, [&](PlanExprPtr &n) {
      if (n->kind == PlanExpr::Kind::FnArg)
        n = args[n->index]->clone();
    });
    rewriteBottomUp(body, [&](PlanExprPtr &n) { inlineNode(plan, options, n); });
    // The body's type is the call's, or non-null where the call's is
    // nullable only because an argument might be null.
    e = std::move(body);
    return true;
  }
};

} // namespace

std::unique_ptr<Pass> createInliningPass() { return std::make_unique<InliningPass>(); }

} // namespace streamc
