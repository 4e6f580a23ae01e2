/// \file
/// Window state and firing (see srt_window in srt/types.h).
///
/// Tumbling and sliding windows keep *slices*: time is cut into slices of
/// gcd(size, slide) and each record updates the state of its key in its one
/// slice; a firing window merges the states of its slices (for tumbling
/// windows the slice is the window and nothing is merged). So a record costs
/// one state update however many windows overlap, and a slice is freed once
/// the last window containing it has fired. Sessions are per key, merged as
/// records bridge them, and fire from a min-heap on their end. Count windows
/// fire as soon as a key's n-th record arrives.

#include "window/AggState.h"
#include "window/KeyTable.h"
#include "run/Run.h"
#include "srt/abi.h"

#include <algorithm>
#include <deque>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <string>
#include <vector>

namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// One slice of a tumbling or sliding window: [start, start + length).
struct Slice {
  Slice(uint32_t stateSize, uint32_t keyCapacity) : table(stateSize, keyCapacity) {}
  int64_t start = 0;
  int64_t lastEnd = 0; ///< the end of the last window containing the slice
  int64_t epoch = INT64_MAX; ///< the oldest epoch of its records (checkpoints)
  KeyTable table;
};

/// One session of one key.
struct Session {
  int64_t start, end; ///< [first event, last event + gap)
  int64_t epoch;      ///< the oldest epoch of its records (checkpoints)
  uint64_t created;   ///< creation number: orders sessions that end together
  uint64_t hash;
  uint32_t keyLen;
  bool dead;
  char *key;
  Session *next; ///< the key's other open sessions
  void *state() { return reinterpret_cast<char *>(this) + sizeof(Session); }
};
static_assert(sizeof(Session) % 8 == 0, "states are 8-byte aligned");

/// A session's end in the heap; sessions that end at the same time fire in
/// the order they were created (so keys in the order first seen, §15.21),
/// whatever the heap's shape.
struct HeapItem {
  int64_t end;
  Session *session;
  uint64_t order;
  bool operator>(const HeapItem &o) const {
    return end != o.end ? end > o.end : order > o.order;
  }
};

} // namespace

struct srt_window {
  srt_window_clock clock{INT64_MAX, INT64_MIN};
  /// Windows ending at or before this are late for the record being added:
  /// the window's watermark or the record's own source's, the larger.
  int64_t lateBefore = INT64_MIN;
  srt_run *run = nullptr;
  srt_window_kind kind = SRT_WINDOW_TUMBLING;
  int64_t size = 0, slide = 0, count = 0;
  uint32_t keyCapacity; ///< the key bytes an entry keeps (srt_window_desc)
  AggOps aggs;
  WindowStats *stats = nullptr;
  std::string where;
  /// A stopped run keeps its open windows (srt_window_fire): the watermark
  /// they were kept at, which the generated code's last store overwrites.
  bool held = false;
  int64_t heldWatermark = INT64_MIN;
  std::vector<char> keyBuffer;
  /// A state handed out for a record that belongs to no window (between the
  /// windows of a sliding window whose slide exceeds its size).
  std::vector<char> discard;
  bool discardUsed = false;

  // Tumbling and sliding windows.
  int64_t sliceLength = 0;
  std::map<int64_t, std::unique_ptr<Slice>> slices;
  Slice *lastSlice = nullptr;
  srt_window_hot hot{}; ///< lastSlice, as generated code probes it inline
  std::vector<std::unique_ptr<Slice>> spareSlices;
  int64_t firedThrough = INT64_MIN; ///< every window ending at or before has fired
  KeyTable merged;                  ///< the merged states of a firing sliding window

  // Sessions (keys map to their open sessions) and count windows (keys map
  // to their state).
  KeyTable keys;
  std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<HeapItem>> sessionEnds;
  uint64_t sessionsCreated = 0;

