/// \file
/// The consumer behind `kafka(...)` sources: group subscription, batch
/// consumption, stop_at_end, checkpoints (at-least-once offset commits),
/// rebalances and the statistics line.
///
/// Checkpoints. Input is cut into epochs, one per batch of messages; the
/// run's windows remember, per open window, the oldest epoch of the records
/// in it. At every commit interval,
/// the offsets reached at the end of epoch e are committed if no open
/// window holds a record of epoch <= e and every sink has delivered what it
/// was given: then nothing before those offsets is needed again. With them
/// each window's watermark is committed (as the offsets' metadata), so that
/// after a restart windows that were already emitted are not emitted again
/// from the part of their input that is read again.

#include "kafka/Kafka.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace {
constexpr size_t kBatch = 1024; ///< messages asked for per consume call
constexpr const char *kMetadataTag = "streamc1";
constexpr int64_t kEndCommitRetryMs = 100; ///< between commits refused at the end
} // namespace

std::unique_ptr<KafkaConsumer> KafkaConsumer::open(srt_run *run, const char *source,
                                                   const std::string &topic) {
  auto c = std::unique_ptr<KafkaConsumer>(new KafkaConsumer());
  c->run_ = run;
  c->source_ = source ? source : "<kafka>";
  c->topic_ = topic;
  c->settings_ = kafkaSettings(run, SRT_CONFIG_SOURCES, source);
  if (c->settings_.group.empty())
    c->settings_.group = "streamc." + run->name + "." + c->source_;
  std::string error;
  // A new group reads from the beginning of the topic. Offsets are stored
  // and committed only by checkpoints: that is the at-least-once guarantee.
  rd_kafka_conf_t *conf = kafkaConf(
      c->settings_, error, {{"auto.offset.reset", "earliest"}, {"group.id", c->settings_.group}},
      {{"enable.auto.commit", "false"},
       {"enable.auto.offset.store", "false"},
       {"enable.partition.eof", "true"}});
  if (!conf) {
    run->error = "source " + c->source_ + ": " + error;
    return nullptr;
  }
  rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback);
  rd_kafka_conf_set_offset_commit_cb(conf, commitCallback);
  rd_kafka_conf_set_opaque(conf, c.get());
  char err[512];
  c->rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!c->rk_) {
    run->error = "source " + c->source_ + ": " + err;
    return nullptr;
  }
  if (!kafkaCheckBrokers(c->rk_, topic, c->settings_.startupTimeoutMs, c->settings_.brokers,
                         error)) {
    run->error = "source " + c->source_ + ": " + error;
    return nullptr;
  }
  rd_kafka_poll_set_consumer(c->rk_);
  c->queue_ = rd_kafka_queue_get_consumer(c->rk_);
  rd_kafka_topic_partition_list_t *subscription = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(subscription, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(c->rk_, subscription);
  rd_kafka_topic_partition_list_destroy(subscription);
  if (e) {
    run->error =
        "source " + c->source_ + ": cannot subscribe to '" + topic + "': " + rd_kafka_err2str(e);
    return nullptr;
  }
  c->batch_.resize(kBatch);
  int64_t now = srt_clock_ms();
  c->nextCommitAt_ = now + c->settings_.commitIntervalMs;
  c->lastStatsAt_ = now;
  c->nextStatsAt_ = now + c->settings_.statsIntervalMs;
  run->consumers.push_back(c.get());
  return c;
}

KafkaConsumer::~KafkaConsumer() {
  close();
  auto &live = run_->consumers;
  live.erase(std::remove(live.begin(), live.end(), this), live.end());
}

KafkaConsumer::Partition *KafkaConsumer::partition(int32_t id) {
  for (Partition &p : partitions_)
    if (p.id == id)
      return &p;
  return nullptr;
}

bool KafkaConsumer::allDone() const {
  return std::all_of(partitions_.begin(), partitions_.end(),
                     [](const Partition &p) { return p.done; });
}

