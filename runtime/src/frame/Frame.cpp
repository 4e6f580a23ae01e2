/// \file
/// The state of `extend over <frame> [by <keys>]` (LANGUAGE.md §6.1).
///
/// Processing order: with event time, a record waits in a reorder buffer
/// (a min-heap by event time, then arrival) until the stage's watermark
/// reaches it; one already behind its source's watermark when it arrives is
/// late (dropped, counted). Without event time the generated code processes
/// records on arrival and never calls srt_frame_add.
///
/// Per key, its frame: for `unbounded`, the aggregate state, folded record
/// by record by generated code; for `rows(n)` and `range(d)`, owned copies
/// of the records the frame holds, oldest first, from which generated code
/// computes the aggregates for each record: by folding them all, or, when
/// every aggregate merges exactly or cheaply, from two stacks of partial aggregates
/// (the oldest records' suffix aggregates, and one state of the newer ones;
/// when a record that state holds is dropped, the suffixes are rebuilt),
/// so a record costs O(1) merges on average.

#include "run/RecordCopy.h"
#include "run/Run.h"
#include "srt/abi.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return XXH3_64bits(s.data(), s.size()); }
};

/// A record waiting for the watermark.
struct Waiting {
  int64_t time;
  uint64_t arrival;
  int64_t epoch; ///< the input epoch it was read in (Kafka commits)
  OwnedRecord record;
  bool operator>(const Waiting &o) const {
    return time != o.time ? time > o.time : arrival > o.arrival;
  }
};

/// An aggregate state of stateSize bytes (zeroed), freed with the frame's
/// destroy function by its owner.
using State = std::unique_ptr<uint8_t[]>;

/// A record a rows or range frame holds.
struct Held {
  int64_t time;
  int64_t epoch;
  int64_t seq; ///< its arrival number
  OwnedRecord record;
  State partial; ///< two stacks: the aggregate of it through the front's last
};

} // namespace

/// One key's frame.
struct srt_frame_key {
  State state;           ///< unbounded: the aggregate state
  std::deque<Held> held; ///< rows, range: the frame's records
  // Two stacks (srt_frame_front): the oldest `front` records have partials;
  // `back` aggregates the others; `stale`: a record it holds was dropped,
  // so the partials must be rebuilt.
  int64_t front = 0;
  State back;
  bool stale = false;
};

struct srt_frame {
  srt_run *run = nullptr;
  const srt_layout *layout = nullptr;
  int32_t kind = SRT_FRAME_UNBOUNDED;
  int64_t rows = 0, rangeMs = 0;
  uint32_t stateSize = 0;
  srt_state_free_fn destroy = nullptr;
  WindowStats *stats = nullptr;

  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<Waiting>> waiting;
  uint64_t arrivals = 0;
  int64_t watermark = INT64_MIN;
  Waiting current; ///< the record srt_frame_next returned last

  std::unordered_map<std::string, srt_frame_key, KeyHash, std::equal_to<>> keys;
  std::string keyBuffer;
  /// epoch -> records read in it that the frame still holds (waiting, or
  /// in a rows or range frame): a Kafka commit must not pass them.
  std::map<int64_t, int64_t> liveEpochs;

  void forgetEpoch(int64_t epoch) {
    if (--liveEpochs[epoch] == 0)
      liveEpochs.erase(epoch);
  }

  State newState() const {
    size_t bytes = std::max<uint32_t>(stateSize, 8);
    State s(new uint8_t[bytes]);
    std::memset(s.get(), 0, bytes);
    return s;
  }
  void freeState(State &s) const {
    if (s && destroy)
      destroy(s.get());
    s.reset();
  }
  void freeStates(srt_frame_key &k) const {
    freeState(k.state);
    freeState(k.back);
    for (Held &h : k.held)
      freeState(h.partial);
  }

  ~srt_frame() {
    for (auto &[key, frame] : keys)
      freeStates(frame);
  }
};

int64_t frameOldestEpoch(const srt_frame *frame) {
  return frame->liveEpochs.empty() ? INT64_MAX : frame->liveEpochs.begin()->first;
}

void frameReset(srt_frame *frame) {
  frame->waiting = {};
  for (auto &[key, f] : frame->keys)
    frame->freeStates(f);
  frame->keys.clear();
  frame->liveEpochs.clear();
  frame->watermark = INT64_MIN;
}

