/// \file
/// Timestamps (RFC 3339 and epoch milliseconds, over the whole int64 range:
/// years outside 0000-9999 in ISO 8601's expanded form), their calendar
/// parts, and shortest round-trip floating-point output, shared by readers,
/// writers, generated code and the compiler.

#include "srt/abi.h"
#include "srt/host.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace {

constexpr int64_t kMsPerDay = 86'400'000;

/// Years of more digits are rejected while they are read: no int64 instant
/// lies beyond year ±292278994, and the bound keeps the accumulation small.
constexpr int64_t kMaxYearDigitsValue = 1'000'000'000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm); exact for |y| up to about 10^15.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// The inverse of daysFromCivil; exact for every day an int64 of
/// milliseconds reaches.
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

/// The UTC calendar fields of an instant.
struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second, milli;
};

/// The calendar fields of `ms`, for every int64: the day is found by floor
/// division (nothing is negated, so INT64_MIN is fine).
Civil civilFromMs(int64_t ms) {
  int64_t days = ms / kMsPerDay, rem = ms % kMsPerDay;
  if (rem < 0) {
    rem += kMsPerDay;
    --days;
  }
  Civil c;
  civilFromDays(days, c.year, c.month, c.day);
  const auto r = static_cast<unsigned>(rem);
  c.hour = r / 3'600'000;
  c.minute = r / 60'000 % 60;
  c.second = r / 1000 % 60;
  c.milli = r % 1000;
  return c;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// The character at `pos`, or NUL past the end.
char at(const char *s, size_t len, size_t pos) { return pos < len ? s[pos] : '\0'; }

bool digits(const char *s, size_t len, size_t pos, size_t n, int &out) {
  if (pos + n > len)
    return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!isDigit(c))
      return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool isLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Epoch milliseconds: an optionally negative integer that fits in int64.
/// Returns false (leaving `ok` unset) when the text is not all digits.
bool parseEpochMs(const char *s, size_t len, int64_t *ms, int &ok) {
  size_t start = s[0] == '-' ? 1 : 0;
  if (len == start)
    return false;
  for (size_t i = start; i < len; ++i)
    if (!isDigit(s[i]))
      return false;
  auto [p, ec] = std::from_chars(s, s + len, *ms);
  ok = ec == std::errc() && p == s + len;
  return true;
}

/// The year of a date: four digits, or ISO 8601's expanded form, a sign and
/// six or more digits (`+010000`, `-000001`; `-000000` is not a year). Sets
/// `pos` past it.
bool parseYear(const char *s, size_t len, size_t &pos, int64_t &year) {
  if (s[0] != '+' && s[0] != '-') {
    int y;
    if (!digits(s, len, 0, 4, y))
      return false;
    year = y;
    pos = 4;
    return true;
  }
  int64_t v = 0;
  size_t i = 1;
  for (; i < len && isDigit(s[i]); ++i) {
    v = v * 10 + (s[i] - '0');
    if (v >= kMaxYearDigitsValue)
      return false;
  }
  if (i - 1 < 6 || (s[0] == '-' && v == 0))
    return false;
  year = s[0] == '-' ? -v : v;
  pos = i;
  return true;
}

/// `-MM-DD` at `pos`, a valid day of `year`; sets `pos` past it.
bool parseMonthDay(const char *s, size_t len, size_t &pos, int64_t year, int &mo, int &d) {
  if (at(s, len, pos) != '-' || !digits(s, len, pos + 1, 2, mo) || at(s, len, pos + 3) != '-' ||
      !digits(s, len, pos + 4, 2, d))
    return false;
  static const int monthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > monthDays[mo - 1] + (mo == 2 && isLeap(year)))
    return false;
  pos += 6;
  return true;
}

