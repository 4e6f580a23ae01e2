#include "support/Utf8.h"

#include <fmt/format.h>

namespace streamc {

size_t utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80)
    return 1;
  // The first byte gives the length and the range of the second byte
  // (Unicode, table 3-7: this excludes overlong forms and surrogates).
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF)
    n = 2;
  else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    lo = b == 0xE0 ? 0xA0 : 0x80;
    hi = b == 0xED ? 0x9F : 0xBF;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    lo = b == 0xF0 ? 0x90 : 0x80;
    hi = b == 0xF4 ? 0x8F : 0xBF;
  } else
    return 0;
  if (i + n > text.size() || byte(i + 1) < lo || byte(i + 1) > hi)
    return 0;
  for (size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80)
      return 0;
  return n;
}

uint32_t utf8Decode(std::string_view text) {
  size_t n = utf8SequenceLength(text, 0);
  if (n <= 1)
    return text.empty() ? 0 : static_cast<unsigned char>(text[0]);
  static constexpr unsigned char kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
  uint32_t c = static_cast<unsigned char>(text[0]) & kLeadMask[n];
  for (size_t k = 1; k < n; ++k)
    c = (c << 6) | (static_cast<unsigned char>(text[k]) & 0x3F);
  return c;
}

std::vector<InvalidUtf8> findInvalidUtf8(std::string_view text) {
  std::vector<InvalidUtf8> runs;
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) { // the common case
      ++i;
      continue;
    }
    if (size_t n = utf8SequenceLength(text, i)) {
      i += n;
      continue;
    }
    auto at = static_cast<uint32_t>(i);
    if (!runs.empty() && runs.back().end == at)
      runs.back().end = at + 1;
    else
      runs.push_back({at, at + 1});
    ++i;
  }
  return runs;
}

uint32_t utf8Columns(std::string_view text) {
  uint32_t columns = 0;
  for (size_t i = 0; i < text.size(); ++columns) {
    size_t n = utf8SequenceLength(text, i);
    i += n ? n : 1;
  }
  return columns;
}

std::string visibleText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    size_t n = utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD"; // U+FFFD
      ++i;
      continue;
    }
    if ((b < 0x20 && b != '\t') || b == 0x7F) {
      // U+2400 + b (U+2421 for DEL), in UTF-8: E2 90 80+b.
      unsigned code = b == 0x7F ? 0x21 : b;
      out += "\xE2\x90";
      out += static_cast<char>(0x80 + code);
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string codePointName(uint32_t c) { return fmt::format("U+{:04X}", c); }

} // namespace streamc
