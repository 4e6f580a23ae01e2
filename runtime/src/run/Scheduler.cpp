/// \file
/// The scheduler: drives every source of a program to its end, interleaved.
///
/// Generated code runs a loop `i = srt_sched_next(s); step source i` where a
/// step reads one batch of source i's records (up to a fixed count, or what
/// is there now) and runs the fused operators on them, then reports with
/// srt_sched_done. Bounded sources (regular files, memory buffers,
/// unthrottled generators) are stepped smallest watermark first, so two
/// time-sorted files feeding one stage advance together and the stage's
/// state stays bounded by its time extent, not by the files' length.
/// Unbounded ones (pipes, terminals, Kafka, throttled generators) are
/// stepped when they are ready; when no source is, the scheduler delivers
/// what the sinks buffer and waits in poll() for the first descriptor or
/// timer (a throttled generator's next event, a processing-time window's
/// end, an idle timeout), never spinning. A stop (SIGINT, SIGTERM, the
/// REPL's Ctrl-C) writes to a pipe the wait includes, so it ends at once.

#include "io/Reader.h"
#include "run/Config.h"
#include "run/Run.h"
#include "run/WakePipe.h"
#include "srt/abi.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <vector>

namespace {

struct ScheduledSource {
  srt_reader *reader = nullptr;
  bool bounded = false;
  enum class State { Ready, Waiting, Ended } state = State::Ready;
  int64_t watermark = INT64_MIN; ///< as the last step reported it
  int64_t wakeAt = INT64_MAX;    ///< a timer the step asked for (epoch ms)
  int64_t retryAt = INT64_MAX;   ///< when the reader wants a step anyway
  int64_t idleTimeoutMs = 0;     ///< with idle_timeout (0: none)
  int64_t lastRecordAt = 0;      ///< when the source last delivered a record
  bool idleReported = false;     ///< a step has seen it idle since its last record

  bool idleAt(int64_t now) const {
    return idleTimeoutMs > 0 && now - lastRecordAt >= idleTimeoutMs;
  }
  /// When a waiting source must be stepped even without input.
  int64_t deadline() const {
    int64_t d = std::min(wakeAt, retryAt);
    if (idleTimeoutMs > 0 && !idleReported)
      d = std::min(d, lastRecordAt + idleTimeoutMs);
    return d;
  }
};

} // namespace

struct srt_sched {
  srt_run *run = nullptr;
  std::vector<ScheduledSource> sources;
  WakePipe wake; ///< a stop writes to it
  size_t turn = 0;         ///< round robin over the unbounded sources
  bool boundedNext = true; ///< alternates when both kinds are ready
  int64_t flushIntervalMs = 100;
  int64_t nextFlushAt = 0;

  bool anyUnbounded() const {
    return std::any_of(sources.begin(), sources.end(), [](const ScheduledSource &s) {
      return !s.bounded && s.state != ScheduledSource::State::Ended;
    });
  }

  /// The ready source to step next, or -1.
  int pick() {
    int bounded = -1, unbounded = -1;
    for (size_t i = 0; i < sources.size(); ++i) {
      const ScheduledSource &s = sources[i];
      if (s.state != ScheduledSource::State::Ready || !s.bounded)
        continue;
      if (bounded < 0 || s.watermark < sources[bounded].watermark)
        bounded = static_cast<int>(i);
    }
    for (size_t k = 0; k < sources.size(); ++k) {
      size_t i = (turn + k) % sources.size();
      if (sources[i].state == ScheduledSource::State::Ready && !sources[i].bounded) {
        unbounded = static_cast<int>(i);
        break;
      }
    }
    if (bounded >= 0 && unbounded >= 0) {
      boundedNext = !boundedNext;
      return boundedNext ? bounded : unbounded;
    }
    return bounded >= 0 ? bounded : unbounded;
  }

