#include "sema/Evaluate.h"

#include <cmath>
#include <cstdlib>

namespace streamc {
namespace {

/// -1, 0, 1; nullopt when unordered (NaN).
std::optional<int> compareValues(const Value &a, const Value &b) {
  if (a.type.kind == TypeKind::String)
    return a.asString().compare(b.asString()) < 0 ? -1 : a.asString() == b.asString() ? 0 : 1;
  if (a.type.kind == TypeKind::Bool)
    return static_cast<int>(a.asBool()) - static_cast<int>(b.asBool());
  if (a.type.kind == TypeKind::F64 || b.type.kind == TypeKind::F64) {
    double x = a.asDouble(), y = b.asDouble();
    if (std::isnan(x) || std::isnan(y))
      return std::nullopt;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a.asInt() < b.asInt() ? -1 : a.asInt() > b.asInt() ? 1 : 0;
}

Value typed(Value v, Type t) {
  if (!v.isNull())
    v.type = Type(t.kind);
  return v;
}

/// A float result, or the record error when it is NaN or infinite (§2).
EvalResult finite(double d, const std::string &why) {
  return std::isfinite(d) ? EvalResult::of(Value::f64(d)) : EvalResult::fail(why);
}

} // namespace

std::string overflowReason(TypeKind result, const char *operation) {
  return Type(result).str() + " overflow in " + operation;
}

const char *operationName(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "addition";
  case BinaryOp::Sub:
    return "subtraction";
  case BinaryOp::Mul:
    return "multiplication";
  case BinaryOp::Div:
    return "division";
  default:
    return "modulo";
  }
}

std::string nonFiniteReason(BuiltinId id) {
  switch (id) {
  case BuiltinId::Sqrt:
    return "sqrt of a negative number";
  case BuiltinId::Ln:
    return "ln of a number that is not positive";
  case BuiltinId::Log10:
    return "log10 of a number that is not positive";
  case BuiltinId::Pow:
    return "pow has no finite result";
  case BuiltinId::Exp:
    return overflowReason(TypeKind::F64, "exp");
  default:
    return overflowReason(TypeKind::F64, "round");
  }
}

EvalResult evalUnary(UnaryOp op, Type result, const Value &v) {
  if (v.isNull())
    return EvalResult::of(Value::null(result));
  if (op == UnaryOp::Not)
    return EvalResult::of(Value::boolean(!v.asBool()));
  if (result.kind == TypeKind::F64)
    return EvalResult::of(Value::f64(-v.asDouble()));
  if (v.asInt() == INT64_MIN)
    return EvalResult::fail(overflowReason(result.kind, "negation"));
  return EvalResult::of(typed(Value::i64(-v.asInt()), result));
}

EvalResult evalBinary(BinaryOp op, Type result, const Value &a, const Value &b) {
  auto boolOr = [](const Value &v, int ifNull) { return v.isNull() ? ifNull : v.asBool() ? 1 : 0; };
  if (op == BinaryOp::And || op == BinaryOp::Or) {
    int x = boolOr(a, -1), y = boolOr(b, -1); // -1: null
    if (op == BinaryOp::And) {
      if (x == 0 || y == 0)
        return EvalResult::of(Value::boolean(false));
      if (x == 1 && y == 1)
        return EvalResult::of(Value::boolean(true));
    } else {
      if (x == 1 || y == 1)
        return EvalResult::of(Value::boolean(true));
      if (x == 0 && y == 0)
        return EvalResult::of(Value::boolean(false));
    }
    return EvalResult::of(Value::null(result));
  }
  if (a.isNull() || b.isNull())
    return EvalResult::of(Value::null(result));

  switch (op) {
  case BinaryOp::Eq:
  case BinaryOp::Ne:
  case BinaryOp::Lt:
  case BinaryOp::Le:
  case BinaryOp::Gt:
  case BinaryOp::Ge: {
    auto c = compareValues(a, b);
    if (!c) // NaN: only != holds
      return EvalResult::of(Value::boolean(op == BinaryOp::Ne));
    bool r = op == BinaryOp::Eq   ? *c == 0
             : op == BinaryOp::Ne ? *c != 0
             : op == BinaryOp::Lt ? *c < 0
             : op == BinaryOp::Le ? *c <= 0
             : op == BinaryOp::Gt ? *c > 0
                                  : *c >= 0;
    return EvalResult::of(Value::boolean(r));
  }
  default:
    break;
  }

  if (result.kind == TypeKind::String)
    return EvalResult::of(Value::string(a.asString() + b.asString()));
  if (result.kind == TypeKind::F64) {
    double x = a.asDouble(), y = b.asDouble();
    std::string overflow = overflowReason(TypeKind::F64, operationName(op));
    switch (op) {
    case BinaryOp::Add:
      return finite(x + y, overflow);
    case BinaryOp::Sub:
      return finite(x - y, overflow);
    case BinaryOp::Mul:
      return finite(x * y, overflow);
    case BinaryOp::Div:
      return y == 0 ? EvalResult::fail("division by zero") : finite(x / y, overflow);
    case BinaryOp::Mod:
      return y == 0 ? EvalResult::fail("modulo by zero") : finite(std::fmod(x, y), overflow);
    default:
      return EvalResult::notConstant();
    }
  }
  // i64, and durations / timestamps (milliseconds).
  int64_t x = a.asInt(), y = b.asInt(), r = 0;
  switch (op) {
  case BinaryOp::Add:
    if (__builtin_add_overflow(x, y, &r))
      return EvalResult::fail(overflowReason(result.kind, operationName(op)));
    break;
  case BinaryOp::Sub:
    if (__builtin_sub_overflow(x, y, &r))
      return EvalResult::fail(overflowReason(result.kind, operationName(op)));
    break;
  case BinaryOp::Mul:
    if (__builtin_mul_overflow(x, y, &r))
      return EvalResult::fail(overflowReason(result.kind, operationName(op)));
    break;
  case BinaryOp::Div:
  case BinaryOp::Mod:
    if (y == 0)
      return EvalResult::fail(op == BinaryOp::Div ? "division by zero" : "modulo by zero");
    if (x == INT64_MIN && y == -1)
      return EvalResult::fail(overflowReason(result.kind, operationName(op)));
    r = op == BinaryOp::Div ? x / y : x % y;
    break;
  default:
    return EvalResult::notConstant();
  }
  return EvalResult::of(typed(Value::i64(r), result));
}

EvalResult evalBuiltin(BuiltinId id, Type result, const std::vector<Value> &args) {
  if (id == BuiltinId::Coalesce) {
    for (const Value &v : args)
      if (!v.isNull())
        return EvalResult::of(typed(v, result));
    return EvalResult::of(Value::null(result));
  }
  if (id == BuiltinId::Now)
    return EvalResult::notConstant();
  for (const Value &v : args)
    if (v.isNull())
      return EvalResult::of(Value::null(result));
  auto str = [&](size_t i) -> const std::string & { return args[i].asString(); };
  auto f64 = [](double d) { return EvalResult::of(Value::f64(d)); };
  switch (id) {
  case BuiltinId::ToF64:
    if (args[0].type.kind == TypeKind::I64 || args[0].type.kind == TypeKind::F64)
      return f64(args[0].asDouble());
    if (args[0].type.kind == TypeKind::Bool)
      return f64(args[0].asBool() ? 1 : 0);
    return EvalResult::notConstant();
  case BuiltinId::ToI64:
    switch (args[0].type.kind) {
    case TypeKind::F64: {
      double d = args[0].asDouble();
      if (!fitsInI64(d))
        return EvalResult::fail(kNotAnI64);
      return EvalResult::of(Value::i64(static_cast<int64_t>(d)));
    }
    case TypeKind::Bool:
      return EvalResult::of(Value::i64(args[0].asBool() ? 1 : 0));
    case TypeKind::I64:
    case TypeKind::Duration:
    case TypeKind::Timestamp:
      return EvalResult::of(Value::i64(args[0].asInt()));
    default:
      return EvalResult::notConstant();
    }
  case BuiltinId::Lower:
  case BuiltinId::Upper: {
    std::string s = str(0);
    for (char &c : s)
      c = static_cast<char>(id == BuiltinId::Lower ? std::tolower(static_cast<unsigned char>(c))
                                                   : std::toupper(static_cast<unsigned char>(c)));
    return EvalResult::of(Value::string(s));
  }
  case BuiltinId::Len:
    return EvalResult::of(Value::i64(static_cast<int64_t>(str(0).size())));
  case BuiltinId::Trim: {
    const std::string &s = str(0);
    size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return EvalResult::of(Value::string(b == std::string::npos ? "" : s.substr(b, e - b + 1)));
  }
  case BuiltinId::Contains:
    return EvalResult::of(Value::boolean(str(0).find(str(1)) != std::string::npos));
  case BuiltinId::StartsWith:
    return EvalResult::of(Value::boolean(str(0).rfind(str(1), 0) == 0));
  case BuiltinId::EndsWith:
    return EvalResult::of(
        Value::boolean(str(0).size() >= str(1).size() &&
                       str(0).compare(str(0).size() - str(1).size(), str(1).size(), str(1)) == 0));
  case BuiltinId::Abs:
    if (result.kind == TypeKind::F64)
      return f64(std::fabs(args[0].asDouble()));
    if (args[0].asInt() == INT64_MIN)
      return EvalResult::fail(overflowReason(result.kind, "abs"));
    return EvalResult::of(typed(Value::i64(std::llabs(args[0].asInt())), result));
  case BuiltinId::Sqrt:
    return finite(std::sqrt(args[0].asDouble()), nonFiniteReason(id));
  case BuiltinId::Exp:
    return finite(std::exp(args[0].asDouble()), nonFiniteReason(id));
  case BuiltinId::Ln:
    return finite(std::log(args[0].asDouble()), nonFiniteReason(id));
  case BuiltinId::Log10:
    return finite(std::log10(args[0].asDouble()), nonFiniteReason(id));
  case BuiltinId::Pow:
    return finite(std::pow(args[0].asDouble(), args[1].asDouble()), nonFiniteReason(id));
  case BuiltinId::Floor:
  case BuiltinId::Ceil:
    if (result.kind == TypeKind::I64)
      return EvalResult::of(args[0]);
    return f64(id == BuiltinId::Floor ? std::floor(args[0].asDouble())
                                      : std::ceil(args[0].asDouble()));
  case BuiltinId::Min:
  case BuiltinId::Max: {
    auto c = compareValues(args[0], args[1]);
    if (!c)
      return EvalResult::notConstant();
    bool first = id == BuiltinId::Min ? *c <= 0 : *c >= 0;
    return EvalResult::of(typed(first ? args[0] : args[1], result));
  }
  case BuiltinId::ParseTimestamp: {
    int64_t ms = 0;
    if (!parseTimestamp(str(0), ms))
      return EvalResult::of(Value::null(result));
    return EvalResult::of(Value::timestamp(ms));
  }
  default:
    return EvalResult::notConstant(); // time parts, substr, ...: left to the run
  }
}

} // namespace streamc
