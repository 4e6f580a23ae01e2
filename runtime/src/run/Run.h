#pragma once
/// \file
/// The run's statistics and errors (internal to the runtime).

#include "srt/abi.h"
#include "srt/host.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

/// Per-source counts and the first malformed record.
struct SourceStats {
  std::string name;
  int64_t read = 0;
  int64_t skipped = 0;
  std::string firstError; ///< "line 12, field 'latency_ms': not an integer: \"abc\""
};

/// A window's late records (dropped, and sent to its late sink if any).
/// A stateful stage's statistics (a window's, a join's).
struct WindowStats {
  std::string where;           ///< "app.stream:12:3"
  const char *kind = "window"; ///< "window", "join" or "distinct", for the summary
  int64_t late = 0;
  int64_t peakBuffered = 0; ///< a join: the most records its sides held (each at its peak)
  int64_t peakBytes = 0;    ///< and their memory
  bool unbounded = false;   ///< a join `within unbounded` (its state is reported)
};

struct SinkStats {
  std::string name;
  int64_t written = 0;
};

/// A config override of a connector argument of source or sink `name`, or
/// null (Config.cpp).
const char *configArg(const srt_run *run, int section, const char *name, const char *arg);
/// A connector argument as text: the config's override of \p arg for source
/// or sink \p name, else the program's (\p text, \p len; null gives "").
std::string connectorText(const srt_run *run, int section, const char *name, const char *arg,
                          const char *text, int64_t len);
/// A connector's format in \p out: the config's, else the program's, else
/// the one a file's \p path tells by its extension (the path after any
/// override). False, with the run's error set, when a file's path tells none.
bool connectorFormat(srt_run *run, int section, const char *name, const char *format,
                     int64_t format_len, const char *path, int64_t path_len, std::string &out);

/// Checks the config's overrides of source or sink \p name against its
/// \p connector (srt_config_check_connector) as it opens: false, with the
/// run's error naming each mistake, when one does not apply (ConfigCheck.cpp).
bool checkConfigConnector(srt_run *run, int section, const char *name, srt_connector_kind connector);
/// "a, b and c" (\p last: " and " or " or "), for messages (Suggest.cpp).
std::string joinWords(const std::vector<std::string_view> &words, const char *last);

/// Applies the config's overrides of generate() source \p source to its
/// arguments (ConfigCheck.cpp): false, with the run's error set, when one
/// does not apply or the kind it gives does not provide, with the same type,
/// a field the program reads.
bool configGenerator(srt_run *run, const char *source, std::string &kind, int64_t &events,
                     double &rate, int64_t &seed, const srt_layout *layout);

/// The name of an srt_type, as the language spells it.
inline const char *typeName(uint32_t t) {
  switch (t) {
  case SRT_BOOL:
    return "bool";
  case SRT_I64:
    return "i64";
  case SRT_F64:
    return "f64";
  case SRT_STRING:
    return "string";
  case SRT_TIMESTAMP:
    return "timestamp";
  case SRT_DURATION:
    return "duration";
  default:
    return "?";
  }
}


/// A sink whose records go to a function instead of its connector
/// (srt_run_capture_sink).
struct SinkCapture {
  std::string sink;
  srt_capture_fn fn = nullptr;
  void *user = nullptr;
};

class KafkaConsumer;

/// Writes what a sink buffers (a table sink keeps its rows until the end)
/// and waits for its Kafka deliveries; false when it failed (Writer.cpp).
bool srt_writer_checkpoint(srt_writer *writer);
/// Writes what a file or stdout sink buffers (see srt_run::deliverOutput).
void deliverWriterOutput(srt_writer *writer);

/// What the runtime keeps of a window for checkpoints (Window.cpp): the
/// oldest epoch any record in its open state was read in (INT64_MAX: no open
/// state), its watermark, and dropping its state for a replay.
int64_t windowOldestEpoch(const srt_window *window);
int64_t windowWatermark(const srt_window *window);
const char *windowWhere(const srt_window *window);
/// Raises the window's watermark to at least \p watermark (restored from a
/// commit: windows ending at or before it were emitted before a restart).
void windowRestoreWatermark(srt_window *window, int64_t watermark);
/// Drops every open window and the watermark (a rebalance: the input is
/// read again from the committed offsets).
void windowReset(srt_window *window);
/// The same for a join (join/Join.cpp): the oldest epoch of a buffered
/// record, and dropping both sides' records for a replay.
int64_t joinOldestEpoch(const srt_join *join);
void joinReset(srt_join *join);
/// The same for a distinct stage's kept times (dedup/Dedup.cpp).
int64_t dedupOldestEpoch(const srt_dedup *dedup);
void dedupReset(srt_dedup *dedup);
/// The same for an extend over's records (frame/Frame.cpp): those waiting
/// for the watermark and those a rows or range frame holds. An unbounded
/// frame's running state is not replayed: a reset starts it afresh.
int64_t frameOldestEpoch(const srt_frame *frame);
void frameReset(srt_frame *frame);

