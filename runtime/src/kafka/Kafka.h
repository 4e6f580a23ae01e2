#pragma once
/// \file
/// Kafka connectors (librdkafka): the consumer behind a `kafka(...)` source,
/// the producer behind a `kafka(...)` sink, and the checkpoints that give
/// at-least-once delivery (see docs/deployment.md).

#include "run/Run.h"
#include "run/WakePipe.h"

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

/// Settings of one Kafka connector, from the config's `kafka:` section, its
/// `sources:`/`sinks:` entry and --kafka-brokers.
struct KafkaSettings {
  std::string brokers;
  std::string group;
  std::vector<std::pair<std::string, std::string>> properties;
  bool stopAtEnd = false;
  int64_t commitIntervalMs = 1000;
  int64_t statsIntervalMs = 5000;
  int64_t startupTimeoutMs = 10000;
};

/// The settings of source (\p section SRT_CONFIG_SOURCES) or sink \p name.
KafkaSettings kafkaSettings(const srt_run *run, int section, const char *name);

/// A librdkafka configuration: \p defaults, then the user's properties, then
/// \p forced (what streamc's guarantees depend on). Null with \p error set
/// when there are no brokers or a property is unknown or invalid.
rd_kafka_conf_t *kafkaConf(const KafkaSettings &settings, std::string &error,
                           const std::vector<std::pair<std::string, std::string>> &defaults,
                           const std::vector<std::pair<std::string, std::string>> &forced);

/// Waits up to \p timeoutMs for the brokers to answer a metadata request
/// (about \p topic, unless it is empty). Returns false with \p error set
/// when they do not, or the topic does not exist.
bool kafkaCheckBrokers(rd_kafka_t *rk, const std::string &topic, int64_t timeoutMs,
                       const std::string &brokers, std::string &error);

/// A Kafka message handed to the reader: valid until the next one.
struct KafkaRecord {
  const char *payload;
  size_t len;
  const char *key; ///< null: the message has no key
  size_t keyLen;
  int32_t partition;
  int64_t offset;
  int64_t timestamp; ///< epoch ms
};

/// The consumer of one source: subscribes with the group, hands out messages
/// a batch at a time, commits checkpoints and handles rebalances.
class KafkaConsumer {
public:
  /// Null (with srt_run_error set) when the brokers cannot be reached in
  /// time or the topic does not exist.
  static std::unique_ptr<KafkaConsumer> open(srt_run *run, const char *source,
                                             const std::string &topic);
  ~KafkaConsumer();

  enum class Next { Record, End, Rewound, Wait };
  /// The next message, the end (stop_at_end reached, or the run stopped),
  /// or Rewound: a rebalance dropped the windows' state and the assigned
  /// partitions are read again from their committed offsets.
  /// Non-blocking (under the scheduler): Wait when no message is there now.
  Next next(KafkaRecord &out);
  /// Under the scheduler: next() never waits for messages; waitFd() is then
  /// readable when the consumer queue gets some (librdkafka's io event).
  void setNonBlocking();
  int waitFd() const { return wake_.readFd(); }
  /// The last commit: everything delivered, open windows left to a replay.
  void close();
  /// The source's watermark after the record just handed out, with event
  /// time \p time: the smallest over the assigned partitions of the largest
  /// event time read from each, less \p maxDelay (as Flink's Kafka source),
  /// so it does not depend on how partitions interleave. A partition with
  /// nothing left to read does not hold it back.
  int64_t watermark(int64_t time, int64_t maxDelay);
  const std::string &source() const { return source_; }

private:
  KafkaConsumer() = default;
  int pollMs_ = 100; ///< how long an idle consume call waits
  WakePipe wake_;    ///< librdkafka writes to it when messages arrive
  struct Partition {
    int32_t id;
    int64_t next = -1;           ///< the offset after the last record processed (-1: none yet)
    int64_t end = -1;            ///< stop_at_end: the end seen at assignment
    bool done = false;           ///< stop_at_end: reached
    bool idle = false;           ///< read to its end (until a new message)
    int64_t maxTime = INT64_MIN; ///< the largest event time read from it
  };
  /// Offsets at the end of an epoch.
  struct Snapshot {
    int64_t epoch;
    std::vector<std::pair<int32_t, int64_t>> offsets;
    std::string metadata = {}; ///< the windows' watermarks committed with them
  };

