/// \file
/// The table format's writer: rows kept until the sink is flushed, then
/// aligned under a header (numbers to the right), one line per row.

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
size_t displayWidth(const std::string &s) { return srt_display_width(s.data(), s.size()); }

/// A table cell on one line: control characters are escaped.
std::string tableCell(const std::string &s) {
  std::string out(2 * s.size(), '\0');
  out.resize(srt_table_cell(s.data(), s.size(), out.data()));
  return out;
}

bool rightAligned(uint32_t type) {
  return type == SRT_I64 || type == SRT_F64 || type == SRT_DURATION;
}
} // namespace

std::vector<std::string> tableRow(const std::vector<srt_field> &fields, const void *record,
                                  size_t columns) {
  std::vector<std::string> row;
  forEachColumn(fields, record, [&](const srt_field &f, bool null) {
    std::string c;
    if (null)
      c = "null";
    else
      appendValue(c, record, f, false);
    row.push_back(tableCell(c));
  });
  row.resize(columns); // the table's columns are the first layout's
  return row;
}

void renderTable(std::string &out, const std::vector<srt_field> &columns,
                 const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> width(columns.size());
  for (size_t i = 0; i < columns.size(); ++i)
    width[i] = displayWidth(columns[i].name);
  for (const auto &row : rows)
    for (size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], displayWidth(row[i]));
  auto line = [&](const std::vector<std::string> &cells, bool header) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i)
        out += "  ";
      size_t pad = width[i] - displayWidth(cells[i]);
      bool right = !header && rightAligned(columns[i].type);
      if (right)
        out.append(pad, ' ');
      out += cells[i];
      if (!right && i + 1 < cells.size())
        out.append(pad, ' ');
    }
    out += '\n';
  };
  std::vector<std::string> header;
  for (const srt_field &f : columns)
    header.push_back(f.name);
  line(header, true);
  std::vector<std::string> rule;
  for (size_t w : width)
    rule.push_back(std::string(w, '-'));
  line(rule, true);
  for (const auto &row : rows)
    line(row, false);
}

} // namespace record_text

extern "C" size_t srt_table_cell(const char *text, size_t len, char *out) {
  size_t n = 0;
  for (size_t i = 0; i < len; ++i) {
    char c = text[i];
    char escaped = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : 0;
    if (escaped) {
      out[n++] = '\\';
      out[n++] = escaped;
    } else {
      out[n++] = c;
    }
  }
  return n;
}

extern "C" size_t srt_display_width(const char *text, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; ++i)
    n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80; // not a continuation byte
  return n;
}