  // The windows firing now.
  struct Firing {
    bool active = false;
    int64_t watermark = INT64_MIN;
    int64_t start = 0, end = 0;
    KeyTable *table = nullptr; ///< the table whose entries are being emitted
    size_t next = 0;
    std::vector<Slice *> parts;
    Session *session = nullptr; ///< the session just emitted, freed next
    KeyTable::Header *emitted = nullptr; ///< the count window emitted last (flushing)
    bool emittedFull = false;            ///< full.front() was emitted last
    bool flushing = false; ///< count windows at the end of input
    int64_t epoch = INT64_MAX; ///< the oldest epoch of the slices firing
  } firing;

  explicit srt_window(const srt_window_desc &desc)
      : keyCapacity(desc.key_capacity), aggs(desc), merged(desc.state_size, desc.key_capacity),
        keys(desc.kind == SRT_WINDOW_SESSION ? 0 : desc.state_size, desc.key_capacity,
             sizeof(KeyTable::Extras)) {}

  ~srt_window() {
    reset();
    freeEntries(merged);
    if (discardUsed)
      destroyAggState(aggs, discard.data());
  }

  void freeEntries(KeyTable &table) {
    if (aggs.ownsMemory())
      for (size_t i = 0; i < table.capacityEntries(); ++i)
        if (table.entry(i)->live)
          destroyAggState(aggs, table.state(table.entry(i)));
    table.clear();
  }
  void freeSlice(Slice &slice) { freeEntries(slice.table); }
  void freeSession(Session *s) {
    destroyAggState(aggs, s->state());
    std::free(s->key);
    std::free(s);
  }

  // ------------------------------------------------------ tumbling, sliding
  /// The end of the last window containing the slice that starts at \p start.
  int64_t lastEnd(int64_t start) const { return floorDiv(start, slide) * slide + size; }
  /// The end of the first window not yet fired that contains the slice.
  /// Windows ending at or before the window's watermark count as fired
  /// even when they held nothing then (a record arriving later for them is
  /// late, and they must not fire again).
  int64_t nextEnd(int64_t start) const {
    int64_t first = floorDiv(start - size, slide) * slide + slide;
    int64_t done = std::max(firedThrough, clock.watermark);
    if (done != INT64_MIN)
      first = std::max(first, floorDiv(done - size, slide) * slide + slide);
    return first + size;
  }
  void updateFireAt() {
    if (kind == SRT_WINDOW_SESSION)
      clock.fire_at = sessionEnds.empty() ? INT64_MAX : sessionEnds.top().end;
    else if (kind == SRT_WINDOW_COUNT)
      clock.fire_at = full.empty() && !justFilled ? INT64_MAX : INT64_MIN;
    else
      clock.fire_at = slices.empty() ? INT64_MAX : nextEnd(slices.begin()->first);
  }

  /// lastSlice changed, or its table did: what generated code probes.
  void refreshHot() {
    if (!lastSlice) {
      hot = {};
      return;
    }
    KeyTable &t = lastSlice->table;
    hot = {lastSlice->start,   lastSlice->start + sliceLength,
           lastSlice->lastEnd, t.mask(),
           t.shift(),          t.indexData(),
           t.entryData()};
  }

  void *sliceState(int64_t time, uint64_t hash, const void *key, uint32_t len) {
    void *state = sliceStateOf(time, hash, key, len);
    refreshHot();
    return state;
  }
  void *sliceStateOf(int64_t time, uint64_t hash, const void *key, uint32_t len) {
    // Most records fall in the slice of the record before: no division.
    if (Slice *last = lastSlice; last && time >= last->start && time - last->start < sliceLength) {
      if (last->lastEnd <= lateBefore)
        return late();
      last->epoch = std::min(last->epoch, run->recordEpoch);
      bool inserted;
      return last->table.state(last->table.findOrInsert(hash, key, len, inserted));
    }
    int64_t windowStart = floorDiv(time, slide) * slide; // the last window containing it
    if (time >= windowStart + size)
      return discardState(); // between windows: in none, and not late
    if (windowStart + size <= lateBefore)
      return late();
    int64_t start = floorDiv(time, sliceLength) * sliceLength;
    Slice *slice = lastSlice;
    if (!slice || slice->start != start) {
      auto &owned = slices[start];
      if (!owned) {
        if (spareSlices.empty()) {
          owned = std::make_unique<Slice>(aggs.size, keyCapacity);
        } else {
          owned = std::move(spareSlices.back());
          spareSlices.pop_back();
        }
        owned->start = start;
        owned->lastEnd = lastEnd(start);
        owned->epoch = INT64_MAX;
        if (slices.begin()->first == start)
          updateFireAt();
      }
      slice = lastSlice = owned.get();
    }
    slice->epoch = std::min(slice->epoch, run->recordEpoch);
    bool inserted;
    return slice->table.state(slice->table.findOrInsert(hash, key, len, inserted));
  }