KafkaConsumer::Next KafkaConsumer::next(KafkaRecord &out) {
  for (;;) {
    if (run_->interruptRequested())
      return Next::End;
    while (batchNext_ < batchSize_) {
      rd_kafka_message_t *m = batch_[batchNext_++];
      Partition *p = partition(m->partition);
      if (m->err) {
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && p) {
          p->idle = true;
          if (p->end >= 0 && m->offset >= p->end)
            p->done = true;
        }
        continue; // other consumer errors are transient: librdkafka retries
      }
      if (!p || (settings_.stopAtEnd && (p->done || (p->end >= 0 && m->offset >= p->end))))
        continue; // after the end seen at start-up
      p->next = m->offset + 1;
      p->idle = false;
      current_ = p;
      if (settings_.stopAtEnd && p->next >= p->end)
        p->done = true;
      rd_kafka_timestamp_type_t type;
      int64_t ts = rd_kafka_message_timestamp(m, &type);
      out = {static_cast<const char *>(m->payload),
             m->len,
             static_cast<const char *>(m->key),
             m->key_len,
             m->partition,
             m->offset,
             ts >= 0 ? ts : srt_clock_ms()};
      return Next::Record;
    }
    for (size_t i = 0; i < batchSize_; ++i)
      rd_kafka_message_destroy(batch_[i]);
    batchNext_ = batchSize_ = 0;
    endEpoch();
    // Committed now, while a member of the group: once its source has
    // ended it is no longer polled, so a later rebalance (another source of
    // the run joining) removes it, and a commit at the close would fail.
    if (settings_.stopAtEnd && assignedOnce_ && allDone() && commitAtEnd())
      return Next::End;
    int64_t now = srt_clock_ms();
    if (now >= nextCommitAt_) {
      checkpoint(false);
      nextCommitAt_ = now + settings_.commitIntervalMs;
      if (run_->interruptRequested()) // a sink failed
        return Next::End;
    }
    if (now >= nextStatsAt_) {
      statistics();
      nextStatsAt_ = now + settings_.statsIntervalMs;
    }
    rewound_ = false;
    wake_.drain(); // before looking at the queue, so poll() waits for what comes next
    ssize_t n = rd_kafka_consume_batch_queue(queue_, pollMs_, batch_.data(), batch_.size());
    batchSize_ = n > 0 ? static_cast<size_t>(n) : 0;
    if (batchSize_ == 0 && wake_.readFd() >= 0 && !rewound_)
      return Next::Wait;
    if (rewound_) {
      // A rebalance: what this batch holds is read again from the committed
      // offsets by whoever owns its partitions now.
      for (size_t i = 0; i < batchSize_; ++i)
        rd_kafka_message_destroy(batch_[i]);
      batchSize_ = 0;
      return Next::Rewound;
    }
  }
}

int64_t KafkaConsumer::watermark(int64_t time, int64_t maxDelay) {
  if (current_)
    current_->maxTime = std::max(current_->maxTime, time);
  int64_t low = INT64_MAX, high = INT64_MIN;
  for (const Partition &p : partitions_) {
    high = std::max(high, p.maxTime);
    if (!p.idle)
      low = std::min(low, p.maxTime);
  }
  int64_t largest = low == INT64_MAX ? high : low; // all idle: everything is read
  if (largest == INT64_MIN)
    return INT64_MIN;
  return largest - maxDelay;
}

// ----------------------------------------------------------- checkpoints

std::string KafkaConsumer::metadata() const {
  std::string s = kMetadataTag;
  for (const srt_window *w : run_->liveWindows) {
    int64_t wm = windowWatermark(w);
    // +inf: the input ended and every window fired; a later run starts
    // afresh rather than taking all its input as late.
    if (wm != INT64_MIN && wm != INT64_MAX)
      s += std::string(";") + windowWhere(w) + "=" + std::to_string(wm);
  }
  return s;
}

