#pragma once
/// \file
/// The loaded YAML configuration (internal to the runtime; the C interface
/// in srt/host.h reads it through srt_config_* functions).

#include "srt/host.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

/// librdkafka properties, in the order the file gives them.
using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

struct srt_config {
  struct Entry {
    std::string name;
    int line = 0;
    std::string value;                       ///< params
    std::map<std::string, std::string> args; ///< sources, sinks: connector arguments
    std::map<std::string, int> argLines;     ///< the line of each argument (and `properties`)
    KafkaProperties properties;              ///< sources, sinks: `properties:` (Kafka)
    std::string where;
  };
  std::string file;
  std::vector<Entry> sections[3];
  /// Every mistake found while loading, as "FILE:LINE: message", in the
  /// order of the file.
  std::vector<std::string> errors;
  std::string deadLetter; ///< runtime.dead_letter
  int deadLetterLine = 0;
  int64_t readBatch = 0, writeBatch = 0; ///< runtime.{read,write}_batch_kb, in bytes

  /// The `kafka:` section: defaults of every Kafka source and sink.
  struct Kafka {
    std::string brokers;
    std::string group;
    KafkaProperties properties;
  } kafka;
  /// runtime: Kafka sources stop at the partition ends seen at start-up.
  bool stopAtEnd = false;
  int64_t commitIntervalMs = 1000; ///< runtime.commit_interval_ms
  int64_t statsIntervalMs = 5000;  ///< runtime.stats_interval_ms
  /// runtime.flush_interval_ms: with an unbounded source, sinks deliver
  /// what they buffer at least this often.
  int64_t flushIntervalMs = 100;
  int64_t startupTimeoutMs = 10000; ///< runtime.startup_timeout_ms

  /// "FILE:LINE" of a line of the file.
  std::string at(int line) const { return file + ":" + std::to_string(line); }

  /// The entry of the source or sink \p name, or null.
  const Entry *connector(int section, const char *name) const {
    if (!name)
      return nullptr;
    for (const Entry &e : sections[section])
      if (e.name == name)
        return &e;
    return nullptr;
  }
};

/// "FILE:LINE: sink S is the dead-letter sink ...": runtime.dead_letter
/// names \p sink, which a pipeline writes to (ConfigCheck.cpp).
std::string deadLetterClash(const srt_config &c, const char *sink);