  /// Starts the next window to fire (false: none has been reached).
  bool startSliceWindow() {
    if (slices.empty())
      return false;
    int64_t end = nextEnd(slices.begin()->first);
    if (end > firing.watermark)
      return false;
    firing.start = end - size;
    firing.end = end;
    firing.parts.clear();
    for (auto it = slices.begin(); it != slices.end() && it->first < end; ++it)
      if (it->first >= firing.start)
        firing.parts.push_back(it->second.get());
    firing.epoch = INT64_MAX;
    for (Slice *part : firing.parts)
      firing.epoch = std::min(firing.epoch, part->epoch);
    if (firing.parts.size() == 1) {
      firing.table = &firing.parts[0]->table;
    } else {
      // Merge the slices' states of each key.
      for (Slice *part : firing.parts)
        for (size_t i = 0; i < part->table.capacityEntries(); ++i) {
          KeyTable::Header *e = part->table.entry(i);
          if (!e->live)
            continue;
          bool inserted;
          KeyTable::Header *m =
              merged.findOrInsert(e->hash, part->table.key(e), e->keyLen, inserted);
          mergeAggState(aggs, merged.state(m), part->table.state(e));
        }
      firing.table = &merged;
    }
    firing.next = 0;
    return true;
  }

  /// The window just emitted is done: free the slices no later window needs.
  void finishSliceWindow() {
    if (firing.table == &merged)
      freeEntries(merged);
    firedThrough = firing.end;
    while (!slices.empty() && lastEnd(slices.begin()->first) <= firing.end) {
      auto node = slices.extract(slices.begin());
      if (lastSlice == node.mapped().get()) {
        lastSlice = nullptr;
        refreshHot();
      }
      freeSlice(*node.mapped());
      if (spareSlices.size() < 4)
        spareSlices.push_back(std::move(node.mapped()));
    }
    firing.table = nullptr;
  }

  const void *nextSliceRow(srt_window_row *row) {
    for (;;) {
      if (!firing.table && !startSliceWindow()) {
        firedThrough = std::max(firedThrough, firing.watermark);
        return nullptr;
      }
      KeyTable &t = *firing.table;
      while (firing.next < t.capacityEntries()) {
        KeyTable::Header *e = t.entry(firing.next++);
        if (!e->live)
          continue;
        *row = {t.key(e), e->keyLen, firing.start, firing.end};
        run->recordEpoch = firing.epoch;
        return t.state(e);
      }
      finishSliceWindow();
    }
  }