void KafkaConsumer::endEpoch() {
  Snapshot snap{run_->epoch, {}};
  for (const Partition &p : partitions_)
    if (p.next >= 0)
      snap.offsets.emplace_back(p.id, p.next);
  const auto &last = snapshots_.empty() ? lastCommit_.offsets : snapshots_.back().offsets;
  if (snap.offsets.empty() || snap.offsets == last)
    return; // nothing read since the last epoch ended (or was committed)
  snapshots_.push_back(std::move(snap));
  ++run_->epoch;
}

bool KafkaConsumer::checkpoint(bool final) {
  if (partitions_.empty()) // between a revocation and the next assignment
    return !commitFailed_;
  endEpoch();
  int64_t oldest = INT64_MAX;
  for (const srt_window *w : run_->liveWindows)
    oldest = std::min(oldest, windowOldestEpoch(w));
  for (const srt_join *j : run_->liveJoins)
    oldest = std::min(oldest, joinOldestEpoch(j));
  for (const srt_dedup *d : run_->liveDedups)
    oldest = std::min(oldest, dedupOldestEpoch(d));
  for (const srt_frame *f : run_->liveFrames)
    oldest = std::min(oldest, frameOldestEpoch(f));
  // The newest snapshot none of whose records an open window still needs.
  auto safe = snapshots_.end();
  for (auto it = snapshots_.begin(); it != snapshots_.end(); ++it)
    if (it->epoch < oldest)
      safe = it;
  if (safe == snapshots_.end() || safe->offsets.empty()) {
    if (commitFailed_ && !lastCommit_.offsets.empty()) // nothing newer: try it again
      return commitOffsets(lastCommit_, final);
    return true;
  }
  if (!run_->flushSinks()) {
    // A sink failed: nothing more is committed, and the run stops.
    run_->stopped = true;
    run_->interrupted = true;
    return true;
  }
  Snapshot committing = std::move(*safe);
  snapshots_.erase(snapshots_.begin(), safe + 1);
  return commitOffsets(committing, final);
}

bool KafkaConsumer::commitAtEnd() {
  int64_t now = srt_clock_ms();
  if (now < endCommitRetryAt_)
    return false;
  if (checkpoint(true))
    return true;
  if (endCommitDeadline_ < 0)
    endCommitDeadline_ = now + settings_.startupTimeoutMs;
  if (now >= endCommitDeadline_)
    return true; // close() tries once more, and warns if that fails too
  endCommitRetryAt_ = now + kEndCommitRetryMs; // polled meanwhile: the rebalance goes on
  return false;
}

bool KafkaConsumer::commitOffsets(const Snapshot &snapshot, bool sync) {
  std::string meta = metadata();
  rd_kafka_topic_partition_list_t *list =
      rd_kafka_topic_partition_list_new(static_cast<int>(snapshot.offsets.size()));
  for (const auto &[id, offset] : snapshot.offsets) {
    rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_add(list, topic_.c_str(), id);
    tp->offset = offset;
    tp->metadata = std::malloc(meta.size());
    std::memcpy(tp->metadata, meta.data(), meta.size());
    tp->metadata_size = meta.size();
  }
  lastCommit_ = snapshot;
  lastCommit_.metadata = meta;
  rd_kafka_resp_err_t err = rd_kafka_commit(rk_, list, sync ? 0 : 1);
  rd_kafka_topic_partition_list_destroy(list);
  // An asynchronous commit that fails (a rebalance in progress) is tried
  // again at the next checkpoint (commitCallback), a synchronous one too.
  // Until one is done, a rebalance that gives this consumer the partitions
  // again starts them from lastCommit_ (assigned()).
  bool failedBefore = commitFailed_;
  commitFailed_ = err && err != RD_KAFKA_RESP_ERR__NO_OFFSET;
  commitError_ = err;
  if (commitFailed_ && !failedBefore && run_->verbose)
    std::fprintf(stderr, "source %s: offsets not committed yet (%s): tried again\n",
                 source_.c_str(), rd_kafka_err2str(err));
  return !commitFailed_;
}

