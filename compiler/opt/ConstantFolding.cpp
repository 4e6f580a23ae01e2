/// \file
/// Pass `constant-fold`: evaluates expressions whose operands are constants
/// (with SQL null semantics), simplifies `and`/`or`/`if` with a constant
/// side, and removes `where` stages whose condition is always true.
/// Anything that could fail at run time (overflow, division by zero, a NaN)
/// is left for the run to report, and `x is null` is not folded away when
/// evaluating x can reject the record.

#include "opt/Pass.h"
#include "plan/ExprWalker.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "sema/Evaluate.h"

#include <algorithm>
#include <cmath>

namespace streamc {
namespace {

using Kind = PlanExpr::Kind;

class ConstantFoldingPass : public Pass {
public:
  const char *name() const override { return "constant-fold"; }
  const char *description() const override {
    return "evaluate constant expressions and drop always-true filters";
  }

  bool run(Plan &plan, const PassOptions &) override {
    bool changed = false;
    forEachExpr(plan, [&](PlanExprPtr &root, ExprPhase) {
      rewriteBottomUp(root, [&](PlanExprPtr &e) { changed |= fold(e); });
    });
    changed |= removeTrueFilters(plan);
    return changed;
  }

private:
  static bool isTrue(const PlanExpr &e) {
    return e.isConst() && !e.value.isNull() && e.value.type.kind == TypeKind::Bool &&
           e.value.asBool();
  }
  static bool isFalse(const PlanExpr &e) {
    return e.isConst() && !e.value.isNull() && e.value.type.kind == TypeKind::Bool &&
           !e.value.asBool();
  }

  /// Replaces \p e by a constant, keeping its static type.
  static bool replace(PlanExprPtr &e, Value v) {
    Type t = e->type;
    PlanExprPtr c = PlanExpr::constant(std::move(v), e->range);
    c->type = t.isNullLiteral() ? c->type : t;
    if (!c->value.isNull())
      c->value.type = Type(t.kind);
    e = std::move(c);
    return true;
  }

  /// Folds to the evaluated value; leaves the expression for the run when
  /// it would fail (the run reports it per record) or is not constant.
  static bool apply(PlanExprPtr &e, const EvalResult &r) {
    return r.value ? replace(e, *r.value) : false;
  }

  /// Replaces \p e by one of its operands. The operand keeps its own type,
  /// which is the same kind and at most as nullable (a field reference must
  /// keep its record's type).
  static bool keep(PlanExprPtr &e, PlanExprPtr &with) {
    PlanExprPtr moved = std::move(with);
    e = std::move(moved);
    return true;
  }

  bool fold(PlanExprPtr &e) {
    auto &ch = e->children;
    bool allConst = std::all_of(ch.begin(), ch.end(), [](const auto &c) { return c->isConst(); });
    bool anyNull = std::any_of(ch.begin(), ch.end(),
                               [](const auto &c) { return c->isConst() && c->value.isNull(); });
    switch (e->kind) {
    case Kind::Unary:
      if (!allConst)
        return false;
      return apply(e, evalUnary(e->unaryOp, e->type, ch[0]->value));
    case Kind::Binary: {
      BinaryOp op = e->binaryOp;
      if (op == BinaryOp::And) {
        if (isFalse(*ch[0]) || isFalse(*ch[1]))
          return replace(e, Value::boolean(false));
        if (isTrue(*ch[0]))
          return keep(e, ch[1]);
        if (isTrue(*ch[1]))
          return keep(e, ch[0]);
        if (allConst)
          return replace(e, Value::null(e->type));
        return false;
      }
      if (op == BinaryOp::Or) {
        if (isTrue(*ch[0]) || isTrue(*ch[1]))
          return replace(e, Value::boolean(true));
        if (isFalse(*ch[0]))
          return keep(e, ch[1]);
        if (isFalse(*ch[1]))
          return keep(e, ch[0]);
        if (allConst)
          return replace(e, Value::null(e->type));
        return false;
      }
      if (anyNull)
        return replace(e, Value::null(e->type));
      if (!allConst)
        return false;
      return apply(e, evalBinary(op, e->type, ch[0]->value, ch[1]->value));
    }
    case Kind::IsNull:
      if (ch[0]->isConst())
        return replace(e, Value::boolean(ch[0]->value.isNull() != e->negated));
      if (!ch[0]->type.nullable && !ch[0]->type.isNullLiteral() && !ch[0]->canReject())
        return replace(e, Value::boolean(e->negated));
      return false;
    case Kind::If:
      if (isTrue(*ch[0]))
        return keep(e, ch[1]);
      if (ch[0]->isConst())
        return keep(e, ch[2]); // false or null
      return false;
    case Kind::In: {
      if (!allConst)
        return false;
      if (ch[0]->value.isNull())
        return replace(e, Value::null(e->type));
      // `x in [a, b]` is `x == a or x == b`, with the same null rules.
      Value acc = Value::boolean(false);
      for (size_t i = 1; i < ch.size(); ++i) {
        EvalResult eq = evalBinary(BinaryOp::Eq, Type::boolean(true), ch[0]->value, ch[i]->value);
        acc = *evalBinary(BinaryOp::Or, Type::boolean(true), acc, *eq.value).value;
      }
      if (e->negated)
        acc = *evalUnary(UnaryOp::Not, Type::boolean(true), acc).value;
      return replace(e, acc);
    }
    case Kind::Call: {
      if (e->builtin == BuiltinId::Coalesce) {
        // Leading null constants are dropped; a leading non-null constant
        // is the result.
        while (ch.size() > 1 && ch[0]->isConst() && ch[0]->value.isNull())
          ch.erase(ch.begin());
        if (ch[0]->isConst() && !ch[0]->value.isNull())
          return keep(e, ch[0]);
        if (ch.size() == 1)
          return keep(e, ch[0]);
        return false;
      }
      if (!allConst)
        return false;
      std::vector<Value> args;
      for (const auto &c : ch)
        args.push_back(c->value);
      return apply(e, evalBuiltin(e->builtin, e->type, args));
    }
    default:
      return false;
    }
  }

  static bool removeTrueFilters(Plan &plan) {
    bool changed = false;
    std::vector<LogicalOperator *> doomed;
    for (const auto &op : plan.operators()) {
      if (auto *f = llvm::dyn_cast<LogicalFilter>(op.get()); f && isTrue(*f->condition))
        doomed.push_back(f);
      if (auto *fused = llvm::dyn_cast<LogicalFused>(op.get())) {
        auto &steps = fused->steps;
        size_t before = steps.size();
        steps.erase(std::remove_if(steps.begin(), steps.end(),
                                   [](const auto &s) {
                                     auto *f = llvm::dyn_cast<LogicalFilter>(s.get());
                                     return f && isTrue(*f->condition);
                                   }),
                    steps.end());
        changed |= steps.size() != before;
      }
    }
    for (LogicalOperator *f : doomed) {
      plan.replaceUses(f, f->inputs[0]);
      plan.remove(f);
      changed = true;
    }
    return changed;
  }
};

} // namespace

std::unique_ptr<Pass> createConstantFoldingPass() {
  return std::make_unique<ConstantFoldingPass>();
}

} // namespace streamc
