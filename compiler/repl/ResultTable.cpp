#include "repl/ResultTable.h"

#include <srt/host.h>

#include <algorithm>
#include <cstring>

namespace streamc::repl {

namespace {

size_t displayWidth(const std::string &s) { return srt_display_width(s.data(), s.size()); }

/// A cell on one line: line breaks and tabs escaped, as table sinks do.
std::string oneLine(const char *p, size_t n) {
  std::string out(2 * n, '\0');
  out.resize(srt_table_cell(p, n, out.data()));
  return out;
}

bool rightAligned(TypeKind k) {
  return k == TypeKind::I64 || k == TypeKind::F64 || k == TypeKind::Duration;
}

/// How wide a streaming column starts: room for typical values of its type.
size_t typicalWidth(TypeKind k) {
  switch (k) {
  case TypeKind::Timestamp:
    return 24;
  case TypeKind::Bool:
    return 5;
  case TypeKind::String:
    return 12;
  default:
    return 8;
  }
}

} // namespace

std::string countRows(int64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

namespace {
/// The columns of a record type: a nested record's fields by their dotted
/// names (as CSV and table sinks write them).
void flattenColumns(const RecordType &type, const std::string &prefix, std::vector<Field> &out) {
  for (const Field &f : type.fields)
    if (f.type.isRecord() && f.type.record)
      flattenColumns(*f.type.record, prefix + f.name + ".", out);
    else
      out.push_back({prefix + f.name, f.type});
}
} // namespace

ResultTable::ResultTable(std::ostream &out, const RecordType &columns, size_t limit, bool streaming)
    : out_(out), limit_(limit), streaming_(streaming) {
  flattenColumns(columns, "", columns_);
  for (const Field &f : columns_)
    width_.push_back(streaming_ ? std::max(displayWidth(f.name), typicalWidth(f.type.kind))
                                : displayWidth(f.name));
  if (streaming_) {
    printHeader();
    out_.flush();
  }
}

void ResultTable::capture(void *self, const srt_layout *layout, const void *record) {
  static_cast<ResultTable *>(self)->add(*layout, record);
}

std::vector<std::string> ResultTable::cells(const srt_layout &layout, const void *record) {
  if (&layout != lastLayout_) {
    lastLayout_ = &layout;
    fieldOf_.assign(columns_.size(), -1);
    for (size_t c = 0; c < columns_.size(); ++c)
      for (uint32_t i = 0; i < layout.nfields; ++i)
        if (columns_[c].name == layout.fields[i].name) {
          fieldOf_[c] = static_cast<int>(i);
          break;
        }
  }
  std::vector<std::string> row;
  row.reserve(columns_.size());
  char buf[40];
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (fieldOf_[c] < 0) {
      row.emplace_back("null");
      continue;
    }
    if (srt_field_is_null(&layout, static_cast<uint32_t>(fieldOf_[c]), record)) {
      row.emplace_back("null");
      continue;
    }
    const char *text = nullptr;
    size_t n = srt_format_field(&layout.fields[fieldOf_[c]], record, buf, &text);
    row.push_back(oneLine(text, n));
  }
  return row;
}

void ResultTable::add(const srt_layout &layout, const void *record) {
  ++rows_;
  if (streaming_) {
    std::vector<std::string> row = cells(layout, record);
    printRow(row, false);
    for (size_t i = 0; i < row.size(); ++i) // later rows line up with this one
      width_[i] = std::max(width_[i], displayWidth(row[i]));
    out_.flush();
    return;
  }
  if (kept_.size() < limit_)
    kept_.push_back(cells(layout, record));
}

void ResultTable::printRow(const std::vector<std::string> &cells, bool header) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i)
      line += "  ";
    size_t w = displayWidth(cells[i]);
    size_t pad = width_[i] > w ? width_[i] - w : 0;
    bool right = !header && rightAligned(columns_[i].type.kind);
    if (right)
      line.append(pad, ' ');
    line += cells[i];
    if (!right && i + 1 < cells.size())
      line.append(pad, ' ');
  }
  out_ << line << '\n';
}

void ResultTable::printHeader() {
  if (headerPrinted_)
    return;
  headerPrinted_ = true;
  std::vector<std::string> names, rule;
  for (size_t i = 0; i < columns_.size(); ++i) {
    names.push_back(columns_[i].name);
    rule.push_back(std::string(width_[i], '-'));
  }
  printRow(names, true);
  printRow(rule, true);
}

void ResultTable::finish() {
  if (streaming_) {
    out_.flush();
    return;
  }
  for (const auto &row : kept_)
    for (size_t i = 0; i < row.size(); ++i)
      width_[i] = std::max(width_[i], displayWidth(row[i]));
  printHeader();
  for (const auto &row : kept_)
    printRow(row, false);
  int64_t more = rows_ - static_cast<int64_t>(kept_.size());
  if (more > 0)
    out_ << "\u2026 " << more << (more == 1 ? " more row\n" : " more rows\n");
  out_.flush();
}

} // namespace streamc::repl