void KafkaConsumer::restoreWatermarks(const std::vector<std::string> &metadata) {
  // Each instance of a group commits its own watermarks: the smallest wins.
  std::map<std::string, int64_t> restored;
  for (const std::string &meta : metadata) {
    if (meta.rfind(kMetadataTag, 0) != 0)
      continue;
    size_t pos = std::strlen(kMetadataTag);
    while (pos < meta.size() && meta[pos] == ';') {
      size_t end = meta.find(';', pos + 1);
      std::string item = meta.substr(pos + 1, end == std::string::npos ? end : end - pos - 1);
      size_t eq = item.rfind('=');
      if (eq != std::string::npos) {
        int64_t wm = std::strtoll(item.c_str() + eq + 1, nullptr, 10);
        std::string where = item.substr(0, eq);
        auto [it, fresh] = restored.emplace(where, wm);
        if (!fresh)
          it->second = std::min(it->second, wm);
      }
      pos = end == std::string::npos ? meta.size() : end;
    }
  }
  for (srt_window *w : run_->liveWindows)
    if (auto it = restored.find(windowWhere(w)); it != restored.end())
      windowRestoreWatermark(w, it->second);
}

void KafkaConsumer::commitCallback(rd_kafka_t *, rd_kafka_resp_err_t err,
                                   rd_kafka_topic_partition_list_t *, void *opaque) {
  auto *c = static_cast<KafkaConsumer *>(opaque);
  if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
    c->commitFailed_ = true;
    c->commitError_ = err;
  }
}

// ----------------------------------------------------------- rebalances

void KafkaConsumer::rebalanceCallback(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                                      rd_kafka_topic_partition_list_t *parts, void *opaque) {
  auto *c = static_cast<KafkaConsumer *>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS)
    c->assigned(parts);
  else {
    c->revoked(parts);
    rd_kafka_assign(rk, nullptr);
  }
}

void KafkaConsumer::assigned(rd_kafka_topic_partition_list_t *parts) {
  rd_kafka_topic_partition_list_t *committed = rd_kafka_topic_partition_list_copy(parts);
  int timeout = static_cast<int>(settings_.startupTimeoutMs);
  bool known = rd_kafka_committed(rk_, committed, timeout) == RD_KAFKA_RESP_ERR_NO_ERROR;
  // A partition given back to this consumer after a rebalance that refused
  // (or overtook) its last commit starts where that commit would have: what
  // was delivered is not read again. The commit is then tried again.
  Snapshot kept{lastCommit_.epoch, {}, lastCommit_.metadata};
  std::vector<std::string> metadata;
  partitions_.clear();
  current_ = nullptr;
  for (int i = 0; i < parts->cnt; ++i) {
    int32_t id = parts->elems[i].partition;
    int64_t from = known ? committed->elems[i].offset : RD_KAFKA_OFFSET_INVALID;
    auto mine = std::find_if(lastCommit_.offsets.begin(), lastCommit_.offsets.end(),
                             [&](const auto &o) { return o.first == id; });
    bool adopted = mine != lastCommit_.offsets.end() && mine->second > from;
    if (adopted) {
      from = parts->elems[i].offset = mine->second;
      kept.offsets.push_back(*mine);
      metadata.push_back(lastCommit_.metadata);
    } else if (known && committed->elems[i].metadata) {
      metadata.emplace_back(static_cast<const char *>(committed->elems[i].metadata),
                            committed->elems[i].metadata_size);
    }
    partitions_.push_back(startAt(id, from));
    if (adopted) // its next snapshot commits it, even before a record is read
      partitions_.back().next = from;
  }
  restoreWatermarks(metadata);
  rd_kafka_topic_partition_list_destroy(committed);
  // Never commit again the offsets of a partition another member owns now.
  commitFailed_ = !kept.offsets.empty();
  lastCommit_ = std::move(kept);
  rd_kafka_assign(rk_, parts);
  assignedOnce_ = true;
  if (run_->verbose)
    std::fprintf(stderr, "source %s: assigned %d partition%s of '%s'\n", source_.c_str(),
                 parts->cnt, parts->cnt == 1 ? "" : "s", topic_.c_str());
}