extern "C" {

srt_frame *srt_frame_create(srt_run *run, const char *where, const srt_layout *layout, int32_t kind,
                            int64_t rows, int64_t range_ms, uint32_t state_size,
                            srt_state_free_fn destroy) {
  auto *f = new srt_frame();
  f->run = run;
  f->layout = layout;
  f->kind = kind;
  f->rows = rows;
  f->rangeMs = range_ms;
  f->stateSize = state_size;
  f->destroy = destroy;
  f->stats = run->addWindow(where, "extend over");
  run->liveFrames.push_back(f);
  return f;
}

void srt_frame_destroy(srt_frame *frame) {
  if (!frame)
    return;
  auto &live = frame->run->liveFrames;
  live.erase(std::remove(live.begin(), live.end(), frame), live.end());
  delete frame;
}

void *srt_frame_key_buffer(srt_frame *frame, int64_t len) {
  frame->keyBuffer.resize(static_cast<size_t>(len));
  return frame->keyBuffer.data();
}

int32_t srt_frame_add(srt_frame *frame, const void *record, int64_t time, int64_t late_before) {
  if (time < std::max(late_before, frame->watermark)) {
    ++frame->stats->late;
    return -1;
  }
  int64_t epoch = frame->run->recordEpoch;
  frame->waiting.push({time, frame->arrivals++, epoch, copyRecord(*frame->layout, record)});
  ++frame->liveEpochs[epoch];
  return 1;
}

void srt_frame_release(srt_frame *frame, int64_t watermark) {
  frame->watermark = std::max(frame->watermark, watermark);
}

const void *srt_frame_next(srt_frame *frame, int64_t *time) {
  if (frame->waiting.empty() || frame->waiting.top().time > frame->watermark)
    return nullptr;
  // The heap's top is const: its record is moved out through a copy of the
  // small struct, which owns nothing once moved from.
  frame->current = std::move(const_cast<Waiting &>(frame->waiting.top()));
  frame->waiting.pop();
  frame->forgetEpoch(frame->current.epoch);
  *time = frame->current.time;
  return frame->current.record.get();
}

srt_frame_key *srt_frame_key_of(srt_frame *frame, const void *key, int64_t len) {
  std::string_view k(static_cast<const char *>(key), static_cast<size_t>(len));
  auto it = frame->keys.find(k);
  if (it == frame->keys.end()) {
    it = frame->keys.emplace(std::string(k), srt_frame_key()).first;
    if (frame->kind == SRT_FRAME_UNBOUNDED)
      it->second.state = frame->newState();
  }
  return &it->second;
}

void *srt_frame_state(srt_frame_key *key) { return key->state.get(); }

int64_t srt_frame_evict(srt_frame *frame, srt_frame_key *key, int64_t time) {
  auto drop = [&] {
    Held &oldest = key->held.front();
    frame->forgetEpoch(oldest.epoch);
    if (key->front > 0) { // popped off the front stack
      frame->freeState(oldest.partial);
      --key->front;
    } else {
      key->stale = true; // the back state holds it
    }
    key->held.pop_front();
  };
  if (frame->kind == SRT_FRAME_ROWS) {
    while (static_cast<int64_t>(key->held.size()) > frame->rows - 1)
      drop();
  } else {
    // range(d): the records at least t - d (held in processing order, which
    // is event-time order with event time).
    int64_t from = time < INT64_MIN + frame->rangeMs ? INT64_MIN : time - frame->rangeMs;
    while (!key->held.empty() && key->held.front().time < from)
      drop();
  }
  return static_cast<int64_t>(key->held.size());
}

void srt_frame_push(srt_frame *frame, srt_frame_key *key, const void *record, int64_t time,
                    int64_t seq) {
  int64_t epoch = frame->run->recordEpoch;
  key->held.push_back({time, epoch, seq, copyRecord(*frame->layout, record), nullptr});
  ++frame->liveEpochs[epoch];
}

const void *srt_frame_item(srt_frame_key *key, int64_t i) {
  return key->held[static_cast<size_t>(i)].record.get();
}

int64_t srt_frame_item_seq(srt_frame_key *key, int64_t i) {
  return key->held[static_cast<size_t>(i)].seq;
}

int64_t srt_frame_front(srt_frame_key *key) { return key->stale ? -1 : key->front; }

void *srt_frame_partial(srt_frame *frame, srt_frame_key *key, int64_t i) {
  State &partial = key->held[static_cast<size_t>(i)].partial;
  if (!partial)
    partial = frame->newState();
  return partial.get();
}

void *srt_frame_back(srt_frame *frame, srt_frame_key *key) {
  if (!key->back)
    key->back = frame->newState();
  return key->back.get();
}

void srt_frame_rebuilt(srt_frame *frame, srt_frame_key *key) {
  key->front = static_cast<int64_t>(key->held.size());
  frame->freeState(key->back); // a fresh one when next asked for
  key->stale = false;
}

} // extern "C"