  // ----------------------------------------------------------- sessions
  void *sessionState(int64_t time, uint64_t hash, const void *key, uint32_t len) {
    if (time + size <= lateBefore)
      return late();
    bool inserted;
    KeyTable::Header *k = keys.findOrInsert(hash, key, len, inserted);
    Session *target = nullptr;
    int64_t end = time + size;
    void *&sessions = keys.extras(k)->extra;
    for (Session **link = reinterpret_cast<Session **>(&sessions); *link;) {
      Session *s = *link;
      // Sessions that overlap or touch merge (Flink, Kafka Streams).
      if (!(time <= s->end && s->start <= end)) {
        link = &s->next;
        continue;
      }
      if (!target) {
        target = s;
        target->epoch = std::min(target->epoch, run->recordEpoch);
        target->start = std::min(target->start, time);
        target->end = std::max(target->end, end);
        link = &s->next;
        continue;
      }
      // The record bridges two sessions: fold s into target.
      mergeAggState(aggs, target->state(), s->state());
      destroyAggState(aggs, s->state());
      target->start = std::min(target->start, s->start);
      target->end = std::max(target->end, s->end);
      target->epoch = std::min(target->epoch, s->epoch);
      s->dead = true; // freed when its heap entry comes up
      *link = s->next;
    }
    if (!target) {
      auto *s = static_cast<Session *>(std::calloc(1, sizeof(Session) + aggs.size));
      s->start = time;
      s->end = end;
      s->epoch = run->recordEpoch;
      s->created = sessionsCreated++;
      s->hash = hash;
      s->keyLen = len;
      s->key = static_cast<char *>(std::malloc(len ? len : 1));
      if (len)
        std::memcpy(s->key, key, len);
      s->next = static_cast<Session *>(sessions);
      sessions = s;
      sessionEnds.push({end, s, s->created});
      target = s;
      updateFireAt();
    }
    return target->state();
  }

  /// Frees the session emitted last and unlinks it from its key.
  void finishSession() {
    Session *s = firing.session;
    firing.session = nullptr;
    if (!s)
      return;
    KeyTable::Header *k = keys.find(s->hash, s->key, s->keyLen);
    void *&sessions = keys.extras(k)->extra;
    auto **link = reinterpret_cast<Session **>(&sessions);
    while (*link != s)
      link = &(*link)->next;
    *link = s->next;
    if (!sessions)
      keys.remove(k);
    freeSession(s);
  }

  const void *nextSessionRow(srt_window_row *row) {
    finishSession();
    while (!sessionEnds.empty() && sessionEnds.top().end <= firing.watermark) {
      HeapItem top = sessionEnds.top();
      sessionEnds.pop();
      Session *s = top.session;
      if (s->dead) {
        std::free(s->key);
        std::free(s);
        continue;
      }
      if (s->end != top.end) { // extended since it was pushed
        sessionEnds.push({s->end, s, s->created});
        continue;
      }
      firing.session = s;
      run->recordEpoch = s->epoch;
      *row = {s->key, s->keyLen, s->start, s->end};
      return s->state();
    }
    return nullptr;
  }

  // -------------------------------------------------------- count windows
  /// A count window that reached n records, taken out of the key table
  /// (its key and state moved here) until it is emitted, so the key's next
  /// record starts a new window even before this one fires.
  struct FullWindow {
    int64_t start, end;
    int64_t epoch;
    std::vector<char> key;
    std::vector<char> state;
  };

  void *countState(int64_t time, uint64_t hash, const void *key, uint32_t len) {
    detachFull();
    bool inserted;
    KeyTable::Header *e = keys.findOrInsert(hash, key, len, inserted);
    KeyTable::Extras *x = keys.extras(e);
    if (inserted) {
      x->minTime = x->maxTime = time;
      x->epoch = run->recordEpoch;
    }
    x->epoch = std::min(x->epoch, run->recordEpoch);
    x->minTime = std::min(x->minTime, time);
    x->maxTime = std::max(x->maxTime, time);
    if (++x->count == count) {
      // Full once this record has updated it: detached at the next call.
      justFilled = e;
      clock.fire_at = INT64_MIN;
    }
    return keys.state(e);
  }

  std::deque<FullWindow> full;          ///< filled, waiting to be emitted, in order
  KeyTable::Header *justFilled = nullptr; ///< filled by the record just given its state

  /// Moves the window the previous record filled out of the key table.
  void detachFull() {
    KeyTable::Header *e = justFilled;
    if (!e)
      return;
    justFilled = nullptr;
    const KeyTable::Extras *x = keys.extras(e);
    auto *state = static_cast<char *>(keys.state(e));
    FullWindow w{x->minTime, x->maxTime, x->epoch,
                 std::vector<char>(keys.key(e), keys.key(e) + e->keyLen),
                 std::vector<char>(state, state + aggs.size)};
    full.push_back(std::move(w)); // the state's owned parts move with it
    keys.remove(e);
  }

