/// \file
/// The CSV format's reader (LANGUAGE.md §4): a header mapped to the fields
/// by name (dotted names for nested records), records split into cells
/// (RFC 4180 quoting), each cell parsed straight into the record layout.

#include "io/ReaderState.h"

#include <algorithm>
#include <string>

using namespace reader_detail;

/// Splits the CSV record [b, e) into `cells`; false (and why) when it is
/// malformed.
bool srt_reader::splitCells(const char *b, const char *e, std::string &why) {
  CsvProblem problem = splitCsv(b, e, cells, scratch);
  if (problem.kind == CsvProblem::None)
    return true;
  std::string where = positionIn(b, b + problem.offset, line);
  why = problem.kind == CsvProblem::Unterminated
            ? "unterminated quoted field: the quote at " + where + " is not closed"
            : "text after the closing quote of a quoted field, at " + where;
  return false;
}

/// The reason for an unterminated quoted field that framing found.
std::string srt_reader::unterminated(const Frame &f, int64_t line) {
  return "unterminated quoted field: the quote at line " + std::to_string(line + f.quoteLine) +
         ", column " + std::to_string(f.quoteColumn) + " is not closed";
}

/// Reads the header and maps columns to fields by name.
srt_reader::Header srt_reader::readHeader() {
  Frame f;
  if (!framer.next(*input, f))
    return input->wouldBlock() ? Header::Waiting : Header::Read; // empty: no records
  headerPending = false;
  line = nextLine;
  nextLine += f.lines;
  std::string why;
  const char *d = input->data();
  if (f.unterminated)
    why = unterminated(f, line);
  if (!why.empty() || !splitCells(d + f.begin, d + f.end, why)) {
    run->error = "source " + stats->name + ": the CSV header is malformed: " + why;
    return Header::Bad;
  }
  columnField.assign(cells.size(), -1);
  std::vector<bool> found(fields.size(), false);
  for (size_t c = 0; c < cells.size(); ++c) {
    std::string_view name = cells[c];
    while (!name.empty() && name.front() == ' ')
      name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ')
      name.remove_suffix(1);
    for (size_t f = 0; f < fields.size(); ++f)
      if (!found[f] && fields[f].type != SRT_RECORD && name == fields[f].name) {
        found[f] = true;
        columnField[c] = fields[f].read ? static_cast<int>(f) : -1;
      }
  }
  // A column the program needs and cannot do without is a configuration
  // error: every record would fail.
  for (size_t f = 0; f < fields.size(); ++f)
    if (fields[f].read && !found[f] && fields[f].null_offset < 0 && fields[f].type != SRT_RECORD &&
        !nested.inNullableRecord(f)) {
      run->error =
          "source " + stats->name + ": the CSV header has no column '" + fields[f].name + "'";
      return Header::Bad;
    }
  return Header::Read;
}

bool srt_reader::parseCsv(const char *b, const char *e, void *record) {
  std::string why;
  if (!splitCells(b, e, why)) {
    malformed(why);
    return false;
  }
  // One check of the whole record; only a bad one looks for the field.
  if (!simdjson::validate_utf8(b, static_cast<size_t>(e - b)) && !checkUtf8())
    return false;
  seen.assign(fields.size(), 0);
  size_t n = std::min(cells.size(), columnField.size());
  for (size_t c = 0; c < n; ++c) {
    int fi = columnField[c];
    if (fi < 0)
      continue;
    const srt_field &f = fields[fi];
    seen[fi] = 1;
    std::string_view cell = cells[c];
    if (cell.empty() && nested.inNullableRecord(fi)) {
      seen[fi] = 3; // empty: decided with its record (csvRecordNulls)
      if (f.null_offset >= 0)
        setNull(record, f, true);
      else if (f.type == SRT_STRING) // "" if its record is not null
        at<srt_str>(record, f.offset) = {cell.data(), 0};
      continue;
    }
    if (cell.empty() && (f.null_offset >= 0 || f.type != SRT_STRING)) {
      if (f.null_offset < 0) {
        malformed(std::string("field '") + f.name + "': empty, but the field is not nullable");
        return false;
      }
      setNull(record, f, true);
      continue;
    }
    Problem p = parseText(record, f, cell);
    if (!p.empty()) {
      malformed(std::string("field '") + f.name + "': " + p + ": " + quoted(cell));
      return false;
    }
    setNull(record, f, false);
  }
  for (size_t fi = 0; fi < fields.size(); ++fi)
    if (fields[fi].read && !seen[fi] && fields[fi].type != SRT_RECORD) {
      if (nested.inNullableRecord(fi)) {
        seen[fi] = 3;
        if (fields[fi].type == SRT_STRING)
          at<srt_str>(record, fields[fi].offset) = {"", 0};
      } else if (fields[fi].null_offset < 0) {
        malformed(std::string("field '") + fields[fi].name + "': missing (the record has " +
                  std::to_string(cells.size()) + " columns)");
        return false;
      }
      if (fields[fi].null_offset >= 0)
        setNull(record, fields[fi], true);
    }
  return !nested.any() || csvRecordNulls(record);
}

/// A nested record in CSV is its dotted columns: a nullable one is null
/// when none of them has a value; in one that is not null, an empty
/// column of a field that is not nullable is malformed.
bool srt_reader::csvRecordNulls(void *record) {
  for (size_t i = fields.size(); i-- > 0;) { // inner records first
    const srt_field &f = fields[i];
    if (f.type != SRT_RECORD || !f.read)
      continue;
    bool empty = true;
    for (size_t j = i + 1; j <= i + f.nested; ++j)
      if (fields[j].read && fields[j].type != SRT_RECORD && seen[j] == 1)
        empty = false;
    seen[i] = empty && f.null_offset >= 0 ? 3 : 1;
    if (seen[i] == 3)
      NestedFields::setNullTree(record, fields, i);
    else
      setNull(record, f, false);
  }
  for (size_t j = 0; j < fields.size(); ++j) {
    if (fields[j].type == SRT_RECORD && seen[j] == 3) {
      j += fields[j].nested; // null, with all its fields
      continue;
    }
    if (seen[j] == 3 && fields[j].null_offset < 0 && fields[j].type != SRT_STRING) {
      malformed(std::string("field '") + fields[j].name +
                "': empty, but the field is not nullable");
      return false;
    }
  }
  return true;
}

/// Rejects the record when a string field the program reads is not valid
/// UTF-8 (a column it does not read may hold anything).
bool srt_reader::checkUtf8() {
  size_t n = std::min(cells.size(), columnField.size());
  for (size_t c = 0; c < n; ++c) {
    int fi = columnField[c];
    if (fi >= 0 && fields[fi].type == SRT_STRING &&
        !simdjson::validate_utf8(cells[c].data(), cells[c].size())) {
      malformed(std::string("field '") + fields[fi].name +
                "': not valid UTF-8: " + quoted(cells[c]));
      return false;
    }
  }
  return true;
}
