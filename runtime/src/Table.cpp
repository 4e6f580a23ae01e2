/// \file
/// Tables for `lookup`: every record of a file, copied into memory and
/// indexed by its key with xxHash (XXH3).

#include "Run.h"
#include "srt/runtime.h"

#include <xxhash.h>

#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {
struct Xxh3 {
  size_t operator()(std::string_view s) const noexcept { return XXH3_64bits(s.data(), s.size()); }
  size_t operator()(int64_t v) const noexcept { return XXH3_64bits(&v, sizeof v); }
};
} // namespace

struct srt_table {
  uint32_t recordSize = 0;
  std::deque<std::string> strings;           ///< copies of the records' strings
  std::vector<std::unique_ptr<char[]>> rows; ///< the records
  std::unordered_map<std::string_view, const void *, Xxh3> byString;
  std::unordered_map<int64_t, const void *, Xxh3> byInt;
};

extern "C" {

srt_table *srt_table_load(srt_run *run, const char *name, const char *path, int64_t path_len,
                          const char *format, int64_t format_len, const srt_layout *layout,
                          uint32_t key_field) {
  // Every field of a table is kept: a lookup adds them all to the record.
  std::vector<srt_field> fields(layout->fields, layout->fields + layout->nfields);
  for (srt_field &f : fields)
    f.read = 1;
  srt_layout all = {layout->nfields, layout->size, fields.data()};
  srt_reader *reader = srt_reader_open_text(run, name, path, path_len, format, format_len, &all);
  if (!reader)
    return nullptr;
  auto table = std::make_unique<srt_table>();
  table->recordSize = layout->size;
  const srt_field &key = fields[key_field];
  for (;;) {
    auto row = std::make_unique<char[]>(layout->size);
    std::memset(row.get(), 0, layout->size);
    if (!srt_reader_next(reader, row.get()))
      break;
    // The reader's strings are views into its buffer: copy them.
    for (const srt_field &f : fields)
      if (f.type == SRT_STRING) {
        auto *s = reinterpret_cast<srt_str *>(row.get() + f.offset);
        table->strings.emplace_back(s->ptr, static_cast<size_t>(s->len));
        s->ptr = table->strings.back().data();
      }
    if (key.null_offset >= 0 && row[key.null_offset])
      continue; // a null key matches nothing
    const void *record = row.get();
    if (key.type == SRT_STRING) {
      auto *s = reinterpret_cast<const srt_str *>(row.get() + key.offset);
      table->byString[std::string_view(s->ptr, static_cast<size_t>(s->len))] = record;
    } else {
      table->byInt[*reinterpret_cast<const int64_t *>(row.get() + key.offset)] = record;
    }
    table->rows.push_back(std::move(row));
  }
  srt_reader_close(reader);
  return table.release();
}

const void *srt_table_find_i64(const srt_table *table, int64_t key) {
  auto it = table->byInt.find(key);
  return it == table->byInt.end() ? nullptr : it->second;
}

const void *srt_table_find_str(const srt_table *table, const char *key, int64_t len) {
  auto it = table->byString.find(std::string_view(key, static_cast<size_t>(len)));
  return it == table->byString.end() ? nullptr : it->second;
}

void srt_table_destroy(srt_table *table) { delete table; }

} // extern "C"