  const void *nextCountRow(srt_window_row *row) {
    if (firing.emittedFull) { // free the window emitted last
      firing.emittedFull = false;
      destroyAggState(aggs, full.front().state.data());
      full.pop_front();
    }
    if (KeyTable::Header *done = firing.emitted) {
      firing.emitted = nullptr;
      destroyAggState(aggs, keys.state(done));
      keys.remove(done);
    }
    detachFull();
    if (!full.empty()) {
      FullWindow &w = full.front();
      firing.emittedFull = true;
      run->recordEpoch = w.epoch;
      *row = {w.key.data(), static_cast<int64_t>(w.key.size()), w.start, w.end};
      return w.state.data();
    }
    if (!firing.flushing)
      return nullptr;
    // The end of the input: every key's partial window.
    while (firing.next < keys.capacityEntries() && !keys.entry(firing.next)->live)
      ++firing.next;
    if (firing.next == keys.capacityEntries())
      return nullptr;
    KeyTable::Header *e = keys.entry(firing.next++);
    firing.emitted = e;
    const KeyTable::Extras *x = keys.extras(e);
    run->recordEpoch = x->epoch;
    *row = {keys.key(e), e->keyLen, x->minTime, x->maxTime};
    return keys.state(e);
  }

  // ---------------------------------------------------------- checkpoints
  int64_t oldestEpoch() const {
    int64_t oldest = INT64_MAX;
    for (const auto &[start, slice] : slices)
      if (slice->table.live())
        oldest = std::min(oldest, slice->epoch);
    if (kind == SRT_WINDOW_SESSION) {
      for (size_t i = 0; i < keys.capacityEntries(); ++i) {
        KeyTable::Header *e = const_cast<KeyTable &>(keys).entry(i);
        if (e->live)
          for (auto *s = static_cast<const Session *>(keys.extras(e)->extra); s; s = s->next)
            oldest = std::min(oldest, s->epoch);
      }
    } else if (kind == SRT_WINDOW_COUNT) {
      for (size_t i = 0; i < keys.capacityEntries(); ++i) {
        KeyTable::Header *e = const_cast<KeyTable &>(keys).entry(i);
        if (e->live)
          oldest = std::min(oldest, keys.extras(e)->epoch);
      }
      for (const FullWindow &w : full)
        oldest = std::min(oldest, w.epoch);
    }
    return oldest;
  }

  /// Frees every open window and forgets the watermark (not while firing).
  void reset() {
    for (auto &[start, slice] : slices)
      freeSlice(*slice);
    slices.clear();
    lastSlice = nullptr;
    refreshHot();
    firedThrough = INT64_MIN;
    if (kind == SRT_WINDOW_SESSION) {
      for (size_t i = 0; i < keys.capacityEntries(); ++i) {
        KeyTable::Header *e = keys.entry(i);
        if (!e->live)
          continue;
        for (Session *s = static_cast<Session *>(keys.extras(e)->extra); s;) {
          Session *n = s->next;
          s->dead = true; // freed when its heap entry comes up
          destroyAggState(aggs, s->state());
          s = n;
        }
      }
      keys.clear();
      while (!sessionEnds.empty()) {
        freeSessionMemory(sessionEnds.top().session);
        sessionEnds.pop();
      }
    } else {
      detachFull();
      freeEntries(keys);
      for (FullWindow &w : full)
        destroyAggState(aggs, w.state.data());
      full.clear();
    }
    clock = {INT64_MAX, INT64_MIN};
  }
  static void freeSessionMemory(Session *s) {
    std::free(s->key);
    std::free(s);
  }

  // --------------------------------------------------------------- common
  void *late() {
    ++stats->late;
    return nullptr;
  }
  void *discardState() {
    if (discardUsed)
      destroyAggState(aggs, discard.data());
    discardUsed = true;
    return discard.data();
  }
};

