/// \file
/// Tables for `lookup`: every record of a file, copied into memory and
/// indexed by its key in an open-addressing hash table (linear probing,
/// power-of-two size) keyed by XXH3. Each slot holds the key's hash next to
/// the row, so a probe compares hashes before it reads the row's key.
///
/// Rows and their strings are packed into blocks (no allocation per row or
/// string); the index is built once the file is read, sized for a load of at
/// most 3/4 (16 bytes a slot). A key with more than one row keeps the last
/// one; such keys are counted on standard error when the table is loaded.

#include "run/Run.h"
#include "srt/abi.h"

#include <xxhash.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace {

/// Bump allocation from blocks freed only with the arena: stable addresses.
class Arena {
public:
  /// `size` bytes aligned to `align` (a power of two, at most 16).
  char *allocate(size_t size, size_t align) {
    size_t pad = (align - reinterpret_cast<uintptr_t>(cur_) % align) % align;
    if (!cur_ || pad + size > left_) {
      // Blocks double from 4 KB to 1 MB: small tables stay small.
      size_t bytes = std::max(kFirstBlock << std::min<size_t>(blocks_.size(), 8), size);
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(bytes)); // 16-byte aligned
      cur_ = blocks_.back().get();
      left_ = bytes;
      pad = 0;
    }
    char *p = cur_ + pad;
    cur_ = p + size;
    left_ -= pad + size;
    return p;
  }

private:
  static constexpr size_t kFirstBlock = 4 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char *cur_ = nullptr;
  size_t left_ = 0;
};

uint64_t hashKey(const char *key, size_t len) { return XXH3_64bits(key, len); }
uint64_t hashKey(int64_t key) { return XXH3_64bits(&key, sizeof key); }

} // namespace

struct srt_table {
  /// An index slot: a row (null: empty) and the hash of its key.
  struct Slot {
    uint64_t hash;
    const char *row;
  };

  uint32_t keyOffset = 0;
  bool stringKey = false;
  Arena memory;            ///< the rows and copies of their strings
  std::vector<Slot> slots; ///< a power of two, at least one empty
  size_t mask = 0;         ///< slots.size() - 1

  bool keyEquals(const char *row, const char *key, size_t len) const {
    auto *s = reinterpret_cast<const srt_str *>(row + keyOffset);
    return static_cast<size_t>(s->len) == len && std::memcmp(s->ptr, key, len) == 0;
  }
  bool keyEquals(const char *row, int64_t key) const {
    int64_t k;
    std::memcpy(&k, row + keyOffset, sizeof k);
    return k == key;
  }

  /// The number of the slot holding this key, or of the empty slot where it
  /// would go.
  template <typename... Key> size_t slotOf(uint64_t hash, Key... key) const {
    for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
      const Slot &slot = slots[i];
      if (!slot.row || (slot.hash == hash && keyEquals(slot.row, key...)))
        return i;
    }
  }
  template <typename... Key> const char *find(uint64_t hash, Key... key) const {
    return slots[slotOf(hash, key...)].row;
  }

  /// Indexes `rows` in order: a later row with a key already seen replaces
  /// it. Returns how many keys had more than one row.
  size_t index(const std::vector<const char *> &rows) {
    size_t size = 8;
    while (size * 3 < rows.size() * 4)
      size *= 2;
    slots.assign(size, Slot{0, nullptr});
    mask = size - 1;
    std::vector<bool> repeated(size, false);
    size_t duplicates = 0;
    auto put = [&](size_t i, uint64_t hash, const char *row) {
      if (slots[i].row && !repeated[i]) {
        repeated[i] = true;
        ++duplicates;
      }
      slots[i] = {hash, row};
    };
    for (const char *row : rows) {
      if (stringKey) {
        auto *s = reinterpret_cast<const srt_str *>(row + keyOffset);
        size_t len = static_cast<size_t>(s->len);
        uint64_t hash = hashKey(s->ptr, len);
        put(slotOf(hash, s->ptr, len), hash, row);
      } else {
        int64_t key;
        std::memcpy(&key, row + keyOffset, sizeof key);
        uint64_t hash = hashKey(key);
        put(slotOf(hash, key), hash, row);
      }
    }
    return duplicates;
  }
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
  const srt_field &key = fields[key_field];
  table->keyOffset = key.offset;
  table->stringKey = key.type == SRT_STRING;
  std::vector<const char *> rows;
  std::vector<char> scratch(layout->size);
  for (;;) {
    std::memset(scratch.data(), 0, scratch.size());
    if (!srt_reader_next(reader, scratch.data()))
      break;
    if (key.null_offset >= 0 && scratch[key.null_offset])
      continue; // a null key matches nothing
    char *row = table->memory.allocate(layout->size, alignof(std::max_align_t));
    std::memcpy(row, scratch.data(), layout->size);
    // The reader's strings are views into its buffer: copy them.
    for (const srt_field &f : fields)
      if (f.type == SRT_STRING) {
        auto *s = reinterpret_cast<srt_str *>(row + f.offset);
        size_t len = static_cast<size_t>(s->len);
        char *copy = table->memory.allocate(len, 1);
        if (len)
          std::memcpy(copy, s->ptr, len);
        s->ptr = copy;
      }
    rows.push_back(row);
  }
  srt_reader_close(reader);
  // Said once, at start-up: a lookup finds only the last row of a key.
  if (size_t duplicates = table->index(rows))
    std::fprintf(stderr, "table %s: %zu duplicate key%s, the last row %skept\n", name, duplicates,
                 duplicates == 1 ? "" : "s", duplicates == 1 ? "" : "of each ");
  return table.release();
}

const void *srt_table_find_i64(const srt_table *table, int64_t key) {
  return table->find(hashKey(key), key);
}

const void *srt_table_find_str(const srt_table *table, const char *key, int64_t len) {
  size_t n = static_cast<size_t>(len);
  return table->find(hashKey(key, n), key, n);
}

void srt_table_destroy(srt_table *table) { delete table; }

} // extern "C"
