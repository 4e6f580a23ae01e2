/// \file
/// What the REPL needs from the runtime besides running a program: stopping
/// a run from a signal handler (Ctrl-C), capturing the records of a sink
/// (the table a pipeline without `into` shows), the records a sink
/// received, and table-style text of one field.

#include "run/Run.h"
#include "srt/host.h"

#include <charconv>
#include <cstring>

static_assert(std::atomic<bool>::is_always_lock_free,
              "srt_run_interrupt must be safe in a signal handler");

extern "C" {

void srt_run_interrupt(srt_run *run) {
  run->interrupted.store(true, std::memory_order_relaxed);
  run->wake();
}

int srt_run_interrupted(const srt_run *run) { return run->interruptRequested() ? 1 : 0; }

void srt_run_capture_sink(srt_run *run, const char *sink, srt_capture_fn fn, void *user) {
  run->captures.push_back(SinkCapture{sink, fn, user});
}

int64_t srt_run_sink_written(const srt_run *run, const char *sink) {
  int64_t written = -1;
  for (const SinkStats *s : run->sinks)
    if (s->name == sink)
      written = (written < 0 ? 0 : written) + s->written;
  return written;
}

static_assert(SRT_TIMESTAMP_MAX_LEN <= 40, "srt_format_field's buf is documented as 40 bytes");

size_t srt_format_field(const srt_field *f, const void *record, char *buf, const char **text) {
  const char *base = static_cast<const char *>(record);
  *text = buf;
  if (f->null_offset >= 0 && base[f->null_offset] != 0) {
    std::memcpy(buf, "null", 4);
    return 4;
  }
  const char *value = base + f->offset;
  switch (f->type) {
  case SRT_BOOL: {
    bool b = *reinterpret_cast<const uint8_t *>(value) != 0;
    *text = b ? "true" : "false";
    return b ? 4 : 5;
  }
  case SRT_I64:
  case SRT_DURATION: {
    auto [end, ec] = std::to_chars(buf, buf + 40, *reinterpret_cast<const int64_t *>(value));
    return static_cast<size_t>(end - buf);
  }
  case SRT_F64:
    return srt_format_double(*reinterpret_cast<const double *>(value), buf);
  case SRT_STRING: {
    const srt_str *s = reinterpret_cast<const srt_str *>(value);
    *text = s->ptr ? s->ptr : "";
    return static_cast<size_t>(s->len);
  }
  case SRT_TIMESTAMP:
    return srt_format_timestamp(*reinterpret_cast<const int64_t *>(value), buf);
  default:
    return 0;
  }
}

int srt_field_is_null(const srt_layout *layout, uint32_t i, const void *record) {
  const char *base = static_cast<const char *>(record);
  auto flag = [&](const srt_field &f) { return f.null_offset >= 0 && base[f.null_offset] != 0; };
  for (uint32_t r = 0; r < i; ++r) { // a record holding field i, null
    const srt_field &f = layout->fields[r];
    if (f.type == SRT_RECORD && i <= r + f.nested && flag(f))
      return 1;
  }
  return flag(layout->fields[i]) ? 1 : 0;
}

} // extern "C"
