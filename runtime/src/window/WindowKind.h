#pragma once
/// \file
/// The state of a window stage (srt_window, srt/abi.def), one class per
/// kind of window behind one small interface: TumblingWindows and
/// SlidingWindows (slices, SliceWindows.cpp), SessionWindows
/// (SessionWindows.cpp), CountWindows and AllWindows (CountWindows.cpp).
/// Window.cpp holds what every kind shares (the clock generated code reads,
/// lateness, the firing in progress) and the C interface, which calls the
/// kind through WindowKind. Internal to the runtime.

#include "run/Run.h"
#include "srt/types.h"
#include "window/AggState.h"
#include "window/KeyTable.h"

#include <cstdint>
#include <memory>

/// What the kinds of window share: set by srt_window_create and the
/// firing calls, read by the kind.
struct WindowContext {
  explicit WindowContext(const srt_window_desc &desc)
      : aggs(desc), keyCapacity(desc.key_capacity) {}

  srt_run *run = nullptr;
  AggOps aggs;
  uint32_t keyCapacity; ///< the key bytes an entry keeps (srt_window_desc)
  WindowStats *stats = nullptr;
  /// What generated code reads and writes inline per record.
  srt_window_clock clock{INT64_MAX, INT64_MIN};
  /// What generated code probes inline (tumbling and sliding windows).
  srt_window_hot hot{};
  /// Windows ending at or before this are late for the record being added:
  /// the window's watermark or the record's own source's, the larger.
  int64_t lateBefore = INT64_MIN;
  /// The firing in progress (srt_window_fire): what the watermark reached,
  /// and whether this is the end of the input (every window fires).
  int64_t firingWatermark = INT64_MIN;
  bool flushing = false;

  /// A record late for every window it belongs to: counted, no state.
  void *late() {
    ++stats->late;
    return nullptr;
  }
  /// Frees the states of a table's entries and empties it.
  void freeEntries(KeyTable &table) {
    if (aggs.ownsMemory())
      for (size_t i = 0; i < table.capacityEntries(); ++i)
        if (table.entry(i)->live)
          destroyAggState(aggs, table.state(table.entry(i)));
    table.clear();
  }
};

/// One kind of window's keyed state and firing.
class WindowKind {
public:
  explicit WindowKind(WindowContext &w) : w_(w) {}
  virtual ~WindowKind() = default;
  WindowKind(const WindowKind &) = delete;
  WindowKind &operator=(const WindowKind &) = delete;

  /// The aggregate state a record of event time \p time and key (\p hash,
  /// \p key, \p len) updates; null when it is late (w_.lateBefore).
  virtual void *state(int64_t time, uint64_t hash, const void *key, uint32_t len) = 0;
  /// A firing begins (w_.firingWatermark, w_.flushing).
  virtual void startFiring() {}
  /// The next window result the firing yields (its key, start and end in
  /// \p row) and its state, or null when no more fire now.
  virtual const void *next(srt_window_row *row) = 0;
  /// When some window may fire (srt_window_clock.fire_at).
  virtual int64_t fireAt() const = 0;
  /// The oldest input epoch whose records an open window holds (Kafka
  /// commits must not pass it).
  virtual int64_t oldestEpoch() const = 0;
  /// Frees every open window (not while firing).
  virtual void reset() = 0;

protected:
  WindowContext &w_;
};

std::unique_ptr<WindowKind> makeTumblingWindows(WindowContext &w, const srt_window_desc &desc);
std::unique_ptr<WindowKind> makeSlidingWindows(WindowContext &w, const srt_window_desc &desc);
std::unique_ptr<WindowKind> makeSessionWindows(WindowContext &w, const srt_window_desc &desc);
std::unique_ptr<WindowKind> makeCountWindows(WindowContext &w, const srt_window_desc &desc);
std::unique_ptr<WindowKind> makeAllWindows(WindowContext &w, const srt_window_desc &desc);
