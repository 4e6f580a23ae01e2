/// \file
/// Tumbling and sliding windows (WindowKind.h). Both keep *slices*: time is
/// cut into slices of gcd(size, slide) and each record updates the state of
/// its key in its one slice; a firing window combines the states of its
/// slices: a tumbling window's one slice is the window, a sliding window's
/// are merged. So a record costs one state update however many windows
/// overlap, and a slice is freed once the last window containing it has
/// fired. The slice the last record went to is what generated code probes
/// inline (srt_window_hot).

#include "window/WindowKind.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <vector>

namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// One slice: [start, start + length).
struct Slice {
  Slice(uint32_t stateSize, uint32_t keyCapacity) : table(stateSize, keyCapacity) {}
  int64_t start = 0;
  int64_t lastEnd = 0;       ///< the end of the last window containing the slice
  int64_t epoch = INT64_MAX; ///< the oldest epoch of its records (checkpoints)
  KeyTable table;
};

class SliceWindows : public WindowKind {
public:
  SliceWindows(WindowContext &w, int64_t size, int64_t slide)
      : WindowKind(w), size_(size), slide_(slide), sliceLength_(std::gcd(size, slide)) {}
  ~SliceWindows() override { freeSlices(); }

  void *state(int64_t time, uint64_t hash, const void *key, uint32_t len) override {
    void *state = stateOf(time, hash, key, len);
    refreshHot();
    return state;
  }

  const void *next(srt_window_row *row) override {
    for (;;) {
      if (!firing_.table && !startWindow()) {
        firedThrough_ = std::max(firedThrough_, w_.firingWatermark);
        return nullptr;
      }
      KeyTable &t = *firing_.table;
      while (firing_.next < t.capacityEntries()) {
        KeyTable::Header *e = t.entry(firing_.next++);
        if (!e->live)
          continue;
        *row = {t.key(e), e->keyLen, firing_.start, firing_.end};
        w_.run->recordEpoch = firing_.epoch;
        return t.state(e);
      }
      finishWindow();
    }
  }

  int64_t fireAt() const override {
    return slices_.empty() ? INT64_MAX : nextEnd(slices_.begin()->first);
  }

  int64_t oldestEpoch() const override {
    int64_t oldest = INT64_MAX;
    for (const auto &[start, slice] : slices_)
      if (slice->table.live())
        oldest = std::min(oldest, slice->epoch);
    return oldest;
  }

  void reset() override {
    freeSlices();
    slices_.clear();
    lastSlice_ = nullptr;
    refreshHot();
    firedThrough_ = INT64_MIN;
  }

protected:
  /// The table of the window whose slices are \p parts (in time order, at
  /// least one): a tumbling window's one slice, a sliding window's merged.
  virtual KeyTable &combine(const std::vector<Slice *> &parts) = 0;
  /// The combined table's window was emitted.
  virtual void combined(KeyTable &table) {}
  /// The state of a record in no window (between the windows of a sliding
  /// window whose slide exceeds its size).
  virtual void *outsideWindows() = 0;

private:
  /// The end of the last window containing the slice that starts at \p start.
  int64_t lastEnd(int64_t start) const { return floorDiv(start, slide_) * slide_ + size_; }
  /// The end of the first window not yet fired that contains the slice.
  /// Windows ending at or before the window's watermark count as fired
  /// even when they held nothing then (a record arriving later for them is
  /// late, and they must not fire again).
  int64_t nextEnd(int64_t start) const {
    int64_t first = floorDiv(start - size_, slide_) * slide_ + slide_;
    int64_t done = std::max(firedThrough_, w_.clock.watermark);
    if (done != INT64_MIN)
      first = std::max(first, floorDiv(done - size_, slide_) * slide_ + slide_);
    return first + size_;
  }

  /// lastSlice_ changed, or its table did: what generated code probes.
  void refreshHot() {
    if (!lastSlice_) {
      w_.hot = {};
      return;
    }
    KeyTable &t = lastSlice_->table;
    w_.hot = {lastSlice_->start,   lastSlice_->start + sliceLength_,
              lastSlice_->lastEnd, t.mask(),
              t.shift(),           t.indexData(),
              t.entryData()};
  }

  void *stateOf(int64_t time, uint64_t hash, const void *key, uint32_t len) {
    // Most records fall in the slice of the record before: no division.
    if (Slice *last = lastSlice_;
        last && time >= last->start && time - last->start < sliceLength_) {
      if (last->lastEnd <= w_.lateBefore)
        return w_.late();
      last->epoch = std::min(last->epoch, w_.run->recordEpoch);
      bool inserted;
      return last->table.state(last->table.findOrInsert(hash, key, len, inserted));
    }
    int64_t windowStart = floorDiv(time, slide_) * slide_; // the last window containing it
    if (time >= windowStart + size_)
      return outsideWindows(); // between windows: in none, and not late
    if (windowStart + size_ <= w_.lateBefore)
      return w_.late();
    int64_t start = floorDiv(time, sliceLength_) * sliceLength_;
    Slice *slice = lastSlice_;
    if (!slice || slice->start != start) {
      auto &owned = slices_[start];
      if (!owned) {
        if (spareSlices_.empty()) {
          owned = std::make_unique<Slice>(w_.aggs.size, w_.keyCapacity);
        } else {
          owned = std::move(spareSlices_.back());
          spareSlices_.pop_back();
        }
        owned->start = start;
        owned->lastEnd = lastEnd(start);
        owned->epoch = INT64_MAX;
        if (slices_.begin()->first == start)
          w_.clock.fire_at = fireAt();
      }
      slice = lastSlice_ = owned.get();
    }
    slice->epoch = std::min(slice->epoch, w_.run->recordEpoch);
    bool inserted;
    return slice->table.state(slice->table.findOrInsert(hash, key, len, inserted));
  }

