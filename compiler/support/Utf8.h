#pragma once
/// \file
/// UTF-8 as diagnostics need it: strict validation (no overlong forms, no
/// surrogates, nothing past U+10FFFF), columns in code points, and text
/// made safe to print.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace streamc {

/// The length (1 to 4) of the valid UTF-8 sequence at \p text[i], or 0 when
/// the bytes there are not valid UTF-8.
size_t utf8SequenceLength(std::string_view text, size_t i);

/// The code point of the valid UTF-8 sequence at the start of \p text.
uint32_t utf8Decode(std::string_view text);

/// A run of bytes that are not valid UTF-8: [begin, end).
struct InvalidUtf8 {
  uint32_t begin = 0, end = 0;
};
/// Every maximal run of invalid UTF-8 in \p text, in order.
std::vector<InvalidUtf8> findInvalidUtf8(std::string_view text);

/// The number of characters (code points) in \p text; each byte of invalid
/// UTF-8 counts as one.
uint32_t utf8Columns(std::string_view text);

/// \p text as it can be printed in a diagnostic, one printed character for
/// each character of the text (so a caret can be laid out under it): a
/// control character other than a tab is shown as its Unicode control
/// picture (NUL as U+2400 '␀', DEL as U+2421 '␡'), and each byte of invalid
/// UTF-8 as U+FFFD '�'.
std::string visibleText(std::string_view text);

/// "U+0041" for a character (4 to 6 hex digits).
std::string codePointName(uint32_t c);

} // namespace streamc
