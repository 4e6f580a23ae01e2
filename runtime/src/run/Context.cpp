/// \file
/// The context of generated code: a per-record string arena, now(), and the
/// string and conversion helpers expressions call (calendar parts are in
/// Time.cpp).

#include "run/Context.h"
#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace {
void store(srt_str *out, const char *p, size_t n) {
  out->ptr = p;
  out->len = static_cast<int64_t>(n);
}
/// memcpy, which must not see a null pointer even for no bytes (an empty
/// or a null string may have none).
void copyBytes(char *to, const char *from, size_t n) {
  if (n > 0)
    std::memcpy(to, from, n);
}
} // namespace

extern "C" {

srt_ctx *srt_ctx_create(srt_run *run) {
  auto *c = new srt_ctx();
  c->run = run;
  return c;
}
void srt_ctx_destroy(srt_ctx *ctx) { delete ctx; }
void srt_record_begin(srt_ctx *ctx) { ctx->reset(); }

int64_t srt_now(srt_ctx *ctx) {
  if (ctx->now == INT64_MIN)
    ctx->now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  return ctx->now;
}

void srt_str_concat(srt_ctx *ctx, const char *a, int64_t alen, const char *b, int64_t blen,
                    srt_str *out) {
  char *p = ctx->alloc(static_cast<size_t>(alen + blen));
  copyBytes(p, a, static_cast<size_t>(alen));
  copyBytes(p + alen, b, static_cast<size_t>(blen));
  store(out, p, static_cast<size_t>(alen + blen));
}

void srt_str_lower(srt_ctx *ctx, const char *s, int64_t len, srt_str *out) {
  char *p = ctx->alloc(static_cast<size_t>(len));
  for (int64_t i = 0; i < len; ++i)
    p[i] = (s[i] >= 'A' && s[i] <= 'Z') ? static_cast<char>(s[i] + 32) : s[i];
  store(out, p, static_cast<size_t>(len));
}

void srt_str_upper(srt_ctx *ctx, const char *s, int64_t len, srt_str *out) {
  char *p = ctx->alloc(static_cast<size_t>(len));
  for (int64_t i = 0; i < len; ++i)
    p[i] = (s[i] >= 'a' && s[i] <= 'z') ? static_cast<char>(s[i] - 32) : s[i];
  store(out, p, static_cast<size_t>(len));
}

void srt_str_trim(const char *s, int64_t len, srt_str *out) {
  int64_t b = 0, e = len;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (b < e && space(s[b]))
    ++b;
  while (e > b && space(s[e - 1]))
    --e;
  store(out, s + b, static_cast<size_t>(e - b));
}

void srt_str_substr(const char *s, int64_t len, int64_t start, int64_t count, srt_str *out) {
  // 0-based, clamped to the string; a negative count is an empty string.
  int64_t b = std::clamp<int64_t>(start, 0, len);
  int64_t e = b + std::clamp<int64_t>(count, 0, len - b);
  store(out, s + b, static_cast<size_t>(e - b));
}

void srt_str_replace(srt_ctx *ctx, const char *s, int64_t len, const char *from, int64_t flen,
                     const char *to, int64_t tlen, srt_str *out) {
  if (flen == 0) {
    store(out, s, static_cast<size_t>(len));
    return;
  }
  std::string_view hay(s, static_cast<size_t>(len)), needle(from, static_cast<size_t>(flen));
  size_t count = 0;
  for (size_t at = hay.find(needle); at != std::string_view::npos;
       at = hay.find(needle, at + needle.size()))
    ++count;
  size_t n = static_cast<size_t>(len) + count * static_cast<size_t>(tlen) -
             count * static_cast<size_t>(flen);
  char *p = ctx->alloc(n), *w = p;
  size_t prev = 0;
  for (size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, prev)) {
    copyBytes(w, s + prev, at - prev);
    w += at - prev;
    copyBytes(w, to, static_cast<size_t>(tlen));
    w += tlen;
    prev = at + needle.size();
  }
  copyBytes(w, s + prev, static_cast<size_t>(len) - prev);
  store(out, p, n);
}

