/// \file
/// Interval join state (`join <s> on <cond> within <d>`, `within (<before>,
/// <after>)`, `within unbounded`).
///
/// Each side buffers copies of its records (strings included) under the
/// join key, the bytes generated code encodes from the condition's equality
/// conjuncts (no key: one bucket, a nested loop). A record arriving on one
/// side is buffered on its own and walks the other side's bucket for its key:
/// generated code gets every buffered record whose event time is within the
/// interval and checks the rest of the condition. A buffered record is
/// dropped once the join's watermark (the least of its sources') passes the
/// last event time a partner of it may have: no record that is not late can
/// match it any more. So the state is bounded by the interval, not by the
/// input; an unbounded join keeps every record to the end (and its peak
/// memory is in the run summary).
///
/// Records are copied into chunks of memory filled in arrival order and
/// freed when every record in them has expired: no allocation per record,
/// and memory returns as time passes. Each chunk remembers the oldest epoch
/// of its records, so Kafka offsets are committed only past what no
/// buffered record still needs (at-least-once, like windows).

#include "run/Run.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

/// Record copies, in arrival order.
struct Chunk {
  std::unique_ptr<uint8_t[]> data;
  size_t used = 0, capacity = 0;
  int64_t live = 0;                ///< records in it not expired
  int64_t oldestEpoch = INT64_MAX; ///< of the records put in it
};

struct Entry {
  int64_t time;
  int64_t epoch;
  const uint8_t *record;
  uint64_t chunk; ///< the chunk's number (Side::firstChunk + its index)
};

struct Bucket {
  std::vector<Entry> entries;
  const std::string *key = nullptr; ///< its key in the side's map
  int64_t pending = 0;              ///< expiry queue items that name it
};

struct Expiry {
  int64_t time;
  Bucket *bucket;
  bool operator>(const Expiry &o) const { return time > o.time; }
};

constexpr size_t kChunkBytes = 256 * 1024;

class Side {
public:
  explicit Side(const srt_layout *layout) : layout_(layout) {
    for (uint32_t i = 0; i < layout->nfields; ++i)
      if (layout->fields[i].type == SRT_STRING)
        strings_.push_back(&layout->fields[i]);
  }

  Bucket *find(const void *key, int64_t len) {
    auto it = buckets_.find(std::string_view(static_cast<const char *>(key), size_t(len)));
    return it == buckets_.end() ? nullptr : &it->second;
  }

  void insert(const void *key, int64_t len, const uint8_t *record, int64_t time, int64_t epoch) {
    std::string k(static_cast<const char *>(key), static_cast<size_t>(len));
    auto [it, fresh] = buckets_.try_emplace(std::move(k));
    Bucket &b = it->second;
    if (fresh)
      b.key = &it->first;
    uint64_t chunk = 0;
    const uint8_t *copy = copyRecord(record, epoch, chunk);
    b.entries.push_back({time, epoch, copy, chunk});
    ++b.pending;
    expiries_.push({time, &b});
    ++live_;
    peak_ = std::max(peak_, live_);
    peakBytes_ = std::max(peakBytes_, bytes());
  }

  /// Drops the records with time < horizon.
  void expire(int64_t horizon) {
    while (!expiries_.empty() && expiries_.top().time < horizon) {
      Bucket *b = expiries_.top().bucket;
      expiries_.pop();
      --b->pending;
      auto keep = std::remove_if(b->entries.begin(), b->entries.end(), [&](const Entry &e) {
        if (e.time >= horizon)
          return false;
        --chunks_[e.chunk - firstChunk_].live;
        --live_;
        return true;
      });
      b->entries.erase(keep, b->entries.end());
      if (b->entries.empty() && b->pending == 0)
        buckets_.erase(*b->key);
    }
    // Chunks free in arrival order; the one being filled stays.
    while (chunks_.size() > 1 && chunks_.front().live == 0) {
      chunkBytes_ -= static_cast<int64_t>(chunks_.front().capacity);
      chunks_.pop_front();
      ++firstChunk_;
    }
  }

  int64_t oldestEpoch() const {
    int64_t oldest = INT64_MAX;
    for (const Chunk &c : chunks_)
      if (c.live > 0)
        oldest = std::min(oldest, c.oldestEpoch);
    return oldest;
  }