  /// Waits for a waiting source's descriptor, its deadline, or a stop.
  void wait(int64_t now) {
    run->deliverOutput(); // live output: what is written so far is seen now
    std::vector<pollfd> fds{{wake.readFd(), POLLIN, 0}};
    std::vector<size_t> owner{SIZE_MAX};
    int64_t deadline = INT64_MAX;
    for (size_t i = 0; i < sources.size(); ++i) {
      const ScheduledSource &s = sources[i];
      if (s.state != ScheduledSource::State::Waiting)
        continue;
      deadline = std::min(deadline, s.deadline());
      if (int fd = readerWaitFd(s.reader); fd >= 0) {
        fds.push_back({fd, POLLIN, 0});
        owner.push_back(i);
      }
    }
    int timeout = deadline == INT64_MAX ? -1
                                        : static_cast<int>(std::clamp<int64_t>(
                                              deadline - now, 0, INT_MAX));
    int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno != EINTR)
      ::usleep(1000); // cannot happen with valid descriptors; never spin
    if (fds[0].revents)
      wake.drain();
    for (size_t k = 1; k < fds.size(); ++k)
      if (fds[k].revents)
        sources[owner[k]].state = ScheduledSource::State::Ready;
  }
};

extern "C" {

srt_sched *srt_sched_create(srt_run *run, int32_t nsources) {
  auto *s = new srt_sched();
  s->run = run;
  s->sources.resize(static_cast<size_t>(std::max(nsources, 0)));
  if (s->wake.open())
    run->wakeFd.store(s->wake.writeFd());
  if (run->config)
    s->flushIntervalMs = run->config->flushIntervalMs;
  int64_t now = srt_clock_ms();
  s->nextFlushAt = now + s->flushIntervalMs;
  for (ScheduledSource &src : s->sources)
    src.lastRecordAt = now;
  return s;
}

void srt_sched_add(srt_sched *s, int32_t index, srt_reader *reader, int64_t idle_timeout_ms) {
  ScheduledSource &src = s->sources.at(static_cast<size_t>(index));
  src.reader = reader;
  src.bounded = readerBounded(reader);
  src.idleTimeoutMs = std::max<int64_t>(idle_timeout_ms, 0);
  readerSchedule(reader);
}

int32_t srt_sched_next(srt_sched *s) {
  for (;;) {
    int64_t now = srt_clock_ms();
    bool stopping = s->run->interruptRequested();
    bool live = false; // some source still runs
    for (ScheduledSource &src : s->sources) {
      if (src.state == ScheduledSource::State::Ended)
        continue;
      live = true;
      // A stop ends every input: each is stepped once more to see its end.
      if (src.state == ScheduledSource::State::Waiting && (stopping || src.deadline() <= now))
        src.state = ScheduledSource::State::Ready;
    }
    if (!live)
      return -1;
    if (now >= s->nextFlushAt) { // busy unbounded inputs still show output
      if (s->anyUnbounded())
        s->run->deliverOutput();
      s->nextFlushAt = now + s->flushIntervalMs;
    }
    int i = s->pick();
    if (i >= 0) {
      if (!s->sources[i].bounded)
        s->turn = static_cast<size_t>(i) + 1;
      return i;
    }
    s->wait(now);
  }
}

void srt_sched_done(srt_sched *s, int32_t index, int64_t records, int32_t status,
                    int64_t watermark, int64_t wake_at) {
  ScheduledSource &src = s->sources.at(static_cast<size_t>(index));
  int64_t now = srt_clock_ms();
  src.watermark = watermark;
  src.wakeAt = wake_at;
  if (records > 0) {
    src.lastRecordAt = now;
    src.idleReported = false;
  } else if (src.idleAt(now)) {
    src.idleReported = true; // the step has let the watermark go on without it
  }
  switch (status) {
  case SRT_STEP_END:
    src.state = ScheduledSource::State::Ended;
    break;
  case SRT_STEP_WAIT: {
    src.state = ScheduledSource::State::Waiting;
    int64_t retry = readerWakeInMs(src.reader);
    src.retryAt = retry < 0 ? INT64_MAX : now + retry;
    break;
  }
  default:
    src.state = ScheduledSource::State::Ready;
  }
}

int32_t srt_sched_idle(srt_sched *s, int32_t index) {
  return s->sources.at(static_cast<size_t>(index)).idleAt(srt_clock_ms()) ? 1 : 0;
}

void srt_sched_destroy(srt_sched *s) {
  if (!s)
    return;
  s->run->wakeFd.store(-1);
  delete s;
}

} // extern "C"
