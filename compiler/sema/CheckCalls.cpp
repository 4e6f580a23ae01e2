/// \file
/// Type checking of calls (LANGUAGE.md §6, §7): user functions, built-ins,
/// and aggregates through their registry entries (aggregates/Aggregate.h),
/// with their named constant arguments.

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
  if ((agg->flags & NullWhenMergeOverflows) && scope.mergingWindow)
    typing.type.nullable = true;
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

} // namespace streamc