int32_t srt_str_compare(const char *a, int64_t alen, const char *b, int64_t blen) {
  int64_t common = std::min(alen, blen);
  // memcmp must not see a null pointer, even for no bytes (an empty or a
  // null string has none).
  int c = common > 0 ? std::memcmp(a, b, static_cast<size_t>(common)) : 0;
  if (c != 0)
    return c < 0 ? -1 : 1;
  return alen < blen ? -1 : alen > blen ? 1 : 0;
}

int64_t srt_str_find(const char *s, int64_t len, const char *part, int64_t plen) {
  size_t at = std::string_view(s, static_cast<size_t>(len))
                  .find(std::string_view(part, static_cast<size_t>(plen)));
  return at == std::string_view::npos ? 0 : static_cast<int64_t>(at) + 1;
}

void srt_str_split_part(const char *s, int64_t len, const char *sep, int64_t seplen, int64_t n,
                        srt_str *out) {
  std::string_view text(s, static_cast<size_t>(len)), by(sep, static_cast<size_t>(seplen));
  store(out, s, 0);
  if (n == 0)
    return;
  if (by.empty()) { // one piece: the whole string
    if (n == 1 || n == -1)
      store(out, s, text.size());
    return;
  }
  // Walk to piece n (from the start, or from the end for a negative n)
  // without building the pieces: no allocation per record.
  if (n > 0) {
    size_t from = 0;
    for (int64_t k = 1; k < n; ++k) {
      size_t at = text.find(by, from);
      if (at == std::string_view::npos)
        return; // past the last piece
      from = at + by.size();
    }
    size_t at = text.find(by, from);
    store(out, s + from, (at == std::string_view::npos ? text.size() : at) - from);
    return;
  }
  size_t end = text.size(); // piece -1 ends at the end of the string
  for (int64_t k = -1; k > n; --k) {
    if (end < by.size())
      return;
    size_t at = text.rfind(by, end - by.size());
    if (at == std::string_view::npos)
      return; // before the first piece
    end = at;
  }
  size_t at = end < by.size() ? std::string_view::npos : text.rfind(by, end - by.size());
  size_t from = at == std::string_view::npos ? 0 : at + by.size();
  store(out, s + from, end - from);
}

void srt_i64_to_str(srt_ctx *ctx, int64_t v, srt_str *out) {
  char *p = ctx->alloc(24);
  auto [end, ec] = std::to_chars(p, p + 24, v);
  store(out, p, static_cast<size_t>(end - p));
}

void srt_f64_to_str(srt_ctx *ctx, double v, srt_str *out) {
  char *p = ctx->alloc(32);
  store(out, p, srt_format_double(v, p));
}

void srt_ts_to_str(srt_ctx *ctx, int64_t ms, srt_str *out) {
  char *p = ctx->alloc(SRT_TIMESTAMP_MAX_LEN);
  store(out, p, srt_format_timestamp(ms, p));
}

int32_t srt_str_to_i64(const char *s, int64_t len, int64_t *out) {
  auto [p, ec] = std::from_chars(s, s + len, *out);
  return ec == std::errc() && p == s + len && len > 0;
}

int32_t srt_str_to_f64(const char *s, int64_t len, double *out) {
  // "nan" and "inf" are not numbers a record can hold: null.
  auto [p, ec] = fast_float::from_chars(s, s + len, *out);
  return ec == std::errc() && p == s + len && len > 0 && std::isfinite(*out);
}

int32_t srt_str_to_ts(const char *s, int64_t len, int64_t *out) {
  return srt_parse_timestamp(s, static_cast<size_t>(len), out);
}

double srt_round(double x, int64_t digits) {
  if (digits == 0)
    return std::round(x);
  if (digits > 0) {
    // Past 2^52 a double has no fractional digits left to round away.
    double scaled = x * std::pow(10.0, static_cast<double>(std::min<int64_t>(digits, 400)));
    if (!(std::fabs(scaled) < 0x1p52))
      return x;
    return std::round(scaled) / std::pow(10.0, static_cast<double>(digits));
  }
  // To tens, hundreds, ...: divide by the power of ten rather than multiply
  // by its (inexact) inverse. The result may overflow; generated code
  // rejects the record then.
  double scale = std::pow(10.0, static_cast<double>(std::min<int64_t>(-digits, 400)));
  return std::round(x / scale) * scale;
}

} // extern "C"
