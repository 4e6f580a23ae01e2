#include "plan/PlanExpr.h"

#include "ast/AstPrinter.h"

namespace streamc {

PlanExprPtr PlanExpr::constant(Value v, SourceRange r) {
  auto e = std::make_unique<PlanExpr>(Kind::Const, v.type, r);
  e->value = std::move(v);
  return e;
}

PlanExprPtr PlanExpr::field(int index, std::string name, Type t, SourceRange r) {
  auto e = std::make_unique<PlanExpr>(Kind::Field, t, r);
  e->index = index;
  e->name = std::move(name);
  return e;
}

PlanExprPtr PlanExpr::clone() const {
  auto e = std::make_unique<PlanExpr>(kind, type, range);
  e->value = value;
  e->index = index;
  e->name = name;
  e->param = param;
  e->fn = fn;
  e->unaryOp = unaryOp;
  e->binaryOp = binaryOp;
  e->negated = negated;
  e->builtin = builtin;
  for (const auto &c : children)
    e->children.push_back(c->clone());
  return e;
}

bool PlanExpr::canReject() const {
  bool fails = false;
  walk([&](const PlanExpr &x) {
    switch (x.kind) {
    case Kind::Unary:
      fails |= x.unaryOp == UnaryOp::Neg && x.type.kind != TypeKind::F64; // -INT64_MIN
      break;
    case Kind::Binary: {
      bool arithmetic = x.binaryOp == BinaryOp::Add || x.binaryOp == BinaryOp::Sub ||
                        x.binaryOp == BinaryOp::Mul || x.binaryOp == BinaryOp::Div ||
                        x.binaryOp == BinaryOp::Mod;
      if (!arithmetic || x.type.kind == TypeKind::String)
        break;
      if (x.type.kind != TypeKind::F64 &&
          (x.binaryOp == BinaryOp::Div || x.binaryOp == BinaryOp::Mod)) {
        // By a constant other than 0 and -1, integer division cannot fail.
        const PlanExpr &d = *x.children[1];
        fails |= !(d.isConst() && !d.value.isNull() && d.value.asInt() != 0 &&
                   d.value.asInt() != -1);
        break;
      }
      fails = true;
      break;
    }
    case Kind::Call:
      fails |= (scalarBuiltin(x.builtin).flags & CanFail) != 0;
      break;
    case Kind::FnCall:
      fails = true;
      break;
    default:
      break;
    }
  });
  return fails;
}

void PlanExpr::collectFields(std::set<int> &out) const {
  walk([&](const PlanExpr &e) {
    if (e.kind == Kind::Field)
      out.insert(e.index);
  });
}

void PlanExpr::collectOtherFields(std::set<int> &out) const {
  walk([&](const PlanExpr &e) {
    if (e.kind == Kind::OtherField)
      out.insert(e.index);
  });
}

std::string PlanExpr::str() const {
  auto list = [&](size_t from) {
    std::string s;
    for (size_t i = from; i < children.size(); ++i)
      s += (i > from ? ", " : "") + children[i]->str();
    return s;
  };
  switch (kind) {
  case Kind::Const:
    return value.str();
  case Kind::Field:
    return name;
  case Kind::OtherField:
    return "other." + name;
  case Kind::Param:
    return "$" + name;
  case Kind::FnArg:
    return "%" + name;
  case Kind::AggRef:
    return "agg" + std::to_string(index);
  case Kind::Unary:
    return unaryOp == UnaryOp::Neg ? "(-" + children[0]->str() + ")"
                                   : "(not " + children[0]->str() + ")";
  case Kind::Binary:
    return "(" + children[0]->str() + " " + binaryOpSpelling(binaryOp) + " " + children[1]->str() +
           ")";
  case Kind::In:
    return "(" + children[0]->str() + (negated ? " not in [" : " in [") + list(1) + "])";
  case Kind::IsNull:
    return "(" + children[0]->str() + (negated ? " is not null)" : " is null)");
  case Kind::If:
    return "(if " + children[0]->str() + " then " + children[1]->str() + " else " +
           children[2]->str() + ")";
  case Kind::Call:
  case Kind::FnCall:
    return name + "(" + list(0) + ")";
  case Kind::Member:
    return children[0]->str() + "." + name;
  }
  return "?";
}

} // namespace streamc
