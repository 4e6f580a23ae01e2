/// \file
/// Pass `constant-fold`: evaluates expressions whose operands are constants
/// (with SQL null semantics), simplifies `and`/`or`/`if` with a constant
/// side, and removes `where` stages whose condition is always true.
/// Anything that could fail at run time (overflow, division by zero) is left
/// for the run to report.

#include "opt/Pass.h"
#include "opt/PlanRewrite.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"

#include <algorithm>
#include <cmath>

namespace streamc {
namespace {

using Kind = PlanExpr::Kind;

std::optional<Value> compare(BinaryOp op, const Value &a, const Value &b) {
  int c = 0;
  if (a.type.kind == TypeKind::String) {
    c = a.asString().compare(b.asString());
  } else if (a.type.kind == TypeKind::Bool) {
    c = static_cast<int>(a.asBool()) - static_cast<int>(b.asBool());
  } else if (a.type.kind == TypeKind::F64 || b.type.kind == TypeKind::F64) {
    double x = a.asDouble(), y = b.asDouble();
    if (std::isnan(x) || std::isnan(y))
      return std::nullopt;
    c = x < y ? -1 : x > y ? 1 : 0;
  } else {
    c = a.asInt() < b.asInt() ? -1 : a.asInt() > b.asInt() ? 1 : 0;
  }
  switch (op) {
  case BinaryOp::Eq: return Value::boolean(c == 0);
  case BinaryOp::Ne: return Value::boolean(c != 0);
  case BinaryOp::Lt: return Value::boolean(c < 0);
  case BinaryOp::Le: return Value::boolean(c <= 0);
  case BinaryOp::Gt: return Value::boolean(c > 0);
  case BinaryOp::Ge: return Value::boolean(c >= 0);
  default: return std::nullopt;
  }
}

std::optional<Value> arithmetic(BinaryOp op, Type type, const Value &a, const Value &b) {
  if (type.kind == TypeKind::String)
    return op == BinaryOp::Add ? std::optional(Value::string(a.asString() + b.asString()))
                               : std::nullopt;
  if (type.kind == TypeKind::F64) {
    double x = a.asDouble(), y = b.asDouble();
    switch (op) {
    case BinaryOp::Add: return Value::f64(x + y);
    case BinaryOp::Sub: return Value::f64(x - y);
    case BinaryOp::Mul: return Value::f64(x * y);
    case BinaryOp::Div: return y == 0 ? std::nullopt : std::optional(Value::f64(x / y));
    case BinaryOp::Mod: return y == 0 ? std::nullopt : std::optional(Value::f64(std::fmod(x, y)));
    default: return std::nullopt;
    }
  }
  int64_t x = a.asInt(), y = b.asInt(), r = 0;
  switch (op) {
  case BinaryOp::Add: if (__builtin_add_overflow(x, y, &r)) return std::nullopt; break;
  case BinaryOp::Sub: if (__builtin_sub_overflow(x, y, &r)) return std::nullopt; break;
  case BinaryOp::Mul: if (__builtin_mul_overflow(x, y, &r)) return std::nullopt; break;
  case BinaryOp::Div:
    if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
    r = x / y;
    break;
  case BinaryOp::Mod:
    if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
    r = x % y;
    break;
  default: return std::nullopt;
  }
  Value v = Value::i64(r);
  v.type = Type(type.kind);
  return v;
}

std::optional<Value> callBuiltin(BuiltinId id, Type type, const std::vector<Value> &args) {
  auto str = [&](size_t i) -> const std::string & { return args[i].asString(); };
  switch (id) {
  case BuiltinId::ToF64:
    if (args[0].type.kind == TypeKind::I64 || args[0].type.kind == TypeKind::F64)
      return Value::f64(args[0].asDouble());
    return std::nullopt;
  case BuiltinId::ToI64:
    if (args[0].type.kind == TypeKind::F64) {
      double d = args[0].asDouble();
      if (!(d >= -9.2e18 && d <= 9.2e18))
        return std::nullopt;
      return Value::i64(static_cast<int64_t>(d));
    }
    if (args[0].type.kind == TypeKind::Bool)
      return Value::i64(args[0].asBool() ? 1 : 0);
    if (args[0].type.kind == TypeKind::I64 || args[0].type.kind == TypeKind::Duration ||
        args[0].type.kind == TypeKind::Timestamp)
      return Value::i64(args[0].asInt());
    return std::nullopt;
  case BuiltinId::Lower: case BuiltinId::Upper: {
    std::string s = str(0);
    for (char &c : s)
      c = static_cast<char>(id == BuiltinId::Lower ? std::tolower(static_cast<unsigned char>(c))
                                                   : std::toupper(static_cast<unsigned char>(c)));
    return Value::string(s);
  }
  case BuiltinId::Len:
    return Value::i64(static_cast<int64_t>(str(0).size()));
  case BuiltinId::Trim: {
    const std::string &s = str(0);
    size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return Value::string(b == std::string::npos ? "" : s.substr(b, e - b + 1));
  }
  case BuiltinId::Contains: return Value::boolean(str(0).find(str(1)) != std::string::npos);
  case BuiltinId::StartsWith: return Value::boolean(str(0).rfind(str(1), 0) == 0);
  case BuiltinId::EndsWith:
    return Value::boolean(str(0).size() >= str(1).size() &&
                          str(0).compare(str(0).size() - str(1).size(), str(1).size(), str(1)) == 0);
  case BuiltinId::Abs:
    if (type.kind == TypeKind::F64)
      return Value::f64(std::fabs(args[0].asDouble()));
    if (args[0].asInt() == INT64_MIN)
      return std::nullopt;
    {
      Value v = args[0];
      v.data = std::llabs(args[0].asInt());
      return v;
    }
  case BuiltinId::Sqrt: return Value::f64(std::sqrt(args[0].asDouble()));
  case BuiltinId::Exp: return Value::f64(std::exp(args[0].asDouble()));
  case BuiltinId::Ln: return Value::f64(std::log(args[0].asDouble()));
  case BuiltinId::Log10: return Value::f64(std::log10(args[0].asDouble()));
  case BuiltinId::Pow: return Value::f64(std::pow(args[0].asDouble(), args[1].asDouble()));
  case BuiltinId::Floor:
  case BuiltinId::Ceil:
    if (type.kind == TypeKind::I64)
      return args[0];
    return Value::f64(id == BuiltinId::Floor ? std::floor(args[0].asDouble())
                                             : std::ceil(args[0].asDouble()));
  case BuiltinId::Min: case BuiltinId::Max: {
    auto lt = compare(BinaryOp::Lt, args[0], args[1]);
    if (!lt)
      return std::nullopt;
    bool pickFirst = (id == BuiltinId::Min) == lt->asBool();
    return pickFirst ? args[0] : args[1];
  }
  default:
    return std::nullopt; // now(), time functions, parsing: left to the run
  }
}

class ConstantFoldingPass : public Pass {
public:
  const char *name() const override { return "constant-fold"; }
  const char *description() const override {
    return "evaluate constant expressions and drop always-true filters";
  }

