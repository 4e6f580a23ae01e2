#include "sema/Value.h"

#include "ast/AstPrinter.h"
#include "support/Format.h"

#include <srt/host.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace streamc {

std::string formatTimestamp(int64_t ms) {
  char buf[SRT_TIMESTAMP_MAX_LEN];
  return std::string(buf, srt_format_timestamp(ms, buf));
}

bool parseTimestamp(std::string_view text, int64_t &ms) {
  return srt_parse_timestamp(text.data(), text.size(), &ms) != 0;
}

std::string Value::str() const {
  if (isNull())
    return "null";
  switch (type.kind) {
  case TypeKind::Bool:
    return asBool() ? "true" : "false";
  case TypeKind::I64:
    return std::to_string(asInt());
  case TypeKind::F64:
    return formatDouble(asDouble());
  case TypeKind::String:
    return quoteString(asString());
  case TypeKind::Timestamp:
    return "timestamp(\"" + formatTimestamp(asInt()) + "\")";
  case TypeKind::Duration:
    return formatDuration(asInt());
  default:
    return "?";
  }
}

bool parseValue(const std::string &text, Type t, Value &out, std::string &error) {
  // One parser for the compiler and built executables: the runtime's.
  if (t.nullable && text == "null") {
    out = Value::null(t);
    return true;
  }
  if (t.kind == TypeKind::String) {
    out = Value::string(text);
    return true;
  }
  union {
    uint8_t b;
    int64_t i;
    double d;
  } raw;
  const char *why = "unsupported type";
  uint32_t type = t.kind == TypeKind::Bool        ? SRT_BOOL
                  : t.kind == TypeKind::I64       ? SRT_I64
                  : t.kind == TypeKind::F64       ? SRT_F64
                  : t.kind == TypeKind::Timestamp ? SRT_TIMESTAMP
                  : t.kind == TypeKind::Duration  ? SRT_DURATION
                                                  : 0;
  if (!type || !srt_parse_value(type, text.c_str(), &raw, &why)) {
    error = why;
    return false;
  }
  switch (t.kind) {
  case TypeKind::Bool:
    out = Value::boolean(raw.b != 0);
    break;
  case TypeKind::F64:
    out = Value::f64(raw.d);
    break;
  case TypeKind::Timestamp:
    out = Value::timestamp(raw.i);
    break;
  case TypeKind::Duration:
    out = Value::duration(raw.i);
    break;
  default:
    out = Value::i64(raw.i);
    break;
  }
  return true;
}

} // namespace streamc
