#pragma once
/// \file
/// A compile-time constant: a typed scalar or null. Used for param values,
/// connector arguments and constant folding.

#include "sema/Type.h"

#include <cstdint>
#include <string>
#include <variant>

namespace streamc {

struct Value {
  Type type = Type::null();
  /// monostate for null; bool; int64 for i64, timestamp and duration; double;
  /// string.
  std::variant<std::monostate, bool, int64_t, double, std::string> data;

  static Value null(Type t = Type::null()) { return {t.withNullable(true), {}}; }
  static Value boolean(bool b) { return {Type::boolean(), b}; }
  static Value i64(int64_t v) { return {Type::i64(), v}; }
  static Value f64(double v) { return {Type::f64(), v}; }
  static Value string(std::string s) { return {Type::string(), std::move(s)}; }
  static Value timestamp(int64_t ms) { return {Type::timestamp(), ms}; }
  static Value duration(int64_t ms) { return {Type::duration(), ms}; }

  bool isNull() const { return std::holds_alternative<std::monostate>(data); }
  bool asBool() const { return std::get<bool>(data); }
  int64_t asInt() const { return std::get<int64_t>(data); }
  double asDouble() const {
    return std::holds_alternative<double>(data) ? std::get<double>(data)
                                                : static_cast<double>(asInt());
  }
  const std::string &asString() const { return std::get<std::string>(data); }

  /// Source-like spelling: `42`, `"x"`, `5s`, `null`, timestamps as RFC 3339.
  std::string str() const;
};

/// Parses a command-line or YAML spelling of a value of type \p t
/// (`800`, `0.5`, `true`, `5s`/`5000` for durations, RFC 3339 or epoch ms for
/// timestamps, any text for strings). Returns false with \p error set.
bool parseValue(const std::string &text, Type t, Value &out, std::string &error);

/// Formats epoch milliseconds as RFC 3339 UTC with milliseconds.
std::string formatTimestamp(int64_t ms);
/// Parses RFC 3339 (`2025-01-01T00:00:05Z`, fractional seconds and offsets
/// allowed) or an integer of epoch milliseconds.
bool parseTimestamp(std::string_view text, int64_t &ms);

} // namespace streamc