namespace re2 {
class RE2;
}
/// Deletes a compiled regular expression (text/Regex.cpp, where RE2 is
/// complete).
struct RegexDeleter {
  void operator()(re2::RE2 *re) const;
};

struct srt_run {
  std::string error;                   ///< the last fatal error
  std::deque<std::string> keptStrings; ///< srt_run_keep_string
  const srt_config *config = nullptr;  ///< overrides of connector arguments
  srt_writer *deadLetter = nullptr;    ///< receives malformed records
  std::vector<SourceStats *> sources;
  /// The program's regular expressions (srt_regex_compile).
  std::vector<std::unique_ptr<re2::RE2, RegexDeleter>> regexes;

  /// Writes a malformed record to the dead-letter sink, if there is one.
  void toDeadLetter(const std::string &source, int64_t line, const std::string &reason,
                    std::string_view record);
  std::vector<SinkStats *> sinks;
  std::vector<WindowStats *> windows;
  std::vector<SinkCapture> captures;
  /// Set by srt_run_interrupt (from a signal handler): readers report the
  /// end of their input.
  std::atomic<bool> interrupted{false};

  /// The capture of sink `name`, or null.
  const SinkCapture *captureOf(const char *name) const {
    if (!name)
      return nullptr;
    for (const SinkCapture &c : captures)
      if (c.sink == name)
        return &c;
    return nullptr;
  }
  bool interruptRequested() const { return interrupted.load(std::memory_order_relaxed); }
  /// Set with `interrupted` by srt_run_stop (SIGINT, SIGTERM): the run stops
  /// rather than ends, so windows fed by Kafka keep their open windows
  /// unemitted (their records are read again after a restart).
  std::atomic<bool> stopped{false};
  /// The scheduler's wake-up pipe (-1 until a scheduler runs): a stop or an
  /// interrupt writes a byte so a wait for input ends at once.
  std::atomic<int> wakeFd{-1};
  /// Ends the scheduler's wait (async-signal-safe).
  void wake() {
    int fd = wakeFd.load(std::memory_order_relaxed);
    if (fd >= 0) {
      char b = 1;
      [[maybe_unused]] auto n = ::write(fd, &b, 1);
    }
  }

  // Checkpoints (at-least-once delivery with Kafka sources). Input is cut
  // into epochs at each commit; every window state remembers the oldest
  // epoch of the records in it, so a source's offsets at the end of epoch e
  // may be committed once no open state holds a record of epoch <= e and the
  // sinks have delivered everything (Kafka.cpp).
  int64_t epoch = 1;       ///< the epoch records are read in now
  int64_t recordEpoch = 1; ///< the oldest epoch the record being processed comes from
  std::vector<srt_window *> liveWindows;
  std::vector<srt_join *> liveJoins;
  std::vector<srt_dedup *> liveDedups;
  std::vector<srt_frame *> liveFrames;
  std::vector<srt_writer *> liveWriters;
  std::vector<KafkaConsumer *> consumers;
  std::string kafkaBrokers;     ///< --kafka-brokers
  std::string name = "streamc"; ///< the program's name (default consumer groups)
  bool verbose = false;         ///< -v: Kafka assignments are reported
  /// Writes what file and stdout sinks buffer (not tables, which are
  /// rendered at the end, nor Kafka, whose delivery follows checkpoints):
  /// called when the program is about to wait for input.
  void deliverOutput();
  /// Writes everything the sinks buffer and waits for Kafka deliveries.
  /// Returns false (with `error` set) when a sink failed.
  bool flushSinks();
  /// Whether some window fed by a Kafka source should keep its open windows
  /// at the end: the run was stopped, not ended.
  bool holdOpenWindows() const {
    return !consumers.empty() && stopped.load(std::memory_order_relaxed);
  }

  ~srt_run() {
    if (deadLetter)
      srt_writer_close(deadLetter);
    for (auto *s : sources)
      delete s;
    for (auto *s : sinks)
      delete s;
    for (auto *w : windows)
      delete w;
  }
  SourceStats *addSource(const char *name) {
    auto *s = new SourceStats();
    s->name = name ? name : "<input>";
    sources.push_back(s);
    return s;
  }
  WindowStats *addWindow(const char *where, const char *kind = "window") {
    auto *w = new WindowStats();
    w->where = where ? where : "<window>";
    w->kind = kind;
    windows.push_back(w);
    return w;
  }
  SinkStats *addSink(const char *name) {
    auto *s = new SinkStats();
    s->name = name ? name : "<output>";
    sinks.push_back(s);
    return s;
  }
};
