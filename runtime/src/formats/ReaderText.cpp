/// \file
/// Text work of the readers (see ReaderText.h).

#include "formats/ReaderText.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

namespace {

/// The length of the valid UTF-8 character at \p p (before \p e), or 0.
size_t charLength(const char *p, const char *e) {
  auto lead = static_cast<unsigned char>(*p);
  if (lead < 0x80)
    return 1;
  size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  // simdjson knows the rules (overlong forms, surrogates, the range).
  return n && static_cast<size_t>(e - p) >= n && simdjson::validate_utf8(p, n) ? n : 0;
}

bool jsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hexDigit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// The code unit of the \uXXXX escape at \p p (its backslash), or -1.
int escapedUnit(const char *p, const char *e) {
  if (e - p < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;
  int unit = 0;
  for (int i = 2; i < 6; ++i) {
    int d = hexDigit(p[i]);
    if (d < 0)
      return -1;
    unit = unit * 16 + d;
  }
  return unit;
}

} // namespace

CsvProblem splitCsv(const char *b, const char *e, std::vector<std::string_view> &cells,
                    std::string &scratch) {
  cells.clear();
  scratch.clear();
  scratch.reserve(static_cast<size_t>(e - b)); // cells point into it: never reallocated
  const char *p = b;
  for (;;) {
    if (p < e && *p == '"') {
      const char *quote = p++;
      size_t start = scratch.size();
      bool closed = false;
      while (p < e) {
        if (*p == '"') {
          if (p + 1 < e && p[1] == '"') {
            scratch += '"';
            p += 2;
            continue;
          }
          closed = true;
          ++p;
          break;
        }
        scratch += *p++;
      }
      if (!closed)
        return {CsvProblem::Unterminated, static_cast<size_t>(quote - b)};
      if (p < e && *p != ',')
        return {CsvProblem::TextAfterQuote, static_cast<size_t>(p - b)};
      cells.emplace_back(scratch.data() + start, scratch.size() - start);
    } else {
      const char *c = p;
      while (c < e && *c != ',')
        ++c;
      cells.emplace_back(p, static_cast<size_t>(c - p));
      p = c;
    }
    if (p >= e)
      return {};
    ++p; // the comma
    if (p == e) {
      cells.emplace_back();
      return {};
    }
  }
}

std::string positionIn(const char *b, const char *p, int64_t line) {
  int64_t breaks = 0;
  const char *lineStart = b;
  for (const char *q = b; q < p; ++q)
    if (*q == '\r' || *q == '\n') {
      breaks += !(*q == '\n' && q > b && q[-1] == '\r');
      lineStart = q + 1;
    }
  std::string column = "column " + std::to_string(p - lineStart + 1);
  return breaks ? "line " + std::to_string(line + breaks) + ", " + column : column;
}

size_t trailingAfterObject(const char *b, const char *e) {
  const char *p = b;
  while (p < e && jsonSpace(*p))
    ++p;
  if (p == e || *p != '{')
    return std::string::npos;
  int depth = 0;
  for (; p < e; ++p) {
    if (*p == '"') {
      for (++p; p < e && *p != '"'; ++p)
        if (*p == '\\')
          ++p;
      if (p >= e)
        return std::string::npos;
    } else if (*p == '{' || *p == '[') {
      ++depth;
    } else if ((*p == '}' || *p == ']') && --depth == 0) {
      ++p;
      break;
    }
  }
  if (depth != 0)
    return std::string::npos;
  while (p < e && jsonSpace(*p))
    ++p;
  return p < e ? static_cast<size_t>(p - b) : std::string::npos;
}

std::string escapeProblem(const char *quote, const char *e) {
  for (const char *p = quote + 1; p < e && *p != '"'; ++p) {
    if (*p != '\\')
      continue;
    if (p + 1 >= e)
      break;
    char c = p[1];
    if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
        c == 't') {
      ++p;
      continue;
    }
    if (c != 'u')
      return std::string("invalid escape \\") + c;
    int unit = escapedUnit(p, e);
    std::string written(p, static_cast<size_t>(std::min<ptrdiff_t>(e - p, 6)));
    if (unit < 0)
      return "invalid \\u escape (not four hex digits): " + written;
    bool high = unit >= 0xD800 && unit <= 0xDBFF, low = unit >= 0xDC00 && unit <= 0xDFFF;
    int next = high ? escapedUnit(p + 6, e) : -1;
    if (low || (high && !(next >= 0xDC00 && next <= 0xDFFF)))
      return "invalid \\u escape: lone surrogate " + written;
    p += high ? 11 : 5;
  }
  return {};
}

std::string quoted(std::string_view text) {
  std::string s = "\"";
  const char *p = text.data(), *e = p + text.size();
  while (p < e) {
    if (p - text.data() >= 40) {
      s += "...";
      break;
    }
    size_t n = charLength(p, e);
    if (n == 0) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(*p));
      s += hex;
      ++p;
      continue;
    }
    if (*p == '\n' || *p == '\r')
      s += ' ';
    else
      s.append(p, n);
    p += n;
  }
  return s + "\"";
}

std::string validUtf8(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  const char *p = text.data(), *e = p + text.size();
  while (p < e) {
    size_t n = charLength(p, e);
    if (n == 0) {
      s += "\xEF\xBF\xBD";
      ++p;
    } else {
      s.append(p, n);
      p += n;
    }
  }
  return s;
}
