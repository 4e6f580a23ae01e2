#pragma once
/// \file
/// Text work of the readers (internal to the runtime): splitting a CSV
/// record into cells, and the details a malformed record's reason gives
/// (where a problem is, what is wrong with a JSON line or string), which
/// are only computed once a record is known to be malformed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Why a CSV record did not split, at byte `offset` of the record: a quoted
/// field is not closed (the offset of its quote), or text follows its
/// closing quote (the offset of that text).
struct CsvProblem {
  enum Kind { None, Unterminated, TextAfterQuote } kind = None;
  size_t offset = 0;
};

/// Splits the CSV record [b, e) (framed: line breaks only inside quoted
/// fields) into \p cells (RFC 4180). A field starting with `"` is quoted;
/// its doubled quotes are unescaped into \p scratch, which the cells then
/// point into; a `"` elsewhere is data.
CsvProblem splitCsv(const char *b, const char *e, std::vector<std::string_view> &cells,
                    std::string &scratch);

/// Where byte \p p of a record that starts at \p b on line \p line is:
/// "column C", or "line L, column C" when it is on a later line of the
/// record (columns count bytes from 1).
std::string positionIn(const char *b, const char *p, int64_t line);

/// For a JSON line [b, e) that starts with an object: the offset of the
/// first character after the object that is not whitespace, or npos (the
/// object is not closed, or nothing follows it).
size_t trailingAfterObject(const char *b, const char *e);

/// What is wrong with the escapes of the JSON string starting at \p quote
/// (its opening quote) and ending before \p e: e.g. "invalid \u escape:
/// lone surrogate \ud800"; empty when they look right.
std::string escapeProblem(const char *quote, const char *e);

/// \p text in double quotes for a reason, cut after 40 bytes (at a
/// character boundary), line breaks shown as spaces, and bytes that are
/// not UTF-8 as \xNN.
std::string quoted(std::string_view text);

/// \p text with every byte that is not part of valid UTF-8 replaced by
/// U+FFFD (for the dead-letter sink, whose JSON must stay valid).
std::string validUtf8(std::string_view text);
