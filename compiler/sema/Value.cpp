#include "sema/Value.h"

#include "ast/AstPrinter.h"
#include "support/Format.h"

#include <srt/runtime.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace streamc {

std::string formatTimestamp(int64_t ms) {
  char buf[32];
  return std::string(buf, srt_format_timestamp(ms, buf));
}

bool parseTimestamp(std::string_view text, int64_t &ms) {
  return srt_parse_timestamp(text.data(), text.size(), &ms) != 0;
}

std::string Value::str() const {
  if (isNull())
    return "null";
  switch (type.kind) {
  case TypeKind::Bool: return asBool() ? "true" : "false";
  case TypeKind::I64: return std::to_string(asInt());
  case TypeKind::F64: return formatDouble(asDouble());
  case TypeKind::String: return quoteString(asString());
  case TypeKind::Timestamp: return "timestamp(\"" + formatTimestamp(asInt()) + "\")";
  case TypeKind::Duration: return formatDuration(asInt());
  default: return "?";
  }
}

bool parseValue(const std::string &text, Type t, Value &out, std::string &error) {
  auto parseInt = [&](std::string_view s, int64_t &v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
  };
  if (t.nullable && text == "null") {
    out = Value::null(t);
    return true;
  }
  switch (t.kind) {
  case TypeKind::Bool:
    if (text == "true" || text == "false") {
      out = Value::boolean(text == "true");
      return true;
    }
    error = "expected true or false";
    return false;
  case TypeKind::I64: {
    int64_t v;
    if (parseInt(text, v)) {
      out = Value::i64(v);
      return true;
    }
    error = "expected an integer";
    return false;
  }
  case TypeKind::F64: {
    char *end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(v)) {
      out = Value::f64(v);
      return true;
    }
    error = "expected a number";
    return false;
  }
  case TypeKind::String:
    out = Value::string(text);
    return true;
  case TypeKind::Timestamp: {
    int64_t ms;
    if (parseTimestamp(text, ms)) {
      out = Value::timestamp(ms);
      return true;
    }
    error = "expected an RFC 3339 timestamp or epoch milliseconds";
    return false;
  }
  case TypeKind::Duration: {
    size_t unitPos = text.find_first_not_of("0123456789");
    int64_t n;
    if (unitPos != 0 && parseInt(std::string_view(text).substr(0, unitPos), n)) {
      std::string unit = unitPos == std::string::npos ? "ms" : text.substr(unitPos);
      int64_t scale = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000
                    : unit == "h" ? 3'600'000 : unit == "d" ? 86'400'000 : 0;
      if (scale != 0) {
        out = Value::duration(n * scale);
        return true;
      }
    }
    error = "expected a duration such as 500ms, 5s, 1m, 2h or 1d";
    return false;
  }
  default:
    error = "unsupported type";
    return false;
  }
}

} // namespace streamc
