/// \file
/// Type checking of expressions (LANGUAGE.md §2, §5, §7) and the small
/// constant evaluator sema needs for sizes, connector arguments and params.

#include "aggregates/Aggregate.h"
#include "ast/AstPrinter.h"
#include "sema/Builtins.h"
#include "sema/Scope.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

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

Type Sema::checkFnCall(CallExpr &e, FnDecl &fn, const Scope &scope) {
  State st = state_[&fn];
  if (st == State::Visiting) {
    // A cycle: report it at the call that closes it.
    diags_.error(e.calleeRange, "recursion is not allowed: " + cycleChain(fnStack_, &fn));
    return Type::error();
  }
  if (st == State::Unvisited)
    checkFn(fn);
  e.calleeKind = CalleeKind::Fn;
  e.fn = &fn;
  bool argsOk = true;
  bool nullable = false;
  std::vector<Type> args;
  for (auto &a : e.args)
    args.push_back(checkExpr(*a, scope));
  if (e.args.size() != fn.params.size()) {
    Diagnostic &d =
        diags_.error(e.range(), "fn '" + fn.name + "' takes " + std::to_string(fn.params.size()) +
                                    " argument" + (fn.params.size() == 1 ? "" : "s") + ", found " +
                                    std::to_string(e.args.size()));
    d.notes.push_back({fn.nameRange, "'" + fn.name + "' declared here"});
    return Type::error();
  }
  for (size_t i = 0; i < args.size(); ++i) {
    Type want = fn.params[i]->type->resolved;
    Type got = args[i];
    if (want.isError() || got.isError()) {
      argsOk = false;
      continue;
    }
    bool fits = got.isNullLiteral() || got.kind == want.kind ||
                (got.kind == TypeKind::I64 && want.kind == TypeKind::F64);
    if (!fits) {
      Diagnostic &d =
          diags_.error(e.args[i]->range(), "argument " + std::to_string(i + 1) + " of '" + fn.name +
                                               "' must be " + want.str() + ", found " + got.str());
      d.notes.push_back({fn.params[i]->range(), "parameter declared here"});
      argsOk = false;
    }
    // A nullable argument for a non-nullable parameter makes the result
    // nullable: null propagates through the inlined body.
    if ((got.nullable || got.isNullLiteral()) && !want.nullable)
      nullable = true;
  }
  if (!argsOk || fn.resultType.isError())
    return Type::error();
  if (!checkInlinedSize(e, fn))
    return Type::error();
  return fn.resultType.withNullable(fn.resultType.nullable || nullable);
}

bool Sema::checkInlinedSize(const CallExpr &e, const FnDecl &fn) {
  std::vector<double> args, ones(e.args.size(), 1);
  bool argsFit = true;
  for (const auto &a : e.args) {
    args.push_back(inlineCost_.of(*a));
    argsFit &= args.back() <= kMaxInlinedSize;
  }
  double size = inlineCost_.ofCall(fn, args);
  if (size <= kMaxInlinedSize)
    return true;
  // Reported once, at the call that crosses the limit (not at the calls
  // around it, nor inside the callee when its own body is the culprit).
  if (argsFit && inlineCost_.ofCall(fn, ones) <= kMaxInlinedSize)
    diags_.error(e.range(),
                 "calling '" + fn.name + "' here expands to " +
                     (size < 1e15 ? fmt::format("{:.0f}", size) : fmt::format("{:.3g}", size)) +
                     " operations once fn calls are inlined (at most " +
                     fmt::format("{:.0f}", kMaxInlinedSize) +
                     "): nest fewer calls, or pass a value computed once with extend");
  return false;
}

bool Sema::checkCallArgs(CallExpr &e, const Scope &scope, std::vector<Type> &args) {
  bool ok = true;
  for (auto &a : e.args) {
    args.push_back(checkExpr(*a, scope));
    ok &= notRecord(*a, args.back(), e.callee.c_str());
  }
  return ok;
}