  bool run(Plan &plan, const PassOptions &) override {
    bool changed = false;
    auto visit = [&](PlanExprPtr &root) {
      rewriteBottomUp(root, [&](PlanExprPtr &e) { changed |= fold(e); });
    };
    for (const auto &op : plan.operators())
      forEachExpr(*op, visit);
    for (auto &[fn, body] : plan.functions)
      visit(body);
    changed |= removeTrueFilters(plan);
    return changed;
  }

private:
  static bool isTrue(const PlanExpr &e) {
    return e.isConst() && !e.value.isNull() && e.value.type.kind == TypeKind::Bool && e.value.asBool();
  }
  static bool isFalse(const PlanExpr &e) {
    return e.isConst() && !e.value.isNull() && e.value.type.kind == TypeKind::Bool && !e.value.asBool();
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

  static bool keep(PlanExprPtr &e, PlanExprPtr &with) {
    Type t = e->type;
    PlanExprPtr moved = std::move(with);
    if (moved->type.kind == t.kind)
      moved->type = t.nullable ? t : moved->type;
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
      if (anyNull)
        return replace(e, Value::null(e->type));
      if (e->unaryOp == UnaryOp::Not)
        return replace(e, Value::boolean(!ch[0]->value.asBool()));
      if (e->type.kind == TypeKind::F64)
        return replace(e, Value::f64(-ch[0]->value.asDouble()));
      if (ch[0]->value.asInt() == INT64_MIN)
        return false;
      {
        Value v = ch[0]->value;
        v.data = -v.asInt();
        return replace(e, v);
      }
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
      std::optional<Value> v;
      if (op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt || op == BinaryOp::Le ||
          op == BinaryOp::Gt || op == BinaryOp::Ge)
        v = compare(op, ch[0]->value, ch[1]->value);
      else
        v = arithmetic(op, e->type, ch[0]->value, ch[1]->value);
      return v ? replace(e, *v) : false;
    }
    case Kind::IsNull:
      if (ch[0]->isConst())
        return replace(e, Value::boolean(ch[0]->value.isNull() != e->negated));
      if (!ch[0]->type.nullable && !ch[0]->type.isNullLiteral())
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
      bool found = false, sawNull = false;
      for (size_t i = 1; i < ch.size(); ++i) {
        if (ch[i]->value.isNull()) {
          sawNull = true;
          continue;
        }
        auto eq = compare(BinaryOp::Eq, ch[0]->value, ch[i]->value);
        found |= eq && eq->asBool();
      }
      if (found)
        return replace(e, Value::boolean(!e->negated));
      if (sawNull)
        return replace(e, Value::null(e->type));
      return replace(e, Value::boolean(e->negated));
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
      if (!allConst || e->builtin == BuiltinId::Now)
        return false;
      if (anyNull)
        return replace(e, Value::null(e->type));
      std::vector<Value> args;
      for (const auto &c : ch)
        args.push_back(c->value);
      auto v = callBuiltin(e->builtin, e->type, args);
      return v ? replace(e, *v) : false;
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
