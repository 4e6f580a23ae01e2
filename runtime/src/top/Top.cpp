/// \file
/// The state of `top <n> by <expr> [asc|desc] [per <keys>]` (LANGUAGE.md §5)
/// over a window's results: per group (a window's rows, with `per` also
/// their key values) the n best rows so far, each an owned copy. A group is
/// ranked and emitted once the stage's watermark passes its window's end,
/// right after the window fired it. Rows are compared by the order value
/// (the stored layout's last field; a null one ranks after every value),
/// then by their fields left to right, ascending (nulls last).

#include "run/RecordCopy.h"
#include "run/Run.h"
#include "srt/abi.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace {

/// A row: the stored record and its strings' bytes after it.
using Row = OwnedRecord;

/// A row kept, and its event time.
struct Kept {
  int64_t time;
  Row row;
};

struct GroupKey {
  int64_t time;  ///< the rows' event time (window_end - 1ms); INT64_MAX - 1: `window all`
  int64_t start; ///< window_start when the rows carry it
  std::string key;
  bool operator<(const GroupKey &o) const {
    return std::tie(time, start, key) < std::tie(o.time, o.start, o.key);
  }
};

} // namespace

struct srt_top {
  srt_run *run = nullptr;
  const srt_layout *layout = nullptr;
  int64_t n = 0;
  bool descending = true;
  std::vector<const srt_field *> fields; ///< the top-level fields, the order value last
  std::map<GroupKey, std::vector<Kept>> groups;
  std::string keyBuffer;

  // The group being emitted: its rows in rank order.
  std::vector<Kept> emitting;
  size_t next = 0;
  int64_t watermark = INT64_MIN;

  bool isNull(const uint8_t *row, const srt_field &f) const {
    return f.null_offset >= 0 && row[f.null_offset] != 0;
  }

  /// <0, 0, >0 as \p a's field \p f sorts before, with or after \p b's,
  /// ascending, nulls last.
  int compareField(const uint8_t *a, const uint8_t *b, const srt_field &f) const {
    bool na = isNull(a, f), nb = isNull(b, f);
    if (na || nb)
      return na == nb ? 0 : na ? 1 : -1;
    switch (f.type) {
    case SRT_BOOL:
      return int(a[f.offset]) - int(b[f.offset]);
    case SRT_F64: {
      double x, y;
      std::memcpy(&x, a + f.offset, sizeof x);
      std::memcpy(&y, b + f.offset, sizeof y);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case SRT_STRING: {
      srt_str x, y;
      std::memcpy(&x, a + f.offset, sizeof x);
      std::memcpy(&y, b + f.offset, sizeof y);
      return srt_str_compare(x.ptr, x.len, y.ptr, y.len);
    }
    case SRT_I64:
    case SRT_TIMESTAMP:
    case SRT_DURATION: {
      int64_t x, y;
      std::memcpy(&x, a + f.offset, sizeof x);
      std::memcpy(&y, b + f.offset, sizeof y);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return 0;
    }
  }

  /// True when \p a ranks before \p b.
  bool before(const Kept &x, const Kept &y) const {
    const Row &a = x.row, &b = y.row;
    const srt_field &order = *fields.back();
    bool na = isNull(a.get(), order), nb = isNull(b.get(), order);
    if (na != nb)
      return nb; // a null order value ranks last either way
    int c = na ? 0 : compareField(a.get(), b.get(), order);
    if (c != 0)
      return descending ? c > 0 : c < 0;
    for (size_t i = 0; i + 1 < fields.size(); ++i)
      if (int t = compareField(a.get(), b.get(), *fields[i]); t != 0)
        return t < 0;
    return false;
  }

  Row copy(const uint8_t *record) const { return copyRecord(*layout, record); }
};

extern "C" {

srt_top *srt_top_create(srt_run *run, const srt_layout *layout, int64_t n, int32_t descending) {
  auto *t = new srt_top();
  t->run = run;
  t->layout = layout;
  t->n = n;
  t->descending = descending != 0;
  for (uint32_t i = 0; i < layout->nfields; ++i) {
    const srt_field &f = layout->fields[i];
    t->fields.push_back(&f);
    i += f.nested; // a nested record's fields compare as one (equal)
  }
  return t;
}

void srt_top_destroy(srt_top *top) { delete top; }

void *srt_top_key_buffer(srt_top *top, int64_t len) {
  top->keyBuffer.resize(static_cast<size_t>(len));
  return top->keyBuffer.data();
}

void srt_top_add(srt_top *top, const void *key, int64_t key_len, int64_t group_time, int64_t start,
                 int64_t time, const void *record) {
  if (top->n <= 0)
    return;
  GroupKey g{group_time, start,
             std::string(static_cast<const char *>(key), static_cast<size_t>(key_len))};
  std::vector<Kept> &rows = top->groups[g];
  auto worstFirst = [top](const Kept &a, const Kept &b) { return top->before(a, b); };
  Kept row{time, top->copy(static_cast<const uint8_t *>(record))};
  if (static_cast<int64_t>(rows.size()) < top->n) {
    rows.push_back(std::move(row));
    std::push_heap(rows.begin(), rows.end(), worstFirst);
  } else if (top->before(row, rows.front())) {
    std::pop_heap(rows.begin(), rows.end(), worstFirst);
    rows.back() = std::move(row);
    std::push_heap(rows.begin(), rows.end(), worstFirst);
  }
}

void srt_top_fire(srt_top *top, int64_t watermark) { top->watermark = watermark; }

const void *srt_top_next(srt_top *top, int64_t *rank, int64_t *time) {
  while (top->next >= top->emitting.size()) {
    top->emitting.clear();
    top->next = 0;
    auto it = top->groups.begin();
    if (it == top->groups.end() || it->first.time >= top->watermark)
      return nullptr;
    top->emitting = std::move(it->second);
    top->groups.erase(it);
    std::sort(top->emitting.begin(), top->emitting.end(),
              [top](const Kept &a, const Kept &b) { return top->before(a, b); });
  }
  *rank = static_cast<int64_t>(top->next) + 1;
  *time = top->emitting[top->next].time;
  return top->emitting[top->next++].row.get();
}

} // extern "C"
