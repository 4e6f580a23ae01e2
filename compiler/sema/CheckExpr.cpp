/// \file
/// Type checking of expressions (LANGUAGE.md §2, §5, §7; calls are in
/// CheckCalls.cpp) and the small constant evaluator sema needs for sizes,
/// connector arguments and params.

#include "ast/AstPrinter.h"
#include "sema/Builtins.h"
#include "sema/Scope.h"

#include <algorithm>

namespace streamc {

using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

namespace {

bool isOrdered(TypeKind k) {
  return k == TypeKind::I64 || k == TypeKind::F64 || k == TypeKind::String ||
         k == TypeKind::Timestamp || k == TypeKind::Duration;
}
} // namespace

std::vector<std::string> Sema::visibleNames(const Scope &scope) const {
  std::vector<std::string> names;
  if (scope.record)
    for (const Field &f : scope.record->fields)
      names.push_back(f.name);
  if (scope.agg == Scope::Agg::Entry && scope.aggInput)
    for (const Field &f : scope.aggInput->fields)
      names.push_back(f.name);
  if (scope.fn)
    for (const auto &p : scope.fn->params)
      names.push_back(p->name);
  for (const auto &[n, s] : symbols_)
    if (isa<ParamDecl>(s))
      names.push_back(n);
  return names;
}

bool Sema::expectBool(Expr &e, const Scope &scope, const char *what) {
  Type t = checkExpr(e, scope);
  if (t.isError())
    return false;
  if (t.kind != TypeKind::Bool && !t.isNullLiteral()) {
    diags_.error(e.range(), std::string(what) + " must be bool, found " + t.str());
    return false;
  }
  return true;
}

Type Sema::checkExpr(Expr &e, const Scope &scope) {
  Type t = Type::error();
  switch (e.kind()) {
  case Expr::Kind::IntLit:
    t = Type::i64();
    break;
  case Expr::Kind::FloatLit:
    t = Type::f64();
    break;
  case Expr::Kind::StringLit:
    t = Type::string();
    break;
  case Expr::Kind::BoolLit:
    t = Type::boolean();
    break;
  case Expr::Kind::NullLit:
    t = Type::null();
    break;
  case Expr::Kind::DurationLit:
    t = Type::duration();
    break;
  case Expr::Kind::Name:
    t = checkName(cast<NameExpr>(e), scope);
    break;
  case Expr::Kind::FieldAccess:
    t = checkFieldAccess(cast<FieldAccessExpr>(e), scope);
    break;
  case Expr::Kind::Unary: {
    auto &u = cast<UnaryExpr>(e);
    Type o = checkExpr(*u.operand, scope);
    if (o.isError())
      break;
    if (u.op == UnaryOp::Not) {
      if (o.kind == TypeKind::Bool || o.isNullLiteral())
        t = Type::boolean(o.nullable);
      else
        diags_.error(u.operand->range(), "'not' needs a bool, found " + o.str());
    } else {
      if (o.isNumeric() || o.kind == TypeKind::Duration || o.isNullLiteral())
        t = o;
      else
        diags_.error(u.operand->range(), "'-' needs a number or a duration, found " + o.str());
    }
    break;
  }
  case Expr::Kind::Binary:
    t = checkBinary(cast<BinaryExpr>(e), scope);
    break;
  case Expr::Kind::In: {
    auto &in = cast<InExpr>(e);
    Type o = checkExpr(*in.operand, scope);
    bool ok = !o.isError() && notRecord(*in.operand, o, "in");
    bool nullable = o.nullable;
    if (in.list.empty()) {
      diags_.error(in.range(), "the list after 'in' is empty");
      ok = false;
    }
    for (auto &item : in.list) {
      Type it = checkExpr(*item, scope);
      if (it.isError() || o.isError()) {
        ok = false;
        continue;
      }
      if (!unifyTypes(o, it)) {
        diags_.error(item->range(), "list element has type " + it.str() + ", but '" +
                                        exprToSource(*in.operand) + "' is " + o.str());
        ok = false;
      }
      nullable |= it.nullable;
    }
    if (ok)
      t = Type::boolean(nullable);
    break;
  }
  case Expr::Kind::IsNull: {
    auto &n = cast<IsNullExpr>(e);
    Type o = checkExpr(*n.operand, scope);
    if (o.isError())
      break;
    if (!o.nullable)
      diags_.warning(n.range(), "'" + exprToSource(*n.operand) + "' has type " + o.str() +
                                    " and is never null, so this is always " +
                                    (n.negated ? "true" : "false"));
    t = Type::boolean();
    break;
  }
  case Expr::Kind::If: {
    // Every condition is a bool; the values (and `else`) have one type,
    // nullable when a `case` has no `else` (it gives null).
    auto &i = cast<IfExpr>(e);
    bool ok = true;
    std::vector<std::pair<const Expr *, Type>> values;
    for (auto &arm : i.arms) {
      ok &= expectBool(*arm.cond, scope, i.isCase ? "a 'when' condition" : "the 'if' condition");
      values.emplace_back(arm.value.get(), checkExpr(*arm.value, scope));
    }
    if (i.elseExpr)
      values.emplace_back(i.elseExpr.get(), checkExpr(*i.elseExpr, scope));
    for (const auto &[value, type] : values)
      ok &= !type.isError() && notRecord(*value, type, i.isCase ? "case" : "if");
    if (!ok)
      break;
    Type u = values[0].second;
    for (size_t k = 1; k < values.size() && ok; ++k) {
      auto next = unifyTypes(u, values[k].second);
      if (!next)
        diags_.error(values[k].first->range(),
                     std::string(i.isCase ? "the values of 'case'" : "the branches of 'if'") +
                         " have different types: " + u.str() + " and " +
                         values[k].second.str());
      ok = next.has_value();
      u = next.value_or(u);
    }
    if (ok)
      t = i.elseExpr ? u : u.withNullable(true);
    break;
  }
  case Expr::Kind::Call:
    t = checkCall(cast<CallExpr>(e), scope);
    break;
  }
  e.type = t;
  return t;
}

Type Sema::checkName(NameExpr &e, const Scope &scope) {
  // 1. A parameter of the enclosing fn.
  if (scope.fn) {
    for (size_t i = 0; i < scope.fn->params.size(); ++i)
      if (scope.fn->params[i]->name == e.name) {
        e.binding.kind = NameBinding::Kind::FnParam;
        e.binding.index = static_cast<int>(i);
        return scope.fn->params[i]->type->resolved;
      }
  }
  // 2. A field of the current record (fields shadow params).
  if (scope.record) {
    int idx = scope.record->indexOf(e.name);
    if (idx >= 0) {
      e.binding.kind = NameBinding::Kind::Field;
      e.binding.index = idx;
      return scope.record->fields[idx].type;
    }
  }
  // 3. In an aggregate entry, a field of the input that is not a key.
  const Stmt *symbol = lookup(e.name);
  if (scope.agg == Scope::Agg::Entry && scope.aggInput && scope.aggInput->indexOf(e.name) >= 0 &&
      !(symbol && isa<ParamDecl>(symbol))) {
    diags_.error(e.range(), "'" + e.name +
                                "' is not a key of the window; use it inside an "
                                "aggregate, e.g. max(" +
                                e.name + ")");
    return Type::error();
  }
  // 4. A param.
  if (symbol) {
    if (auto *p = dyn_cast<ParamDecl>(symbol)) {
      if (state_[p] == State::Visiting) {
        // A param's default refers back to itself.
        diags_.error(e.range(), "params refer to each other: " + cycleChain(paramStack_, p));
        return Type::error();
      }
      checkDecl(*const_cast<ParamDecl *>(p));
      e.binding.kind = NameBinding::Kind::Param;
      e.binding.param = p;
      return p->type->resolved;
    }
  }
  // Not a value here.
  if (scope.constWhat && !scope.record) {
    std::vector<std::string> params;
    for (const auto &[n, s] : symbols_)
      if (isa<ParamDecl>(s))
        params.push_back(n);
    if (!symbol && isBroken(e.name))
      return Type::error();
    if (symbol)
      diags_.error(e.range(), "'" + e.name + "' cannot be used in " + scope.constWhat +
                                  ": only literals and params can");
    else
      diags_.error(e.range(), "unknown name '" + e.name + "' in " + scope.constWhat +
                                  " (only literals and params can be used here)" +
                                  didYouMean(e.name, params));
    return Type::error();
  }
  if (symbol) {
    if (isa<SourceDecl>(symbol) || isa<LetDecl>(symbol))
      diags_.error(e.range(), "'" + e.name + "' is a stream; refer to one of its fields as " +
                                  e.name + ".<field> in a join condition");
    else if (isa<FnDecl>(symbol))
      diags_.error(e.range(), "'" + e.name + "' is a function; call it: " + e.name + "(...)");
    else
      diags_.error(e.range(), "'" + e.name + "' is " +
                                  std::string(isa<SinkDecl>(symbol)    ? "a sink"
                                              : isa<TableDecl>(symbol) ? "a table"
                                                                       : "a schema") +
                                  ", not a value");
    return Type::error();
  }
  if (isBroken(e.name))
    return Type::error();
  std::string where = scope.fn && !scope.record ? " in fn '" + scope.fn->name + "'" : "";
  Diagnostic &d = diags_.error(e.range(), "unknown name '" + e.name + "'" + where +
                                              didYouMean(e.name, visibleNames(scope)));
  if (scope.record && !scope.record->fields.empty())
    d.notes.push_back({{}, "the record here has fields " + scope.record->str()});
  return Type::error();
}

bool Sema::notRecord(const Expr &e, const Type &t, const char *what) {
  if (!t.isRecord())
    return true;
  diags_.error(e.range(), "'" + exprToSourceUnparenthesised(e) + "' is a record (" + t.str() +
                              "), which '" + what + "' cannot take: use one of its fields, as in " +
                              exprToSourceUnparenthesised(e) + "." +
                              (t.record && !t.record->fields.empty() ? t.record->fields[0].name
                                                                     : "field"));
  return false;
}

Type Sema::checkFieldAccess(FieldAccessExpr &e, const Scope &scope) {
  // `a.b` reads field b of a record a, unless a names no field here (then
  // it qualifies a field with a stream, in a join condition).
  auto *base = dyn_cast<NameExpr>(e.base.get());
  bool field = !base || (scope.record && scope.record->indexOf(base->name) >= 0 &&
                         !(scope.other && base->name == scope.otherName));
  if (field)
    return checkMemberAccess(e, scope);
  const RecordType *rec = nullptr;
  bool other = false;
  if (!scope.other && !scope.otherName.empty() && base->name == scope.otherName)
    return Type::error(); // the join's stream is unknown: already reported
  if (scope.other && base->name == scope.otherName) {
    rec = scope.other;
    other = true;
  } else if (scope.record && base->name == scope.selfName && !scope.selfName.empty()) {
    rec = scope.record;
  }
  if (!rec) {
    std::string hint = scope.other ? " (the sides of this join are '" + scope.selfName + "' and '" +
                                         scope.otherName + "')"
                                   : "; 'stream.field' is only used in a join condition";
    diags_.error(base->range(), "'" + base->name + "' is not a stream in scope here" + hint);
    return Type::error();
  }
  base->binding.kind = NameBinding::Kind::Stream;
  int idx = rec->indexOf(e.field);
  if (idx < 0) {
    diags_.error(e.fieldRange, "stream '" + base->name + "' has no field '" + e.field + "'" +
                                   didYouMean(e.field, rec->names()));
    return Type::error();
  }
  e.binding.kind = other ? NameBinding::Kind::OtherField : NameBinding::Kind::Field;
  e.binding.index = idx;
  return rec->fields[idx].type;
}

Type Sema::checkMemberAccess(FieldAccessExpr &e, const Scope &scope) {
  // `a.b`: field b of the record a (a field, or another access).
  Type bt = checkExpr(*e.base, scope);
  if (bt.isError())
    return Type::error();
  if (!bt.isRecord() || !bt.record) {
    auto *name = dyn_cast<NameExpr>(e.base.get());
    diags_.error(e.base->range(),
                 name && bt.kind != TypeKind::Null
                     ? "'" + name->name + "' is " + bt.str() +
                           ", not a record: '.' reads a field of a record (geo.city), or "
                           "qualifies a field with a stream in a join condition (orders.id)"
                     : "'.' reads a field of a record, but this is " + bt.str());
    return Type::error();
  }
  int idx = bt.record->indexOf(e.field);
  if (idx < 0) {
    diags_.error(e.fieldRange, bt.str() + " has no field '" + e.field + "'" +
                                   didYouMean(e.field, bt.record->names()));
    return Type::error();
  }
  e.binding.kind = NameBinding::Kind::Member;
  e.binding.index = idx;
  // A field of a null record is null.
  const Type &f = bt.record->fields[static_cast<size_t>(idx)].type;
  return f.withNullable(f.nullable || bt.nullable);
}

Type Sema::checkBinary(BinaryExpr &e, const Scope &scope) {
  Type a = checkExpr(*e.lhs, scope);
  Type b = checkExpr(*e.rhs, scope);
  if (a.isError() || b.isError())
    return Type::error();
  if (!notRecord(*e.lhs, a, binaryOpSpelling(e.op)) || !notRecord(*e.rhs, b, binaryOpSpelling(e.op)))
    return Type::error();
  bool n = a.nullable || b.nullable;
  const char *op = binaryOpSpelling(e.op);
  auto mismatch = [&]() {
    diags_.error(e.opRange,
                 std::string("cannot apply '") + op + "' to " + a.str() + " and " + b.str());
    return Type::error();
  };
  auto both = [&](TypeKind k) {
    return (a.kind == k || a.isNullLiteral()) && (b.kind == k || b.isNullLiteral());
  };
  auto numeric = [&]() {
    return (a.isNumeric() || a.isNullLiteral()) && (b.isNumeric() || b.isNullLiteral());
  };
  auto numType = [&]() {
    bool f = a.kind == TypeKind::F64 || b.kind == TypeKind::F64;
    return Type(f ? TypeKind::F64 : TypeKind::I64, n);
  };

  switch (e.op) {
  case BinaryOp::And:
  case BinaryOp::Or:
    if (!both(TypeKind::Bool)) {
      Expr &bad = a.kind != TypeKind::Bool && !a.isNullLiteral() ? *e.lhs : *e.rhs;
      diags_.error(bad.range(),
                   std::string("'") + op + "' needs bool operands, found " + bad.type.str());
      return Type::error();
    }
    return Type::boolean(n);
  case BinaryOp::Eq:
  case BinaryOp::Ne:
  case BinaryOp::Lt:
  case BinaryOp::Le:
  case BinaryOp::Gt:
  case BinaryOp::Ge: {
    if (a.isNullLiteral() || b.isNullLiteral()) {
      Expr &other = a.isNullLiteral() ? *e.rhs : *e.lhs;
      bool eq = e.op == BinaryOp::Eq || e.op == BinaryOp::Ne;
      diags_.error(e.opRange, std::string("comparing with null is always null") +
                                  (eq ? "; write '" + exprToSource(other) +
                                            (e.op == BinaryOp::Eq ? " is null'" : " is not null'")
                                      : ""));
      return Type::error();
    }
    auto u = unifyTypes(a, b);
    if (!u)
      return mismatch();
    bool ordering = e.op != BinaryOp::Eq && e.op != BinaryOp::Ne;
    if (ordering && !isOrdered(u->kind)) {
      diags_.error(e.opRange, std::string("'") + op + "' cannot order values of type " + u->str());
      return Type::error();
    }
    return Type::boolean(n);
  }
  case BinaryOp::Add:
    if (numeric())
      return numType();
    if (both(TypeKind::String))
      return Type::string(n);
    if (both(TypeKind::Duration))
      return Type::duration(n);
    if ((a.kind == TypeKind::Timestamp && b.kind == TypeKind::Duration) ||
        (a.kind == TypeKind::Duration && b.kind == TypeKind::Timestamp))
      return Type::timestamp(n);
    return mismatch();
  case BinaryOp::Sub:
    if (numeric())
      return numType();
    if (a.kind == TypeKind::Timestamp && b.kind == TypeKind::Timestamp)
      return Type::duration(n);
    if (a.kind == TypeKind::Timestamp && b.kind == TypeKind::Duration)
      return Type::timestamp(n);
    if (both(TypeKind::Duration))
      return Type::duration(n);
    return mismatch();
  case BinaryOp::Mul:
    if (numeric())
      return numType();
    if ((a.kind == TypeKind::Duration && b.kind == TypeKind::I64) ||
        (a.kind == TypeKind::I64 && b.kind == TypeKind::Duration))
      return Type::duration(n);
    return mismatch();
  case BinaryOp::Div:
    if (numeric())
      return numType();
    if (a.kind == TypeKind::Duration && b.kind == TypeKind::I64)
      return Type::duration(n);
    if (both(TypeKind::Duration))
      return Type::i64(n);
    return mismatch();
  case BinaryOp::Mod:
    if (numeric())
      return numType();
    if (both(TypeKind::Duration))
      return Type::duration(n);
    return mismatch();
  }
  return Type::error();
}

// ============================================================ constant values

std::optional<Value> Sema::evalConstant(const Expr &e) const { return evaluate(e).value; }

EvalResult Sema::evaluate(const Expr &e) const {
  if (e.type.isError())
    return EvalResult::notConstant();
  switch (e.kind()) {
  case Expr::Kind::IntLit:
    return EvalResult::of(Value::i64(cast<IntLiteral>(e).value));
  case Expr::Kind::FloatLit:
    return EvalResult::of(Value::f64(cast<FloatLiteral>(e).value));
  case Expr::Kind::StringLit:
    return EvalResult::of(Value::string(cast<StringLiteral>(e).value));
  case Expr::Kind::BoolLit:
    return EvalResult::of(Value::boolean(cast<BoolLiteral>(e).value));
  case Expr::Kind::NullLit:
    return EvalResult::of(Value::null());
  case Expr::Kind::DurationLit:
    return EvalResult::of(Value::duration(cast<DurationLiteral>(e).millis));
  case Expr::Kind::Name: {
    auto &n = cast<NameExpr>(e);
    if (n.binding.kind != NameBinding::Kind::Param)
      return EvalResult::notConstant();
    auto it = params_.find(n.binding.param);
    if (it == params_.end() || !it->second.value)
      return EvalResult::fail("param '" + n.name +
                              "' has no value: give it a default or pass --param " + n.name +
                              "=...");
    return EvalResult::of(*it->second.value);
  }
  case Expr::Kind::Unary: {
    auto &u = cast<UnaryExpr>(e);
    EvalResult v = evaluate(*u.operand);
    return v.value ? evalUnary(u.op, e.type, *v.value) : v;
  }
  case Expr::Kind::Binary: {
    auto &b = cast<BinaryExpr>(e);
    EvalResult l = evaluate(*b.lhs);
    if (!l.value)
      return l;
    EvalResult r = evaluate(*b.rhs);
    if (!r.value)
      return r;
    // Mixed i64/f64 operands compare and compute as f64.
    Value lv = *l.value, rv = *r.value;
    return evalBinary(b.op, e.type, lv, rv);
  }
  case Expr::Kind::If: {
    auto &i = cast<IfExpr>(e);
    for (const auto &arm : i.arms) {
      EvalResult c = evaluate(*arm.cond);
      if (!c.value)
        return c;
      if (!c.value->isNull() && c.value->asBool())
        return evaluate(*arm.value);
    }
    return i.elseExpr ? evaluate(*i.elseExpr) : EvalResult::of(Value::null(e.type));
  }
  case Expr::Kind::Call: {
    auto &c = cast<CallExpr>(e);
    if (c.calleeKind != CalleeKind::Builtin)
      return EvalResult::notConstant();
    std::vector<Value> args;
    for (const auto &a : c.args) {
      EvalResult v = evaluate(*a);
      if (!v.value)
        return v;
      args.push_back(*v.value);
    }
    return evalBuiltin(c.builtin->id, e.type, args);
  }
  default:
    return EvalResult::notConstant();
  }
}

} // namespace streamc