  /// Starts the next window to fire (false: none has been reached).
  bool startWindow() {
    if (slices_.empty())
      return false;
    int64_t end = nextEnd(slices_.begin()->first);
    if (end > w_.firingWatermark)
      return false;
    firing_.start = end - size_;
    firing_.end = end;
    firing_.parts.clear();
    for (auto it = slices_.begin(); it != slices_.end() && it->first < end; ++it)
      if (it->first >= firing_.start)
        firing_.parts.push_back(it->second.get());
    firing_.epoch = INT64_MAX;
    for (Slice *part : firing_.parts)
      firing_.epoch = std::min(firing_.epoch, part->epoch);
    firing_.table = &combine(firing_.parts);
    firing_.next = 0;
    return true;
  }

  /// The window just emitted is done: free the slices no later window needs.
  void finishWindow() {
    combined(*firing_.table);
    firedThrough_ = firing_.end;
    while (!slices_.empty() && lastEnd(slices_.begin()->first) <= firing_.end) {
      auto node = slices_.extract(slices_.begin());
      if (lastSlice_ == node.mapped().get()) {
        lastSlice_ = nullptr;
        refreshHot();
      }
      w_.freeEntries(node.mapped()->table);
      if (spareSlices_.size() < 4)
        spareSlices_.push_back(std::move(node.mapped()));
    }
    firing_.table = nullptr;
  }

  void freeSlices() {
    for (auto &[start, slice] : slices_)
      w_.freeEntries(slice->table);
  }

  int64_t size_, slide_, sliceLength_;
  std::map<int64_t, std::unique_ptr<Slice>> slices_;
  Slice *lastSlice_ = nullptr;
  std::vector<std::unique_ptr<Slice>> spareSlices_;
  int64_t firedThrough_ = INT64_MIN; ///< every window ending at or before has fired
  struct {
    int64_t start = 0, end = 0;
    KeyTable *table = nullptr; ///< the table whose entries are being emitted
    size_t next = 0;
    std::vector<Slice *> parts;
    int64_t epoch = INT64_MAX; ///< the oldest epoch of the slices firing
  } firing_;
};

/// A tumbling window is its one slice: nothing is merged.
class TumblingWindows final : public SliceWindows {
public:
  TumblingWindows(WindowContext &w, int64_t size) : SliceWindows(w, size, size) {}

private:
  KeyTable &combine(const std::vector<Slice *> &parts) override { return parts[0]->table; }
  void *outsideWindows() override { return nullptr; } // every time is in a window
};

/// A sliding window merges the states of its slices when it fires.
class SlidingWindows final : public SliceWindows {
public:
  SlidingWindows(WindowContext &w, int64_t size, int64_t slide)
      : SliceWindows(w, size, slide), merged_(w.aggs.size, w.keyCapacity),
        discard_(std::max<uint32_t>(w.aggs.size, 8), 0) {}
  ~SlidingWindows() override {
    w_.freeEntries(merged_);
    if (discardUsed_)
      destroyAggState(w_.aggs, discard_.data());
  }

private:
  KeyTable &combine(const std::vector<Slice *> &parts) override {
    if (parts.size() == 1)
      return parts[0]->table;
    // Merge the slices' states of each key.
    for (Slice *part : parts)
      for (size_t i = 0; i < part->table.capacityEntries(); ++i) {
        KeyTable::Header *e = part->table.entry(i);
        if (!e->live)
          continue;
        bool inserted;
        KeyTable::Header *m =
            merged_.findOrInsert(e->hash, part->table.key(e), e->keyLen, inserted);
        mergeAggState(w_.aggs, merged_.state(m), part->table.state(e));
      }
    return merged_;
  }
  void combined(KeyTable &table) override {
    if (&table == &merged_)
      w_.freeEntries(merged_);
  }
  /// A state the record updates that no window reads.
  void *outsideWindows() override {
    if (discardUsed_)
      destroyAggState(w_.aggs, discard_.data());
    discardUsed_ = true;
    return discard_.data();
  }

  KeyTable merged_; ///< the merged states of a firing window
  std::vector<char> discard_;
  bool discardUsed_ = false;
};

} // namespace

std::unique_ptr<WindowKind> makeTumblingWindows(WindowContext &w, const srt_window_desc &desc) {
  return std::make_unique<TumblingWindows>(w, desc.size);
}

std::unique_ptr<WindowKind> makeSlidingWindows(WindowContext &w, const srt_window_desc &desc) {
  return std::make_unique<SlidingWindows>(w, desc.size, desc.slide);
}
