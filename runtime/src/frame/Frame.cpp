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
/// computes the aggregates for each record.

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

/// A record a rows or range frame holds.
struct Held {
  int64_t time;
  int64_t epoch;
  OwnedRecord record;
};

} // namespace

/// One key's frame.
struct srt_frame_key {
  std::unique_ptr<uint8_t[]> state; ///< unbounded: the aggregate state
  std::deque<Held> held;            ///< rows, range: the frame's records
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

  ~srt_frame() {
    if (destroy)
      for (auto &[key, frame] : keys)
        if (frame.state)
          destroy(frame.state.get());
  }
};

int64_t frameOldestEpoch(const srt_frame *frame) {
  return frame->liveEpochs.empty() ? INT64_MAX : frame->liveEpochs.begin()->first;
}

void frameReset(srt_frame *frame) {
  frame->waiting = {};
  if (frame->destroy)
    for (auto &[key, f] : frame->keys)
      if (f.state)
        frame->destroy(f.state.get());
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
    if (frame->kind == SRT_FRAME_UNBOUNDED) {
      it->second.state.reset(new uint8_t[std::max<uint32_t>(frame->stateSize, 8)]);
      std::memset(it->second.state.get(), 0, std::max<uint32_t>(frame->stateSize, 8));
    }
  }
  return &it->second;
}

void *srt_frame_state(srt_frame_key *key) { return key->state.get(); }

int64_t srt_frame_push(srt_frame *frame, srt_frame_key *key, const void *record, int64_t time) {
  int64_t epoch = frame->run->recordEpoch;
  key->held.push_back({time, epoch, copyRecord(*frame->layout, record)});
  ++frame->liveEpochs[epoch];
  auto drop = [&] {
    frame->forgetEpoch(key->held.front().epoch);
    key->held.pop_front();
  };
  if (frame->kind == SRT_FRAME_ROWS) {
    while (static_cast<int64_t>(key->held.size()) > frame->rows)
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

const void *srt_frame_item(srt_frame_key *key, int64_t i) {
  return key->held[static_cast<size_t>(i)].record.get();
}

} // extern "C"