/// The time of day after a date, `THH:MM:SS[.fff...]` and a zone (`Z` or
/// `±HH:MM`), to the end of the text: milliseconds since the date's UTC
/// midnight, which may be negative or beyond a day through the offset.
bool parseTimeOfDay(const char *s, size_t len, size_t pos, int64_t &msOfDay) {
  int h, mi, sec;
  char t = at(s, len, pos);
  if (t != 'T' && t != 't' && t != ' ')
    return false;
  if (!digits(s, len, pos + 1, 2, h) || at(s, len, pos + 3) != ':' ||
      !digits(s, len, pos + 4, 2, mi) || at(s, len, pos + 6) != ':' ||
      !digits(s, len, pos + 7, 2, sec))
    return false;
  if (h > 23 || mi > 59 || sec > 60)
    return false;
  pos += 9;
  int64_t frac = 0, offsetMin = 0;
  if (at(s, len, pos) == '.') {
    ++pos;
    int n = 0;
    for (; pos < len && isDigit(s[pos]); ++pos, ++n)
      if (n < 3)
        frac = frac * 10 + (s[pos] - '0');
    if (n == 0)
      return false;
    for (; n < 3; ++n)
      frac *= 10;
  }
  char zone = at(s, len, pos);
  if (zone == 'Z' || zone == 'z') {
    ++pos;
  } else if (zone == '+' || zone == '-') {
    int oh, om;
    if (!digits(s, len, pos + 1, 2, oh) || at(s, len, pos + 3) != ':' ||
        !digits(s, len, pos + 4, 2, om))
      return false;
    offsetMin = (oh * 60 + om) * (zone == '-' ? -1 : 1);
    pos += 6;
  } else {
    return false; // a time needs a zone
  }
  if (pos != len)
    return false;
  msOfDay = ((h * 60 + mi - offsetMin) * 60 + sec) * 1000 + frac;
  return true;
}

} // namespace

extern "C" {

int srt_parse_timestamp(const char *s, size_t len, int64_t *ms) {
  if (len == 0)
    return 0;
  int ok = 0;
  if (parseEpochMs(s, len, ms, ok))
    return ok;
  int64_t year;
  int mo, d;
  size_t pos;
  if (!parseYear(s, len, pos, year) || !parseMonthDay(s, len, pos, year, mo, d))
    return 0;
  int64_t msOfDay = 0;
  if (pos < len && !parseTimeOfDay(s, len, pos, msOfDay))
    return 0;
  // The day containing INT64_MIN starts before it: compute in 128 bits.
  int64_t days = daysFromCivil(year, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  __int128 total = static_cast<__int128>(days) * kMsPerDay + msOfDay;
  if (total < INT64_MIN || total > INT64_MAX)
    return 0;
  *ms = static_cast<int64_t>(total);
  return 1;
}

size_t srt_format_timestamp(int64_t ms, char *out) {
  const Civil c = civilFromMs(ms);
  char buf[SRT_TIMESTAMP_MAX_LEN + 1]; // snprintf's NUL
  // |year| <= 292278994 for any int64 ms, so negating it cannot overflow.
  const auto absYear = static_cast<long long>(c.year < 0 ? -c.year : c.year);
  int n = c.year >= 0 && c.year <= 9999
              ? std::snprintf(buf, sizeof buf, "%04lld", absYear)
              : std::snprintf(buf, sizeof buf, "%c%06lld", c.year < 0 ? '-' : '+', absYear);
  n +=
      std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), "-%02u-%02uT%02u:%02u:%02u.%03uZ",
                    c.month, c.day, c.hour, c.minute, c.second, c.milli);
  std::memcpy(out, buf, static_cast<size_t>(n));
  return static_cast<size_t>(n);
}

int64_t srt_ts_part(int64_t ms, int32_t part) {
  const Civil c = civilFromMs(ms);
  switch (part) {
  case 0:
    return c.year;
  case 1:
    return c.month;
  case 2:
    return c.day;
  case 3:
    return c.hour;
  case 4:
    return c.minute;
  default:
    return c.second;
  }
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
