#include "sema/Builtins.h"

#include <cassert>
#include <cstring>

namespace streamc {
namespace {

const Builtin kScalars[] = {
    {"abs", BuiltinId::Abs, 1, 1, "abs(x: i64 | f64 | duration)", CanFail},
    {"sqrt", BuiltinId::Sqrt, 1, 1, "sqrt(x: number) -> f64", CanFail},
    {"exp", BuiltinId::Exp, 1, 1, "exp(x: number) -> f64", CanFail},
    {"ln", BuiltinId::Ln, 1, 1, "ln(x: number) -> f64", CanFail},
    {"log10", BuiltinId::Log10, 1, 1, "log10(x: number) -> f64", CanFail},
    {"pow", BuiltinId::Pow, 2, 2, "pow(x: number, y: number) -> f64", CanFail},
    {"floor", BuiltinId::Floor, 1, 1, "floor(x: number)"},
    {"ceil", BuiltinId::Ceil, 1, 1, "ceil(x: number)"},
    {"round", BuiltinId::Round, 1, 2, "round(x: number[, digits: i64]) -> f64", CanFail},
    {"min", BuiltinId::Min, 2, 2, "min(a, b)"},
    {"max", BuiltinId::Max, 2, 2, "max(a, b)"},
    {"len", BuiltinId::Len, 1, 1, "len(s: string) -> i64"},
    {"lower", BuiltinId::Lower, 1, 1, "lower(s: string) -> string", UsesRecordContext},
    {"upper", BuiltinId::Upper, 1, 1, "upper(s: string) -> string", UsesRecordContext},
    {"trim", BuiltinId::Trim, 1, 1, "trim(s: string) -> string"},
    {"contains", BuiltinId::Contains, 2, 2, "contains(s: string, part: string) -> bool"},
    {"starts_with", BuiltinId::StartsWith, 2, 2, "starts_with(s: string, prefix: string) -> bool"},
    {"ends_with", BuiltinId::EndsWith, 2, 2, "ends_with(s: string, suffix: string) -> bool"},
    {"substr", BuiltinId::Substr, 2, 3, "substr(s: string, start: i64[, length: i64]) -> string"},
    {"replace", BuiltinId::Replace, 3, 3, "replace(s: string, from: string, to: string) -> string",
     UsesRecordContext},
    {"strpos", BuiltinId::StrPos, 2, 2, "strpos(s: string, part: string) -> i64"},
    {"split_part", BuiltinId::SplitPart, 3, 3,
     "split_part(s: string, sep: string, n: i64) -> string"},
    {"regexp_like", BuiltinId::RegexpLike, 2, 2, "regexp_like(s: string, pattern: string) -> bool",
     PatternArg},
    {"regexp_extract", BuiltinId::RegexpExtract, 3, 3,
     "regexp_extract(s: string, pattern: string, group: i64) -> string?", PatternArg},
    {"regexp_replace", BuiltinId::RegexpReplace, 3, 3,
     "regexp_replace(s: string, pattern: string, replacement: string) -> string",
     PatternArg | UsesRecordContext},
    {"i64", BuiltinId::ToI64, 1, 1, "i64(x) -> i64", CanFail},
    {"f64", BuiltinId::ToF64, 1, 1, "f64(x) -> f64"},
    {"string", BuiltinId::ToString, 1, 1, "string(x) -> string", UsesRecordContext},
    {"coalesce", BuiltinId::Coalesce, 1, -1, "coalesce(a, b, ...)"},
    {"now", BuiltinId::Now, 0, 0, "now() -> timestamp", UsesRecordContext},
    {"floor_time", BuiltinId::FloorTime, 2, 2,
     "floor_time(ts: timestamp, unit: duration) -> timestamp", CanFail},
    {"year", BuiltinId::Year, 1, 1, "year(ts: timestamp) -> i64"},
    {"month", BuiltinId::Month, 1, 1, "month(ts: timestamp) -> i64"},
    {"day", BuiltinId::Day, 1, 1, "day(ts: timestamp) -> i64"},
    {"hour", BuiltinId::Hour, 1, 1, "hour(ts: timestamp) -> i64"},
    {"minute", BuiltinId::Minute, 1, 1, "minute(ts: timestamp) -> i64"},
    {"second", BuiltinId::Second, 1, 1, "second(ts: timestamp) -> i64"},
    {"parse_timestamp", BuiltinId::ParseTimestamp, 1, 1,
     "parse_timestamp(s: string) -> timestamp?"},
};

bool isComparable(TypeKind k) {
  return k == TypeKind::I64 || k == TypeKind::F64 || k == TypeKind::String ||
         k == TypeKind::Timestamp || k == TypeKind::Duration;
}

BuiltinTyping ok(Type t) { return {t, "", -1}; }
BuiltinTyping bad(int arg, std::string msg) { return {Type::error(), std::move(msg), arg}; }

/// Checks that argument \p i has kind \p k (or is the null literal).
bool argIs(const std::vector<Type> &args, size_t i, TypeKind k) {
  return args[i].kind == k || args[i].isNullLiteral();
}
bool argNumeric(const std::vector<Type> &args, size_t i) {
  return args[i].isNumeric() || args[i].isNullLiteral();
}
std::string expected(const Builtin &b, size_t i, const char *what, const std::vector<Type> &args) {
  return std::string("argument ") + std::to_string(i + 1) + " of '" + b.name + "' must be " + what +
         ", found " + args[i].str();
}

} // namespace

const Builtin *findScalarBuiltin(const std::string &name) {
  for (const Builtin &b : kScalars)
    if (name == b.name)
      return &b;
  return nullptr;
}

const Builtin &scalarBuiltin(BuiltinId id) {
  for (const Builtin &b : kScalars)
    if (b.id == id)
      return b;
  assert(false && "not a scalar built-in");
  return kScalars[0];
}

std::vector<std::string> builtinNames() {
  std::vector<std::string> out;
  for (const Builtin &b : kScalars)
    out.push_back(b.name);
  return out;
}

BuiltinTyping typeBuiltinCall(const Builtin &b, const std::vector<Type> &args) {
  for (const Type &t : args)
    if (t.isError())
      return ok(Type::error());
  bool anyNull = false;
  for (const Type &t : args)
    anyNull |= t.nullable;

  switch (b.id) {
  case BuiltinId::Abs:
    if (args[0].isNumeric() || args[0].kind == TypeKind::Duration || args[0].isNullLiteral())
      return ok(args[0]);
    return bad(0, expected(b, 0, "a number or a duration", args));
  case BuiltinId::Sqrt:
  case BuiltinId::Exp:
  case BuiltinId::Ln:
  case BuiltinId::Log10:
    if (!argNumeric(args, 0))
      return bad(0, expected(b, 0, "a number", args));
    return ok(Type::f64(anyNull));
  case BuiltinId::Pow:
    for (size_t i = 0; i < 2; ++i)
      if (!argNumeric(args, i))
        return bad(static_cast<int>(i), expected(b, i, "a number", args));
    return ok(Type::f64(anyNull));
  case BuiltinId::Floor:
  case BuiltinId::Ceil:
    if (args[0].kind == TypeKind::I64)
      return ok(args[0]);
    if (!argNumeric(args, 0))
      return bad(0, expected(b, 0, "a number", args));
    return ok(Type::f64(anyNull));
  case BuiltinId::Round:
    if (!argNumeric(args, 0))
      return bad(0, expected(b, 0, "a number", args));
    if (args.size() == 2 && !argIs(args, 1, TypeKind::I64))
      return bad(1, expected(b, 1, "an i64 number of digits", args));
    return ok(Type::f64(anyNull));
  case BuiltinId::Min:
  case BuiltinId::Max: {
    auto u = unifyTypes(args[0], args[1]);
    if (!u)
      return bad(1, std::string("'") + b.name + "' needs two values of the same type, found " +
                        args[0].str() + " and " + args[1].str());
    if (!u->isNullLiteral() && !isComparable(u->kind))
      return bad(0, std::string("'") + b.name + "' cannot compare values of type " + u->str());
    return ok(*u);
  }
  case BuiltinId::Len:
    if (!argIs(args, 0, TypeKind::String))
      return bad(0, expected(b, 0, "a string", args));
    return ok(Type::i64(anyNull));
  case BuiltinId::Lower:
  case BuiltinId::Upper:
  case BuiltinId::Trim:
    if (!argIs(args, 0, TypeKind::String))
      return bad(0, expected(b, 0, "a string", args));
    return ok(Type::string(anyNull));
  case BuiltinId::Contains:
  case BuiltinId::StartsWith:
  case BuiltinId::EndsWith:
  case BuiltinId::StrPos:
    for (size_t i = 0; i < 2; ++i)
      if (!argIs(args, i, TypeKind::String))
        return bad(static_cast<int>(i), expected(b, i, "a string", args));
    return ok(b.id == BuiltinId::StrPos ? Type::i64(anyNull) : Type::boolean(anyNull));
  case BuiltinId::Substr:
    if (!argIs(args, 0, TypeKind::String))
      return bad(0, expected(b, 0, "a string", args));
    for (size_t i = 1; i < args.size(); ++i)
      if (!argIs(args, i, TypeKind::I64))
        return bad(static_cast<int>(i), expected(b, i, "an i64", args));
    return ok(Type::string(anyNull));
  case BuiltinId::Replace:
    for (size_t i = 0; i < 3; ++i)
      if (!argIs(args, i, TypeKind::String))
        return bad(static_cast<int>(i), expected(b, i, "a string", args));
    return ok(Type::string(anyNull));
  case BuiltinId::RegexpLike:
  case BuiltinId::RegexpExtract:
  case BuiltinId::RegexpReplace: {
    size_t strings = b.id == BuiltinId::RegexpExtract ? 2 : args.size();
    for (size_t i = 0; i < strings; ++i)
      if (!argIs(args, i, TypeKind::String))
        return bad(static_cast<int>(i), expected(b, i, "a string", args));
    if (b.id == BuiltinId::RegexpLike)
      return ok(Type::boolean(anyNull));
    if (b.id == BuiltinId::RegexpReplace)
      return ok(Type::string(anyNull));
    if (!argIs(args, 2, TypeKind::I64))
      return bad(2, expected(b, 2, "an i64", args));
    return ok(Type::string(true)); // null without a match
  }
  case BuiltinId::SplitPart:
    for (size_t i = 0; i < 2; ++i)
      if (!argIs(args, i, TypeKind::String))
        return bad(static_cast<int>(i), expected(b, i, "a string", args));
    if (!argIs(args, 2, TypeKind::I64))
      return bad(2, expected(b, 2, "an i64", args));
    return ok(Type::string(anyNull));
  case BuiltinId::ToI64:
    // A string that is not an integer converts to null.
    return ok(Type::i64(anyNull || args[0].kind == TypeKind::String));
  case BuiltinId::ToF64:
    if (args[0].kind == TypeKind::Timestamp)
      return bad(0, "cannot convert a timestamp to f64; use i64(ts) for epoch milliseconds");
    return ok(Type::f64(anyNull || args[0].kind == TypeKind::String));
  case BuiltinId::ToString:
    return ok(Type::string(anyNull));
  case BuiltinId::Coalesce: {
    Type acc = args[0];
    for (size_t i = 1; i < args.size(); ++i) {
      auto u = unifyTypes(acc, args[i]);
      if (!u)
        return bad(static_cast<int>(i), "arguments of 'coalesce' must have one type, found " +
                                            acc.str() + " and " + args[i].str());
      acc = *u;
    }
    bool nullable = true;
    for (const Type &t : args)
      nullable &= t.nullable;
    return ok(acc.withNullable(nullable));
  }
  case BuiltinId::Now:
    return ok(Type::timestamp());
  case BuiltinId::FloorTime:
    if (!argIs(args, 0, TypeKind::Timestamp))
      return bad(0, expected(b, 0, "a timestamp", args));
    if (!argIs(args, 1, TypeKind::Duration))
      return bad(1, expected(b, 1, "a duration", args));
    return ok(Type::timestamp(anyNull));
  case BuiltinId::Year:
  case BuiltinId::Month:
  case BuiltinId::Day:
  case BuiltinId::Hour:
  case BuiltinId::Minute:
  case BuiltinId::Second:
    if (!argIs(args, 0, TypeKind::Timestamp))
      return bad(0, expected(b, 0, "a timestamp", args));
    return ok(Type::i64(anyNull));
  case BuiltinId::ParseTimestamp:
    if (!argIs(args, 0, TypeKind::String))
      return bad(0, expected(b, 0, "a string", args));
    return ok(Type::timestamp(true));
  }
  return ok(Type::error());
}

} // namespace streamc