  void clear() {
    buckets_.clear();
    expiries_ = {};
    chunks_.clear();
    chunkBytes_ = 0;
    firstChunk_ = 0;
    live_ = 0;
  }

  int64_t peak() const { return peak_; }
  int64_t peakBytes() const { return peakBytes_; }
  /// The memory the side holds: record chunks, and an entry per record.
  int64_t bytes() const {
    return chunkBytes_ + live_ * static_cast<int64_t>(sizeof(Entry) + sizeof(Expiry));
  }

private:
  /// A copy of the record and its strings' bytes in the current chunk.
  const uint8_t *copyRecord(const uint8_t *record, int64_t epoch, uint64_t &chunkId) {
    size_t size = (layout_->size + 7) & ~size_t(7);
    size_t need = size;
    for (const srt_field *f : strings_)
      if (!isNull(record, *f))
        need += static_cast<size_t>(stringAt(record, *f).len);
    need = (need + 7) & ~size_t(7); // the next copy starts 8-aligned
    if (chunks_.empty() || chunks_.back().capacity - chunks_.back().used < need) {
      Chunk c;
      c.capacity = std::max(kChunkBytes, need);
      c.data = std::make_unique<uint8_t[]>(c.capacity);
      chunkBytes_ += static_cast<int64_t>(c.capacity);
      chunks_.push_back(std::move(c));
    }
    Chunk &c = chunks_.back();
    chunkId = firstChunk_ + chunks_.size() - 1;
    uint8_t *copy = c.data.get() + c.used;
    std::memcpy(copy, record, layout_->size);
    char *tail = reinterpret_cast<char *>(copy + size);
    for (const srt_field *f : strings_) {
      if (isNull(record, *f))
        continue;
      srt_str s = stringAt(record, *f);
      if (s.len > 0)
        std::memcpy(tail, s.ptr, static_cast<size_t>(s.len));
      srt_str owned{tail, s.len};
      std::memcpy(copy + f->offset, &owned, sizeof owned);
      tail += s.len;
    }
    c.used += need;
    ++c.live;
    c.oldestEpoch = std::min(c.oldestEpoch, epoch);
    return copy;
  }

  static bool isNull(const uint8_t *record, const srt_field &f) {
    return f.null_offset >= 0 && record[f.null_offset] != 0;
  }
  static srt_str stringAt(const uint8_t *record, const srt_field &f) {
    srt_str s;
    std::memcpy(&s, record + f.offset, sizeof s);
    return s;
  }

  /// Hashes string_view lookups without building a std::string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  const srt_layout *layout_;
  std::vector<const srt_field *> strings_;
  std::unordered_map<std::string, Bucket, Hash, std::equal_to<>> buckets_;
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<>> expiries_;
  std::deque<Chunk> chunks_;
  uint64_t firstChunk_ = 0;
  int64_t live_ = 0, peak_ = 0, peakBytes_ = 0;
  int64_t chunkBytes_ = 0; ///< capacity of the chunks held
};

} // namespace

struct srt_join {
  srt_run *run = nullptr;
  /// The right side's partners of a left record at t lie in
  /// [t - before, t + after] (INT64_MAX both: unbounded).
  int64_t before = 0, after = 0;
  bool unbounded() const { return before == INT64_MAX && after == INT64_MAX; }
  WindowStats *stats = nullptr;
  std::unique_ptr<Side> sides[2];
  /// Records older than this may have lost partners that expired: the
  /// watermark of the last srt_join_advance (an idle source's record can be
  /// behind it).
  int64_t expiredBefore = INT64_MIN;
  std::vector<char> keyBuffer; ///< srt_join_key_buffer

  // The walk over the other side's bucket for the record that arrived.
  const Bucket *cursor = nullptr;
  size_t cursorAt = 0;
  int64_t matchFrom = 0, matchTo = 0; ///< the partners' event times, inclusive
  int64_t arrivalEpoch = 0;
};