  /// Ends the current epoch (at a batch boundary): remembers the offsets
  /// reached, which a checkpoint may commit.
  void endEpoch();
  /// Commits the newest snapshot no open state needs (synchronously when
  /// \p final). False when a final commit failed: lastCommit_ is then tried
  /// again at the next checkpoint.
  bool checkpoint(bool final);
  /// The commit at the end of stop_at_end: true once done, or once given up
  /// (close() then tries once more and warns). A commit refused while the
  /// group rebalances (another source of the run joining) is tried again
  /// after the rebalance, for up to the startup timeout: the source is
  /// polled meanwhile to take part.
  bool commitAtEnd();
  bool commitOffsets(const Snapshot &snapshot, bool sync);
  /// An asynchronous commit's result: a failed one (a rebalance in
  /// progress) is committed again at the next checkpoint.
  static void commitCallback(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t *offsets, void *opaque);
  std::string metadata() const;
  /// Restores each window's watermark from the metadata committed with the
  /// assigned partitions' offsets (the smallest over them).
  void restoreWatermarks(const std::vector<std::string> &metadata);
  void assigned(rd_kafka_topic_partition_list_t *parts);
  void revoked(rd_kafka_topic_partition_list_t *parts);
  /// Partition \p id starting at committed offset \p from (stop_at_end:
  /// with the end of the partition now).
  Partition startAt(int32_t id, int64_t from);
  void statistics();
  Partition *partition(int32_t id);
  bool allDone() const;
  static void rebalanceCallback(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t *parts, void *opaque);

  srt_run *run_ = nullptr;
  std::string source_, topic_;
  KafkaSettings settings_;
  rd_kafka_t *rk_ = nullptr;
  rd_kafka_queue_t *queue_ = nullptr;
  std::vector<rd_kafka_message_t *> batch_;
  size_t batchNext_ = 0, batchSize_ = 0;
  std::vector<Partition> partitions_;
  std::vector<Snapshot> snapshots_;
  Snapshot lastCommit_{0, {}}; ///< the offsets last committed (or tried)
  bool commitFailed_ = false;  ///< lastCommit_'s commit failed (or is not known to be done)
  rd_kafka_resp_err_t commitError_ = RD_KAFKA_RESP_ERR_NO_ERROR; ///< why
  int64_t endCommitDeadline_ = -1; ///< commitAtEnd(): when it gives up
  int64_t endCommitRetryAt_ = 0;   ///< commitAtEnd(): when it tries again
  bool assignedOnce_ = false;
  bool rewound_ = false;
  bool closed_ = false;
  int64_t nextCommitAt_ = 0, nextStatsAt_ = 0, lastStatsAt_ = 0;
  int64_t readAtLastStats_ = 0, writtenAtLastStats_ = 0;
  Partition *current_ = nullptr; ///< the partition of the record handed out
};

/// The producer of one sink.
class KafkaProducer {
public:
  static std::unique_ptr<KafkaProducer> open(srt_run *run, const char *sink,
                                             const std::string &topic);
  ~KafkaProducer();
  /// Sends one message (the payload and key are copied). Returns false with
  /// the run's error set when the producer has failed.
  bool produce(const char *payload, size_t len, const char *key, size_t keyLen);
  /// Waits until every message sent has been delivered (or failed). Returns
  /// false with the run's error set when a delivery failed.
  bool flush();
  int64_t failed() const { return failed_; }

private:
  KafkaProducer() = default;
  static void deliveryCallback(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque);

  srt_run *run_ = nullptr;
  std::string sink_, topic_;
  rd_kafka_t *rk_ = nullptr;
  rd_kafka_topic_t *rkt_ = nullptr;
  int64_t sinceServe_ = 0;
  int64_t failed_ = 0;
  std::string firstFailure_;
  bool reported_ = false;
};
