/// \file
/// Timestamps (RFC 3339 and epoch milliseconds) and shortest round-trip
/// floating-point output, shared by readers, writers and the compiler.

#include "srt/runtime.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

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

bool digits(const char *s, size_t len, size_t pos, size_t n, int &out) {
  if (pos + n > len)
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

bool isLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

} // namespace

extern "C" {

int srt_parse_timestamp(const char *s, size_t len, int64_t *ms) {
  if (len == 0)
    return 0;
  // Epoch milliseconds: an optionally negative integer.
  size_t start = s[0] == '-' ? 1 : 0;
  bool allDigits = len > start;
  for (size_t i = start; i < len && allDigits; ++i)
    allDigits = s[i] >= '0' && s[i] <= '9';
  if (allDigits) {
    auto [p, ec] = std::from_chars(s, s + len, *ms);
    return ec == std::errc() && p == s + len;
  }
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digits(s, len, 0, 4, y) || len < 10 || s[4] != '-' || !digits(s, len, 5, 2, mo) ||
      s[7] != '-' || !digits(s, len, 8, 2, d))
    return 0;
  static const int monthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1] + (mo == 2 && isLeap(y)))
    return 0;
  size_t pos = 10;
  int64_t frac = 0, offsetMin = 0;
  if (pos < len) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
      return 0;
    if (!digits(s, len, pos + 1, 2, h) || pos + 3 >= len || s[pos + 3] != ':' ||
        !digits(s, len, pos + 4, 2, mi) || pos + 6 >= len || s[pos + 6] != ':' ||
        !digits(s, len, pos + 7, 2, sec))
      return 0;
    if (h > 23 || mi > 59 || sec > 60)
      return 0;
    pos += 9;
    if (pos < len && s[pos] == '.') {
      ++pos;
      int n = 0;
      while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
        if (n < 3)
          frac = frac * 10 + (s[pos] - '0');
        ++n;
        ++pos;
      }
      if (n == 0)
        return 0;
      for (; n < 3; ++n)
        frac *= 10;
    }
    if (pos >= len)
      return 0; // a time needs a zone
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!digits(s, len, pos + 1, 2, oh) || pos + 3 >= len || s[pos + 3] != ':' ||
          !digits(s, len, pos + 4, 2, om))
        return 0;
      offsetMin = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
      pos += 6;
    } else {
      return 0;
    }
    if (pos != len)
      return 0;
  }
  int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  *ms = ((days * 24 + h) * 60 + mi - offsetMin) * 60'000 + sec * 1000LL + frac;
  return 1;
}

size_t srt_format_timestamp(int64_t ms, char *out) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
  int64_t rem = ms - days * 86'400'000;
  int64_t y;
  unsigned mo, d;
  civilFromDays(days, y, mo, d);
  int n = std::snprintf(
      out, 32, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), mo, d,
      static_cast<long long>(rem / 3'600'000), static_cast<long long>(rem / 60'000 % 60),
      static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
  return static_cast<size_t>(n);
}

size_t srt_format_double(double v, char *out) {
  if (std::isnan(v)) {
    std::memcpy(out, "nan", 3);
    return 3;
  }
  if (std::isinf(v)) {
    const char *s = v > 0 ? "inf" : "-inf";
    size_t n = std::strlen(s);
    std::memcpy(out, s, n);
    return n;
  }
  auto [end, ec] = std::to_chars(out, out + 32, v);
  return static_cast<size_t>(end - out);
}

} // extern "C"
