#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace {
/// The record a dead-letter sink receives.
struct DeadLetter {
  srt_str source;
  int64_t line;
  srt_str reason;
  srt_str record;
};
const srt_field kDeadLetterFields[] = {
    {"source", SRT_STRING, offsetof(DeadLetter, source), -1, 1, 0},
    {"line", SRT_I64, offsetof(DeadLetter, line), -1, 1, 0},
    {"reason", SRT_STRING, offsetof(DeadLetter, reason), -1, 1, 0},
    {"record", SRT_STRING, offsetof(DeadLetter, record), -1, 1, 0},
};
const srt_layout kDeadLetterLayout = {4, sizeof(DeadLetter), kDeadLetterFields};
srt_str view(std::string_view s) { return {s.data(), static_cast<int64_t>(s.size())}; }
} // namespace

void srt_run::toDeadLetter(const std::string &source, int64_t line, const std::string &reason,
                           std::string_view record) {
  if (!deadLetter)
    return;
  DeadLetter row{view(source), line, view(reason), view(record)};
  srt_writer_write(deadLetter, &row);
}

void srt_run::deliverOutput() {
  for (srt_writer *w : liveWriters)
    deliverWriterOutput(w);
}

bool srt_run::flushSinks() {
  bool ok = true;
  for (srt_writer *w : liveWriters)
    ok = srt_writer_checkpoint(w) && ok;
  return ok;
}

namespace {
std::atomic<srt_run *> gSignalled{nullptr};

/// Installs \p handler for \p sig without SA_RESTART: a call blocked when
/// the signal comes (a read, an open, a poll) returns EINTR, so the stop is
/// seen at once instead of after the call completes.
void handle(int sig, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(sig, &action, nullptr);
}

void onStopSignal(int sig) {
  if (srt_run *run = gSignalled.load())
    srt_run_stop(run);
  handle(sig, SIG_DFL); // a second Ctrl-C ends the process at once
}
} // namespace

extern "C" {

void srt_run_stop_on_signals(srt_run *run) {
  gSignalled.store(run);
  handle(SIGINT, run ? onStopSignal : SIG_DFL);
  handle(SIGTERM, run ? onStopSignal : SIG_DFL);
}

void srt_run_set_name(srt_run *run, const char *name) {
  std::string n = name ? name : "streamc";
  if (size_t slash = n.find_last_of('/'); slash != std::string::npos)
    n = n.substr(slash + 1);
  if (size_t dot = n.rfind(".stream"); dot != std::string::npos && dot + 7 == n.size())
    n = n.substr(0, dot);
  run->name = n.empty() ? "streamc" : n;
}

void srt_run_set_kafka_brokers(srt_run *run, const char *brokers) {
  run->kafkaBrokers = brokers ? brokers : "";
}

void srt_run_set_verbose(srt_run *run, int verbose) { run->verbose = verbose != 0; }

void srt_run_stop(srt_run *run) {
  run->stopped.store(true, std::memory_order_relaxed);
  run->interrupted.store(true, std::memory_order_relaxed);
  run->wake();
}

int32_t srt_run_declare_sink(srt_run *run, const char *name, const char *path, int64_t path_len,
                             const char *format, int64_t format_len) {
  if (!run->config || run->deadLetter)
    return 0;
  const char *dead = srt_config_dead_letter(run->config, nullptr);
  if (!dead || std::strcmp(dead, name) != 0)
    return 0;
  run->deadLetter =
      srt_writer_open_text(run, name, path, path_len, format, format_len, &kDeadLetterLayout);
  return run->deadLetter ? 0 : -1;
}

void srt_run_count_sink(srt_run *run, const char *sink, int64_t records) {
  run->addSink(sink)->written = records;
}

srt_run *srt_run_create(void) { return new srt_run(); }
void srt_run_destroy(srt_run *run) { delete run; }

const char *srt_run_error(const srt_run *run) {
  return run->error.empty() ? nullptr : run->error.c_str();
}

void srt_run_fail(srt_run *run, const char *message) {
  if (run->error.empty())
    run->error = message;
}

int32_t srt_run_check_setting(srt_run *run, const char *what, int64_t value, int64_t minimum,
                              int32_t is_duration) {
  if (value >= minimum)
    return 0;
  std::string found = std::to_string(value) + (is_duration ? "ms" : "");
  srt_run_fail(run,
               (std::string(what) + (minimum > 0 ? " must be positive" : " must not be negative") +
                ", found " + found)
                   .c_str());
  return -1;
}

int32_t srt_run_check_range(srt_run *run, const char *what, double value, int32_t is_null,
                            double min, double max, int32_t min_exclusive) {
  bool above = min_exclusive ? value > min : value >= min;
  if (!is_null && above && value <= max)
    return 0;
  char text[128];
  std::snprintf(text, sizeof text,
                min_exclusive ? "greater than %g and at most %g" : "between %g and %g", min, max);
  std::string message = std::string(what) + " must be " + text + ", found ";
  std::snprintf(text, sizeof text, "%g", value);
  srt_run_fail(run, (message + (is_null ? "null" : text)).c_str());
  return -1;
}

void srt_run_keep_string(srt_run *run, srt_str *s) {
  const std::string &kept = run->keptStrings.emplace_back(s->ptr, static_cast<size_t>(s->len));
  s->ptr = kept.data();
}

int64_t srt_run_skipped(const srt_run *run) {
  int64_t n = 0;
  for (const SourceStats *s : run->sources)
    n += s->skipped;
  return n;
}

void srt_run_report(const srt_run *run, int verbose) {
  bool problems = srt_run_skipped(run) != 0;
  for (const WindowStats *w : run->windows)
    problems = problems || w->late != 0;
  if (!problems && !verbose)
    return;
  for (const SourceStats *s : run->sources) {
    // Read counts every record, the skipped ones included.
    std::fprintf(stderr, "source %s: %lld records read", s->name.c_str(),
                 static_cast<long long>(s->read + s->skipped));
    if (s->skipped)
      std::fprintf(stderr, ", %lld malformed skipped (first: %s)",
                   static_cast<long long>(s->skipped), s->firstError.c_str());
    std::fputc('\n', stderr);
  }
  for (const WindowStats *w : run->windows) {
    if (w->unbounded && verbose) // kept to the end: what it held is worth knowing
      std::fprintf(stderr, "%s at %s: state kept to the end, at most %lld records (%.1f MiB)\n",
                   w->kind, w->where.c_str(), static_cast<long long>(w->peakBuffered),
                   static_cast<double>(w->peakBytes) / (1 << 20));
    else if (w->late || verbose)
      std::fprintf(stderr, "%s at %s: %lld late records dropped\n", w->kind, w->where.c_str(),
                   static_cast<long long>(w->late));
  }
  if (verbose)
    for (const SinkStats *s : run->sinks)
      std::fprintf(stderr, "sink %s: %lld records written\n", s->name.c_str(),
                   static_cast<long long>(s->written));
}

} // extern "C"
