#pragma once
/// \file
/// How the REPL shows the rows of a pipeline without `into`: an aligned
/// table in the style of the `table` sink format (a header, a rule of
/// dashes, numbers to the right). A bounded query keeps only its first
/// `limit` rows, printed when it ends, then `… N more rows`; a streaming
/// query (an unbounded or rate-limited source) prints each row as it
/// arrives, in columns sized by the header and the values' types, widened
/// when a value does not fit.

#include "sema/Type.h"

#include <srt/types.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace streamc::repl {

class ResultTable {
public:
  /// \p columns are the record type of the rows (for the header, even when
  /// no row arrives).
  ResultTable(std::ostream &out, const RecordType &columns, size_t limit, bool streaming);

  /// An srt_capture_fn: \p self is the table.
  static void capture(void *self, const srt_layout *layout, const void *record);
  /// Adds one row.
  void add(const srt_layout &layout, const void *record);
  /// Prints what a bounded table kept, and the `… N more rows` line.
  void finish();

  /// Rows received.
  int64_t rows() const { return rows_; }

private:
  std::vector<std::string> cells(const srt_layout &layout, const void *record);
  void printRow(const std::vector<std::string> &cells, bool header);
  void printHeader();

  std::ostream &out_;
  std::vector<Field> columns_;
  size_t limit_;
  bool streaming_;
  int64_t rows_ = 0;
  std::vector<std::vector<std::string>> kept_;
  std::vector<size_t> width_;
  bool headerPrinted_ = false;
  /// For each column, its field in the last layout seen (rows of one
  /// pipeline share one layout; matched by name).
  const srt_layout *lastLayout_ = nullptr;
  std::vector<int> fieldOf_;
};

/// `3 rows`, `1 row`.
std::string countRows(int64_t n);

} // namespace streamc::repl