extern "C" {

srt_window *srt_window_create(srt_run *run, const srt_window_desc *desc) {
  auto *w = new srt_window(*desc);
  w->run = run;
  w->kind = static_cast<srt_window_kind>(desc->kind);
  w->size = desc->size;
  w->slide = desc->kind == SRT_WINDOW_SLIDING ? desc->slide : desc->size;
  w->count = desc->count;
  if (w->kind == SRT_WINDOW_TUMBLING || w->kind == SRT_WINDOW_SLIDING)
    w->sliceLength = std::gcd(w->size, w->slide);
  w->discard.assign(std::max<uint32_t>(desc->state_size, 8), 0);
  w->stats = run->addWindow(desc->where);
  w->where = desc->where ? desc->where : "<window>";
  w->keyBuffer.resize(256);
  run->liveWindows.push_back(w);
  return w;
}

void srt_window_destroy(srt_window *window) {
  if (!window) // the run failed before the window was created
    return;
  auto &live = window->run->liveWindows;
  live.erase(std::remove(live.begin(), live.end(), window), live.end());
  delete window;
}

srt_window_clock *srt_window_clock_of(srt_window *window) { return &window->clock; }

srt_window_hot *srt_window_hot_of(srt_window *window) { return &window->hot; }

void *srt_window_state(srt_window *w, int64_t time, const void *key, int64_t key_len,
                       int64_t late_before) {
  w->lateBefore = std::max(w->clock.watermark, late_before);
  uint64_t hash = srt_key_hash(key, static_cast<size_t>(key_len));
  auto len = static_cast<uint32_t>(key_len);
  switch (w->kind) {
  case SRT_WINDOW_SESSION:
    return w->sessionState(time, hash, key, len);
  case SRT_WINDOW_COUNT:
    return w->countState(time, hash, key, len);
  default:
    return w->sliceState(time, hash, key, len);
  }
}

void srt_window_fire(srt_window *w, int64_t watermark) {
  // A stopped run with Kafka input keeps its open windows: their records
  // are read again after a restart, and emitting them now would emit
  // results of part of their input.
  if (watermark == INT64_MAX && w->run->holdOpenWindows()) {
    if (!w->held) {
      w->held = true;
      w->heldWatermark = w->clock.watermark; // what a restart may rely on
    }
    return;
  }
  w->firing.active = true;
  w->firing.watermark = watermark;
  w->firing.flushing = watermark == INT64_MAX;
  w->firing.next = 0;
  // The window's own watermark moves after its windows have fired (the
  // generated code stores it), so nextEnd still sees them as unfired.
}

const void *srt_window_next(srt_window *w, srt_window_row *row) {
  if (!w->firing.active)
    return nullptr;
  const void *state = nullptr;
  switch (w->kind) {
  case SRT_WINDOW_SESSION:
    state = w->nextSessionRow(row);
    break;
  case SRT_WINDOW_COUNT:
    state = w->nextCountRow(row);
    break;
  default:
    state = w->nextSliceRow(row);
    break;
  }
  if (!state) {
    w->firing.active = false;
    w->updateFireAt();
  }
  return state;
}

void *srt_window_key_buffer(srt_window *w, int64_t len) {
  if (static_cast<size_t>(len) > w->keyBuffer.size())
    w->keyBuffer.resize(static_cast<size_t>(len) * 2);
  return w->keyBuffer.data();
}

int64_t srt_clock_ms(void) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

} // extern "C"

int64_t windowOldestEpoch(const srt_window *w) { return w->oldestEpoch(); }
int64_t windowWatermark(const srt_window *w) {
  return w->held ? w->heldWatermark : w->clock.watermark;
}
const char *windowWhere(const srt_window *w) { return w->where.c_str(); }
void windowRestoreWatermark(srt_window *w, int64_t watermark) {
  w->clock.watermark = std::max(w->clock.watermark, watermark);
  w->updateFireAt();
}
void windowReset(srt_window *w) { w->reset(); }