/// A call of an aggregate: only in an aggregate block's entries, never
/// nested; typed and its constant arguments checked by its registry entry.
Type Sema::checkAggregateCall(CallExpr &e, const Scope &scope) {
  if (scope.agg != Scope::Agg::Entry) {
    for (auto &a : e.args)
      checkExpr(*a, scope);
    diags_.error(
        e.calleeRange,
        scope.agg == Scope::Agg::Inside
            ? "aggregates cannot be nested: '" + e.callee + "' inside another aggregate's argument"
            : "aggregate '" + e.callee +
                  "' can only be used inside 'window ... aggregate { }' or 'extend over ... { }'");
    return Type::error();
  }
  Scope inside;
  inside.record = scope.aggInput;
  inside.agg = Scope::Agg::Inside;
  std::vector<Type> types;
  if (!checkCallArgs(e, inside, types))
    return Type::error();
  // The positional arguments, then the named ones (constants of the entry).
  const AggregateFunction &any = *findAggregateNamed(e.callee);
  std::vector<Type> positional;
  std::map<std::string, const Expr *> named;
  bool ok = true;
  for (size_t i = 0; i < e.args.size(); ++i) {
    const std::string &name = e.argName(i);
    if (name.empty()) {
      if (!named.empty()) {
        diags_.error(e.args[i]->range(), "a positional argument cannot follow a named one");
        ok = false;
      }
      positional.push_back(types[i]);
      continue;
    }
    std::vector<ConstantArg> constants = any.constantArgs();
    bool known = std::any_of(constants.begin(), constants.end(),
                             [&](const ConstantArg &c) { return c.name && name == c.name; });
    if (!known)
      diags_.error(e.argNames[i].range,
                   "'" + e.callee + "' has no argument '" + name + "': " + any.signature);
    else if (!named.emplace(name, e.args[i].get()).second)
      diags_.error(e.argNames[i].range, "argument '" + name + "' is given twice");
    ok &= known && named[name] == e.args[i].get();
  }
  if (!ok)
    return Type::error();
  const AggregateFunction *agg = findAggregate(e.callee, positional.size());
  if (!agg) {
    std::string namedOnes;
    for (const ConstantArg &c : any.constantArgs())
      if (c.name)
        namedOnes += (namedOnes.empty() ? "" : ", ") + std::string("'") + c.name + "'";
    diags_.error(e.range(), "wrong number of arguments to '" + e.callee + "': " + any.signature +
                                (namedOnes.empty() ? "" : "; " + namedOnes + " is given by name"));
    return Type::error();
  }
  e.calleeKind = CalleeKind::Aggregate;
  e.aggregate = agg;
  for (const Type &t : types)
    if (t.isError())
      return Type::error(); // already reported
  BuiltinTyping typing = agg->type(positional);
  if (!typing.error.empty()) {
    diags_.error(typing.badArg >= 0 ? e.args[typing.badArg]->range() : e.range(), typing.error);
    return Type::error();
  }
  if ((agg->flags & TestThenTrain) && !scope.frame) {
    diags_.error(e.calleeRange, "'" + e.callee +
                                    "' predicts each record from the records before "
                                    "it: use it in 'extend over <frame> { ... }', not in a window");
    return Type::error();
  }
  if ((agg->flags & UnboundedFrameOnly) && scope.frame && std::string(scope.frame) != "unbounded") {
    diags_.error(e.calleeRange, "'" + e.callee +
                                    "' learns from every record before: it needs "
                                    "'extend over unbounded', not a " +
                                    scope.frame + " frame");
    return Type::error();
  }
  if (!(agg->flags & Mergeable) && scope.mergingWindow) {
    diags_.error(e.calleeRange, "'" + e.callee +
                                    "' depends on the order records arrive in, which " +
                                    scope.mergingWindow +
                                    " does not keep when it merges states; use it in a tumbling, "
                                    "count or all window, or in 'extend over'");
    return Type::error();
  }
  return checkAggregateConstants(e, *agg, named) ? typing.type : Type::error();
}

/// The constant arguments of an aggregate call: constants (or params) in
/// the entry's range; a named one left out has its default or is an error.
bool Sema::checkAggregateConstants(const CallExpr &e, const AggregateFunction &agg,
                                   const std::map<std::string, const Expr *> &named) {
  bool ok = true;
  for (const ConstantArg &c : agg.constantArgs()) {
    const Expr *arg = nullptr;
    if (!c.name)
      arg = e.args[c.index].get();
    else if (auto it = named.find(c.name); it != named.end())
      arg = it->second;
    if (!arg) {
      if (std::isnan(c.defaultValue)) {
        diags_.error(e.range(),
                     "'" + e.callee + "' needs its argument '" + c.name + "': " + agg.signature);
        ok = false;
      }
      continue;
    }
    auto v = evalConstant(*arg);
    if (!v || v->isNull() || !v->type.isNumeric() || v->asDouble() > c.max ||
        (c.minExclusive ? v->asDouble() <= c.min : v->asDouble() < c.min)) {
      diags_.error(arg->range(), c.message);
      ok = false;
    }
  }
  return ok;
}