namespace {
/// a + b, clamped to the int64 range (b = ±INT64_MAX: unbounded).
int64_t saturatingAdd(int64_t a, int64_t b) {
  int64_t sum;
  if (!__builtin_add_overflow(a, b, &sum))
    return sum;
  return b > 0 ? INT64_MAX : INT64_MIN;
}

/// Counts and reports a record behind its own source's watermark, or behind
/// the join's (its partners may have expired).
bool countLate(srt_join *join, int64_t time, int64_t late_before) {
  // An unbounded join keeps every record: none is late.
  if (join->unbounded() || time >= std::max(late_before, join->expiredBefore))
    return false;
  ++join->stats->late;
  return true;
}
} // namespace

int64_t joinOldestEpoch(const srt_join *join) {
  return std::min(join->sides[0]->oldestEpoch(), join->sides[1]->oldestEpoch());
}

void joinReset(srt_join *join) {
  join->sides[0]->clear();
  join->sides[1]->clear();
  join->cursor = nullptr;
  join->expiredBefore = INT64_MIN;
}

extern "C" {

srt_join *srt_join_create(srt_run *run, const srt_layout *left, const srt_layout *right,
                          int64_t before_ms, int64_t after_ms, const char *where) {
  auto *j = new srt_join();
  j->run = run;
  j->before = before_ms;
  j->after = after_ms;
  j->stats = run->addWindow(where, "join");
  j->sides[0] = std::make_unique<Side>(left);
  j->sides[1] = std::make_unique<Side>(right);
  run->liveJoins.push_back(j);
  return j;
}

void srt_join_destroy(srt_join *join) {
  if (!join)
    return;
  auto &live = join->run->liveJoins;
  live.erase(std::remove(live.begin(), live.end(), join), live.end());
  join->stats->peakBuffered = join->sides[0]->peak() + join->sides[1]->peak();
  join->stats->peakBytes = join->sides[0]->peakBytes() + join->sides[1]->peakBytes();
  join->stats->unbounded = join->unbounded();
  delete join;
}

int32_t srt_join_arrive(srt_join *join, int32_t side, const void *key, int64_t key_len,
                        const void *record, int64_t time, int64_t late_before) {
  if (countLate(join, time, late_before)) {
    join->cursor = nullptr;
    return 0;
  }
  Side &own = *join->sides[side & 1];
  Side &other = *join->sides[(side & 1) ^ 1];
  join->arrivalEpoch = join->run->recordEpoch;
  own.insert(key, key_len, static_cast<const uint8_t *>(record), time, join->arrivalEpoch);
  join->cursor = other.find(key, key_len);
  join->cursorAt = 0;
  // A left record's partners are in [t - before, t + after]; a right
  // record's, the left records it is such a partner of.
  bool left = (side & 1) == 0;
  join->matchFrom = saturatingAdd(time, -(left ? join->before : join->after));
  join->matchTo = saturatingAdd(time, left ? join->after : join->before);
  return 1;
}

void srt_join_unmatched(srt_join *join, int64_t time, int64_t late_before) {
  countLate(join, time, late_before);
}

const void *srt_join_next(srt_join *join, int64_t *time) {
  const Bucket *b = join->cursor;
  while (b && join->cursorAt < b->entries.size()) {
    const Entry &e = b->entries[join->cursorAt++];
    if (e.time < join->matchFrom || e.time > join->matchTo)
      continue;
    *time = e.time;
    // A pair comes from the older of its records' epochs.
    join->run->recordEpoch = std::min(join->arrivalEpoch, e.epoch);
    return e.record;
  }
  join->cursor = nullptr;
  join->run->recordEpoch = join->arrivalEpoch;
  return nullptr;
}

void *srt_join_key_buffer(srt_join *join, int64_t len) {
  join->keyBuffer.resize(static_cast<size_t>(len));
  return join->keyBuffer.data();
}

void srt_join_advance(srt_join *join, int64_t watermark) {
  if (watermark <= join->expiredBefore)
    return;
  join->expiredBefore = watermark;
  // A left record at t has no partner to come once t + after < watermark
  // (a right one, once t + before < watermark); at the end every record goes.
  auto horizon = [&](int64_t bound) {
    return watermark == INT64_MAX ? INT64_MAX : saturatingAdd(watermark, -bound);
  };
  join->sides[0]->expire(horizon(join->after));
  join->sides[1]->expire(horizon(join->before));
}

} // extern "C"