KafkaConsumer::Partition KafkaConsumer::startAt(int32_t id, int64_t from) {
  Partition p{id};
  if (settings_.stopAtEnd) {
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(rk_, topic_.c_str(), id, &low, &high,
                                         static_cast<int>(settings_.startupTimeoutMs)) == 0) {
      p.end = high;
      p.done = high <= low || (from >= 0 && from >= high);
    }
  }
  return p;
}

void KafkaConsumer::revoked(rd_kafka_topic_partition_list_t *parts) {
  (void)parts;
  if (closed_)
    return;
  // Commit what is safe, then forget the open windows: their records are
  // read again from the committed offsets, here or by the partitions' new
  // owner, so no window is emitted from part of its input.
  checkpoint(true);
  for (srt_window *w : run_->liveWindows)
    windowReset(w);
  for (srt_join *j : run_->liveJoins)
    joinReset(j);
  for (srt_dedup *d : run_->liveDedups)
    dedupReset(d);
  for (srt_frame *f : run_->liveFrames)
    frameReset(f);
  snapshots_.clear();
  partitions_.clear();
  current_ = nullptr;
  rewound_ = true;
  if (run_->verbose)
    std::fprintf(stderr, "source %s: partitions revoked (rebalance)\n", source_.c_str());
}

void KafkaConsumer::close() {
  if (closed_ || !rk_)
    return;
  // Every source of the run commits before any leaves its group: a member
  // leaving starts a rebalance, during which the others' commits fail.
  for (KafkaConsumer *c : run_->consumers)
    if (!c->closed_ && c->rk_ && !c->checkpoint(true))
      std::fprintf(stderr,
                   "warning: source %s: could not commit offsets (%s): a restart reads again "
                   "what was delivered since the last commit\n",
                   c->source_.c_str(), rd_kafka_err2str(c->commitError_));
  closed_ = true;
  for (size_t i = 0; i < batchSize_; ++i)
    rd_kafka_message_destroy(batch_[i]);
  batchNext_ = batchSize_ = 0;
  if (queue_)
    rd_kafka_queue_destroy(queue_);
  queue_ = nullptr;
  rd_kafka_consumer_close(rk_);
  rd_kafka_destroy(rk_);
  rk_ = nullptr;
  wake_.close();
}

void KafkaConsumer::setNonBlocking() {
  if (wake_.readFd() >= 0 || !queue_ || !wake_.open())
    return; // without the pipe, next() keeps waiting up to pollMs_ itself
  pollMs_ = 0;
  rd_kafka_queue_io_event_enable(queue_, wake_.writeFd(), "1", 1);
}

// ------------------------------------------------------------ statistics

void KafkaConsumer::statistics() {
  if (!isatty(STDERR_FILENO))
    return;
  int64_t now = srt_clock_ms();
  int64_t read = 0, written = 0;
  for (const SourceStats *s : run_->sources)
    read += s->read + s->skipped;
  for (const SinkStats *s : run_->sinks)
    written += s->written;
  double seconds = std::max<int64_t>(now - lastStatsAt_, 1) / 1000.0;
  int64_t lag = 0;
  for (const Partition &p : partitions_) {
    int64_t low = 0, high = 0;
    if (rd_kafka_get_watermark_offsets(rk_, topic_.c_str(), p.id, &low, &high) == 0 && high > 0)
      lag += std::max<int64_t>(high - (p.next >= 0 ? p.next : low), 0);
  }
  std::fprintf(stderr, "streamc: %.0f records/s in, %.0f records/s out, consumer lag %lld\n",
               (read - readAtLastStats_) / seconds, (written - writtenAtLastStats_) / seconds,
               static_cast<long long>(lag));
  readAtLastStats_ = read;
  writtenAtLastStats_ = written;
  lastStatsAt_ = now;
}
