#pragma once
/// \file
/// How each format writes a record as text (LANGUAGE.md §4): JSON lines
/// (JsonWriter.cpp), CSV (CsvWriter.cpp), aligned tables (TableWriter.cpp)
/// and text lines (RecordText.cpp, with the values as every format spells
/// them). The writer (io/Writer.cpp) buffers what they append and delivers
/// it. A nested record's fields follow it in the layout (formats/Nested.h):
/// JSON writes a nested object, CSV and tables dotted columns.

#include "srt/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace record_text {

template <typename T> const T &at(const void *record, uint32_t offset) {
  return *reinterpret_cast<const T *>(static_cast<const char *>(record) + offset);
}

/// Whether field \p f's own null flag is set.
bool isNull(const void *record, const srt_field &f);

/// The layout's fields that are columns: a nested record's fields (by their
/// dotted names), not the record itself.
std::vector<srt_field> columnsOf(const std::vector<srt_field> &fields);

/// Calls \p f(field, isNull) for each column of \p record: a field of a
/// null record is null, whatever its own slot holds.
template <typename F>
void forEachColumn(const std::vector<srt_field> &fields, const void *record, F f) {
  size_t nullUntil = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    const srt_field &field = fields[i];
    bool inNullRecord = i < nullUntil;
    if (field.type == SRT_RECORD) {
      if (!inNullRecord && isNull(record, field))
        nullUntil = i + 1 + field.nested;
      continue;
    }
    f(field, inNullRecord || isNull(record, field));
  }
}

/// A value as text: JSON's spelling (strings quoted and escaped) when
/// \p json, else as CSV and tables show it.
void appendValue(std::string &out, const void *record, const srt_field &f, bool json);
void appendJsonString(std::string &out, const char *p, int64_t n);

/// One JSON object and its newline.
void writeJson(std::string &out, const std::vector<srt_field> &fields, const void *record);
/// The CSV header of \p columns, and one record's line (\p cell is scratch).
void writeCsvHeader(std::string &out, const std::vector<srt_field> &columns);
void writeCsv(std::string &out, std::string &cell, const std::vector<srt_field> &fields,
              const void *record);
/// The "text" format: the one field as it is; null: an empty line.
void writeText(std::string &out, const std::vector<srt_field> &fields, const void *record);
/// A table row: each column's cell (the table's columns are \p columns
/// wide: the first layout's).
std::vector<std::string> tableRow(const std::vector<srt_field> &fields, const void *record,
                                  size_t columns);
/// The aligned table of \p rows under a header of \p columns.
void renderTable(std::string &out, const std::vector<srt_field> &columns,
                 const std::vector<std::vector<std::string>> &rows);

} // namespace record_text
