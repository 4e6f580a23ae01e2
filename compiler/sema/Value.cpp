#include "sema/Value.h"

#include "ast/AstPrinter.h"
#include "support/Format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace streamc {

namespace {
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civilFromDays(int64_t z, int64_t &y, unsigned &m, unsigned &d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool digitsAt(std::string_view s, size_t pos, size_t n, int &out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + (c - '0');
  }
  return true;
}
} // namespace

std::string formatTimestamp(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
  int64_t rem = ms - days * 86'400'000;
  int64_t y;
  unsigned mo, d;
  civilFromDays(days, y, mo, d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), mo, d,
                static_cast<long long>(rem / 3'600'000),
                static_cast<long long>(rem / 60'000 % 60),
                static_cast<long long>(rem / 1000 % 60),
                static_cast<long long>(rem % 1000));
  return buf;
}

bool parseTimestamp(std::string_view s, int64_t &ms) {
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-') &&
      s.find_first_not_of("-0123456789") == std::string_view::npos) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
    return ec == std::errc() && p == s.data() + s.size();
  }
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digitsAt(s, 0, 4, y) || s.size() < 10 || s[4] != '-' ||
      !digitsAt(s, 5, 2, mo) || s[7] != '-' || !digitsAt(s, 8, 2, d))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31)
    return false;
  size_t pos = 10;
  int64_t frac = 0;
  int64_t offsetMin = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
      return false;
    if (!digitsAt(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digitsAt(s, pos + 4, 2, mi) || pos + 6 >= s.size() || s[pos + 6] != ':' ||
        !digitsAt(s, pos + 7, 2, sec))
      return false;
    if (h > 23 || mi > 59 || sec > 60)
      return false;
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int n = 0;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        if (n < 3)
          frac = frac * 10 + (s[pos] - '0');
        ++n;
        ++pos;
      }
      if (n == 0)
        return false;
      for (; n < 3; ++n)
        frac *= 10;
    }
    if (pos >= s.size())
      return false; // a time needs a zone
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!digitsAt(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !digitsAt(s, pos + 4, 2, om))
        return false;
      offsetMin = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
      pos += 6;
    } else {
      return false;
    }
    if (pos != s.size())
      return false;
  }
  int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  ms = ((days * 24 + h) * 60 + mi - offsetMin) * 60'000 + sec * 1000LL + frac;
  return true;
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
