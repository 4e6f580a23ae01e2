/// \file
/// Count windows and `window all` (WindowKind.h): per key, the state of its
/// open window and its records' count and time span (KeyTable::Extras). A
/// count window fires as soon as its key's n-th record has updated it; at
/// the end of the input every key's partial window fires. `window all` is
/// the count window that never fills: one window per key, fired at the end
/// of the input (watermark +inf).

#include "window/WindowKind.h"

#include <algorithm>
#include <deque>
#include <vector>

namespace {

class CountWindows : public WindowKind {
public:
  CountWindows(WindowContext &w, int64_t count)
      : WindowKind(w), count_(count), keys_(w.aggs.size, w.keyCapacity, sizeof(KeyTable::Extras)) {}
  ~CountWindows() override { reset(); }

  void *state(int64_t time, uint64_t hash, const void *key, uint32_t len) override {
    detachFull();
    bool inserted;
    KeyTable::Header *e = keys_.findOrInsert(hash, key, len, inserted);
    KeyTable::Extras *x = keys_.extras(e);
    if (inserted) {
      x->minTime = x->maxTime = time;
      x->epoch = w_.run->recordEpoch;
    }
    x->epoch = std::min(x->epoch, w_.run->recordEpoch);
    x->minTime = std::min(x->minTime, time);
    x->maxTime = std::max(x->maxTime, time);
    if (++x->count == count_) {
      // Full once this record has updated it: detached at the next call.
      justFilled_ = e;
      w_.clock.fire_at = INT64_MIN;
    }
    return keys_.state(e);
  }

  void startFiring() override { next_ = 0; }

  const void *next(srt_window_row *row) override {
    if (emittedFull_) { // free the window emitted last
      emittedFull_ = false;
      destroyAggState(w_.aggs, full_.front().state.data());
      full_.pop_front();
    }
    if (KeyTable::Header *done = emitted_) {
      emitted_ = nullptr;
      destroyAggState(w_.aggs, keys_.state(done));
      keys_.remove(done);
    }
    detachFull();
    if (!full_.empty()) {
      FullWindow &f = full_.front();
      emittedFull_ = true;
      w_.run->recordEpoch = f.epoch;
      *row = {f.key.data(), static_cast<int64_t>(f.key.size()), f.start, f.end};
      return f.state.data();
    }
    if (!w_.flushing)
      return nullptr;
    // The end of the input: every key's partial window.
    while (next_ < keys_.capacityEntries() && !keys_.entry(next_)->live)
      ++next_;
    if (next_ == keys_.capacityEntries())
      return nullptr;
    KeyTable::Header *e = keys_.entry(next_++);
    emitted_ = e;
    const KeyTable::Extras *x = keys_.extras(e);
    w_.run->recordEpoch = x->epoch;
    *row = {keys_.key(e), e->keyLen, x->minTime, x->maxTime};
    return keys_.state(e);
  }

  int64_t fireAt() const override { return full_.empty() && !justFilled_ ? INT64_MAX : INT64_MIN; }

  int64_t oldestEpoch() const override {
    int64_t oldest = INT64_MAX;
    for (size_t i = 0; i < keys_.capacityEntries(); ++i) {
      KeyTable::Header *e = const_cast<KeyTable &>(keys_).entry(i);
      if (e->live)
        oldest = std::min(oldest, keys_.extras(e)->epoch);
    }
    for (const FullWindow &f : full_)
      oldest = std::min(oldest, f.epoch);
    return oldest;
  }

  void reset() override {
    detachFull();
    w_.freeEntries(keys_);
    for (FullWindow &f : full_)
      destroyAggState(w_.aggs, f.state.data());
    full_.clear();
    emittedFull_ = false;
    emitted_ = nullptr;
  }

private:
  /// A window that reached n records, taken out of the key table (its key
  /// and state moved here) until it is emitted, so the key's next record
  /// starts a new window even before this one fires.
  struct FullWindow {
    int64_t start, end;
    int64_t epoch;
    std::vector<char> key;
    std::vector<char> state;
  };

  /// Moves the window the previous record filled out of the key table.
  void detachFull() {
    KeyTable::Header *e = justFilled_;
    if (!e)
      return;
    justFilled_ = nullptr;
    const KeyTable::Extras *x = keys_.extras(e);
    auto *state = static_cast<char *>(keys_.state(e));
    FullWindow f{x->minTime, x->maxTime, x->epoch,
                 std::vector<char>(keys_.key(e), keys_.key(e) + e->keyLen),
                 std::vector<char>(state, state + w_.aggs.size)};
    full_.push_back(std::move(f)); // the state's owned parts move with it
    keys_.remove(e);
  }

  int64_t count_;
  KeyTable keys_;                          ///< each key's open window
  std::deque<FullWindow> full_;            ///< filled, waiting to be emitted, in order
  KeyTable::Header *justFilled_ = nullptr; ///< filled by the record just given its state
  // The firing in progress.
  bool emittedFull_ = false;            ///< full_.front() was emitted last
  KeyTable::Header *emitted_ = nullptr; ///< the key emitted last (flushing)
  size_t next_ = 0;                     ///< the next key to emit (flushing)
};

/// `window all`: the count window that never fills.
class AllWindows final : public CountWindows {
public:
  explicit AllWindows(WindowContext &w) : CountWindows(w, INT64_MAX) {}
};

} // namespace

std::unique_ptr<WindowKind> makeCountWindows(WindowContext &w, const srt_window_desc &desc) {
  return std::make_unique<CountWindows>(w, desc.count);
}

std::unique_ptr<WindowKind> makeAllWindows(WindowContext &w, const srt_window_desc &) {
  return std::make_unique<AllWindows>(w);
}