/// Only aggregates take named arguments (their constants): a named
/// argument of anything else is reported (false).
bool Sema::noNamedArgs(const CallExpr &e) {
  for (const CallExpr::ArgName &n : e.argNames)
    if (!n.name.empty()) {
      diags_.error(n.range, "'" + e.callee + "' takes no named arguments (only aggregates do, " +
                                "for their constants: ewma(x, alpha: 0.3))");
      return false;
    }
  return true;
}

Type Sema::checkCall(CallExpr &e, const Scope &scope) {
  // User functions.
  if (const Stmt *s = lookup(e.callee)) {
    if (auto *fn = dyn_cast<FnDecl>(s)) {
      if (!noNamedArgs(e)) {
        for (auto &a : e.args)
          checkExpr(*a, scope);
        return Type::error();
      }
      return checkFnCall(e, *const_cast<FnDecl *>(fn), scope);
    }
    Diagnostic &d = diags_.error(e.calleeRange, "'" + e.callee + "' is not a function");
    d.notes.push_back({s->nameRange, "'" + e.callee + "' declared here"});
    for (auto &a : e.args)
      checkExpr(*a, scope);
    return Type::error();
  }

  // Aggregates: `min`/`max` with two arguments are the scalar functions,
  // every other use of an aggregate name is an aggregate.
  const Builtin *scalar = findScalarBuiltin(e.callee);
  int n = static_cast<int>(e.args.size());
  bool scalarFits = scalar && n >= scalar->minArgs && (scalar->maxArgs < 0 || n <= scalar->maxArgs);
  if (findAggregateNamed(e.callee) && !scalarFits)
    return checkAggregateCall(e, scope);

  // Scalar built-ins.
  const Builtin *b = scalar;
  if (!b) {
    // Its arguments are still checked, as an aggregate's when it stands
    // where an aggregate may (it may well be one): no knock-on errors.
    Scope argScope = scope;
    if (scope.agg == Scope::Agg::Entry) {
      argScope = Scope();
      argScope.record = scope.aggInput;
      argScope.agg = Scope::Agg::Inside;
    }
    for (auto &a : e.args)
      checkExpr(*a, argScope);
    std::vector<std::string> names = builtinNames();
    for (const std::string &a : aggregateNames())
      names.push_back(a);
    for (const auto &[n, s] : symbols_)
      if (isa<FnDecl>(s))
        names.push_back(n);
    if (isBroken(e.callee))
      return Type::error();
    if (e.callee == "split")
      diags_.error(e.calleeRange, "'split' makes one record per piece: it is used as 'unnest "
                                  "<name> = split(<string>, <separator>)'; for one piece, use "
                                  "split_part(s, sep, n)");
    else
      diags_.error(e.calleeRange,
                   "unknown function '" + e.callee + "'" + didYouMean(e.callee, names));
    return Type::error();
  }
  std::vector<Type> args;
  if (!checkCallArgs(e, scope, args) || !noNamedArgs(e))
    return Type::error();
  if (n < b->minArgs || (b->maxArgs >= 0 && n > b->maxArgs)) {
    std::string count = b->minArgs == b->maxArgs ? std::to_string(b->minArgs)
                        : b->maxArgs < 0
                            ? "at least " + std::to_string(b->minArgs)
                            : std::to_string(b->minArgs) + " or " + std::to_string(b->maxArgs);
    bool one = b->minArgs == 1 && (b->maxArgs == 1 || b->maxArgs < 0);
    diags_.error(e.range(), "'" + e.callee + "' takes " + count + " argument" + (one ? "" : "s") +
                                ", found " + std::to_string(n) + ": " + b->signature);
    return Type::error();
  }
  e.calleeKind = CalleeKind::Builtin;
  e.builtin = b;
  BuiltinTyping typing = typeBuiltinCall(*b, args);
  if (!typing.error.empty()) {
    diags_.error(typing.badArg >= 0 ? e.args[typing.badArg]->range() : e.range(), typing.error);
    return Type::error();
  }
  if ((b->flags & PatternArg) && !checkPatternCall(e))
    return Type::error();
  return typing.type;
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
