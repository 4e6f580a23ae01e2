/// \file
/// A window stage's state (srt_window, srt/abi.def): what every kind of
/// window shares (the clock generated code reads and writes inline, the
/// key buffer, the firing in progress, a stopped run's held windows) and
/// the C interface, which hands the rest to the window's kind
/// (WindowKind.h: SliceWindows.cpp, SessionWindows.cpp, CountWindows.cpp).

#include "srt/abi.h"
#include "window/WindowKind.h"

#include <algorithm>
#include <ctime>
#include <string>
#include <vector>

struct srt_window {
  explicit srt_window(const srt_window_desc &desc) : ctx(desc) {}

  WindowContext ctx;
  std::unique_ptr<WindowKind> kind;
  std::string where;
  /// A stopped run keeps its open windows (srt_window_fire): the watermark
  /// they were kept at, which the generated code's last store overwrites.
  bool held = false;
  int64_t heldWatermark = INT64_MIN;
  bool firing = false; ///< between srt_window_fire and the last srt_window_next
  std::vector<char> keyBuffer;
};

extern "C" {

srt_window *srt_window_create(srt_run *run, const srt_window_desc *desc) {
  auto *w = new srt_window(*desc);
  w->ctx.run = run;
  switch (desc->kind) {
  case SRT_WINDOW_TUMBLING:
    w->kind = makeTumblingWindows(w->ctx, *desc);
    break;
  case SRT_WINDOW_SLIDING:
    w->kind = makeSlidingWindows(w->ctx, *desc);
    break;
  case SRT_WINDOW_SESSION:
    w->kind = makeSessionWindows(w->ctx, *desc);
    break;
  case SRT_WINDOW_COUNT:
    w->kind = makeCountWindows(w->ctx, *desc);
    break;
  default:
    w->kind = makeAllWindows(w->ctx, *desc);
    break;
  }
  w->ctx.stats = run->addWindow(desc->where);
  w->where = desc->where ? desc->where : "<window>";
  w->keyBuffer.resize(256);
  run->liveWindows.push_back(w);
  return w;
}

void srt_window_destroy(srt_window *window) {
  if (!window) // the run failed before the window was created
    return;
  auto &live = window->ctx.run->liveWindows;
  live.erase(std::remove(live.begin(), live.end(), window), live.end());
  delete window;
}

srt_window_clock *srt_window_clock_of(srt_window *window) { return &window->ctx.clock; }

srt_window_hot *srt_window_hot_of(srt_window *window) { return &window->ctx.hot; }

void *srt_window_state(srt_window *w, int64_t time, const void *key, int64_t key_len,
                       int64_t late_before) {
  w->ctx.lateBefore = std::max(w->ctx.clock.watermark, late_before);
  return w->kind->state(time, srt_key_hash(key, static_cast<size_t>(key_len)), key,
                        static_cast<uint32_t>(key_len));
}

void srt_window_fire(srt_window *w, int64_t watermark) {
  // A stopped run with Kafka input keeps its open windows: their records
  // are read again after a restart, and emitting them now would emit
  // results of part of their input.
  if (watermark == INT64_MAX && w->ctx.run->holdOpenWindows()) {
    if (!w->held) {
      w->held = true;
      w->heldWatermark = w->ctx.clock.watermark; // what a restart may rely on
    }
    return;
  }
  w->firing = true;
  w->ctx.firingWatermark = watermark;
  w->ctx.flushing = watermark == INT64_MAX;
  w->kind->startFiring();
  // The window's own watermark moves after its windows have fired (the
  // generated code stores it), so nextEnd still sees them as unfired.
}

const void *srt_window_next(srt_window *w, srt_window_row *row) {
  if (!w->firing)
    return nullptr;
  const void *state = w->kind->next(row);
  if (!state) {
    w->firing = false;
    w->ctx.clock.fire_at = w->kind->fireAt();
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

int64_t windowOldestEpoch(const srt_window *w) { return w->kind->oldestEpoch(); }
int64_t windowWatermark(const srt_window *w) {
  return w->held ? w->heldWatermark : w->ctx.clock.watermark;
}
const char *windowWhere(const srt_window *w) { return w->where.c_str(); }
void windowRestoreWatermark(srt_window *w, int64_t watermark) {
  w->ctx.clock.watermark = std::max(w->ctx.clock.watermark, watermark);
  w->ctx.clock.fire_at = w->kind->fireAt();
}
void windowReset(srt_window *w) {
  w->kind->reset();
  w->ctx.clock = {INT64_MAX, INT64_MIN};
}
