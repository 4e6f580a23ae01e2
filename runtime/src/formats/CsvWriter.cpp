/// \file
/// The CSV format's writer (RFC 4180): a header of the columns (a nested
/// record's by dotted name), then one line per record, quoted where needed.

#include "formats/RecordText.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace record_text {

namespace {
void appendCsvCell(std::string &out, const std::string &cell) {
  bool quote = cell.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}
} // namespace

void writeCsvHeader(std::string &out, const std::vector<srt_field> &columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i)
      out += ',';
    appendCsvCell(out, columns[i].name);
  }
  out += '\n';
}

void writeCsv(std::string &out, std::string &cell, const std::vector<srt_field> &fields,
              const void *record) {
  bool first = true;
  forEachColumn(fields, record, [&](const srt_field &f, bool null) {
    if (!first)
      out += ',';
    first = false;
    if (null)
      return;
    cell.clear();
    appendValue(cell, record, f, false);
    appendCsvCell(out, cell);
  });
  out += '\n';
}

} // namespace record_text
