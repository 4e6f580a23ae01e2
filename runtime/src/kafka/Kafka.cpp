/// \file
/// Kafka connector settings (config `kafka:` section, per-connector
/// overrides, --kafka-brokers), librdkafka configuration, the start-up check
/// of the brokers, and the producer behind `kafka(...)` sinks.

#include "kafka/Kafka.h"

#include "run/Config.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

KafkaSettings kafkaSettings(const srt_run *run, int section, const char *name) {
  KafkaSettings s;
  if (const srt_config *c = run->config) {
    s.brokers = c->kafka.brokers;
    s.group = c->kafka.group;
    s.properties = c->kafka.properties;
    s.stopAtEnd = c->stopAtEnd;
    s.commitIntervalMs = c->commitIntervalMs;
    s.statsIntervalMs = c->statsIntervalMs;
    s.startupTimeoutMs = c->startupTimeoutMs;
    if (const srt_config::Entry *e = c->connector(section, name)) {
      if (auto it = e->args.find("brokers"); it != e->args.end())
        s.brokers = it->second;
      if (auto it = e->args.find("group"); it != e->args.end())
        s.group = it->second;
      s.properties.insert(s.properties.end(), e->properties.begin(), e->properties.end());
    }
  }
  if (!run->kafkaBrokers.empty()) // --kafka-brokers wins
    s.brokers = run->kafkaBrokers;
  else if (const char *env = std::getenv("STREAMC_KAFKA_BROKERS"); env && *env && s.brokers.empty())
    s.brokers = env;
  return s;
}

namespace {
/// librdkafka's own log lines are shown only when the user asked for them
/// with the `debug` property; errors reach the user as streamc's messages.
void quietLog(const rd_kafka_t *, int, const char *, const char *) {}

/// "10 s", "2.5 s"
std::string seconds(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(ms) / 1000.0);
  return buf;
}

bool set(rd_kafka_conf_t *conf, const std::string &key, const std::string &value,
         std::string &error) {
  char err[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) == RD_KAFKA_CONF_OK)
    return true;
  error = "Kafka property '" + key + "': " + err;
  return false;
}
} // namespace

rd_kafka_conf_t *kafkaConf(const KafkaSettings &settings, std::string &error,
                           const std::vector<std::pair<std::string, std::string>> &defaults,
                           const std::vector<std::pair<std::string, std::string>> &forced) {
  if (settings.brokers.empty()) {
    error = "no Kafka brokers: set 'kafka: { brokers: host:port }' in the config, pass "
            "--kafka-brokers, or set STREAMC_KAFKA_BROKERS";
    return nullptr;
  }
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  bool debug = false;
  bool ok = set(conf, "bootstrap.servers", settings.brokers, error) &&
            set(conf, "client.id", "streamc", error);
  for (const auto &[k, v] : defaults)
    ok = ok && set(conf, k, v, error);
  for (const auto &[k, v] : settings.properties) {
    ok = ok && set(conf, k, v, error);
    debug |= k == "debug";
  }
  for (const auto &[k, v] : forced)
    ok = ok && set(conf, k, v, error);
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  if (!debug)
    rd_kafka_conf_set_log_cb(conf, quietLog);
  return conf;
}

bool kafkaCheckBrokers(rd_kafka_t *rk, const std::string &topic, int64_t timeoutMs,
                       const std::string &brokers, std::string &error) {
  rd_kafka_topic_t *rkt = topic.empty() ? nullptr : rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t *md = nullptr;
  rd_kafka_resp_err_t err =
      rd_kafka_metadata(rk, 0, rkt, &md, static_cast<int>(std::min<int64_t>(timeoutMs, 1 << 30)));
  if (rkt)
    rd_kafka_topic_destroy(rkt);
  if (err) {
    error = "cannot reach the Kafka brokers " + brokers + " within " + seconds(timeoutMs) + " (" +
            rd_kafka_err2str(err) + ")";
    return false;
  }
  bool found = topic.empty();
  for (int i = 0; i < md->topic_cnt; ++i)
    if (topic == md->topics[i].topic) {
      found = md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR;
      if (!found)
        error = "topic '" + topic + "' is not available on " + brokers + " (" +
                rd_kafka_err2str(md->topics[i].err) + ")";
    }
  if (!found && error.empty())
    error = "topic '" + topic + "' does not exist on " + brokers;
  rd_kafka_metadata_destroy(md);
  return found;
}

// ------------------------------------------------------------- producer

std::unique_ptr<KafkaProducer> KafkaProducer::open(srt_run *run, const char *sink,
                                                   const std::string &topic) {
  auto p = std::unique_ptr<KafkaProducer>(new KafkaProducer());
  p->run_ = run;
  p->sink_ = sink ? sink : "<kafka>";
  p->topic_ = topic;
  KafkaSettings settings = kafkaSettings(run, SRT_CONFIG_SINKS, sink);
  std::string error;
  // Batching: messages wait up to 5 ms to share a request, compressed with
  // lz4; acks from all in-sync replicas. The user's properties win.
  rd_kafka_conf_t *conf = kafkaConf(settings, error,
                                    {{"linger.ms", "5"},
                                     {"compression.codec", "lz4"},
                                     {"acks", "all"},
                                     {"queue.buffering.max.messages", "1000000"}},
                                    {});
  if (!conf) {
    run->error = "sink " + p->sink_ + ": " + error;
    return nullptr;
  }
  rd_kafka_conf_set_dr_msg_cb(conf, deliveryCallback);
  rd_kafka_conf_set_opaque(conf, p.get());
  char err[512];
  p->rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!p->rk_) {
    run->error = "sink " + p->sink_ + ": " + err;
    return nullptr;
  }
  // Only the brokers are checked: a topic that does not exist yet may be
  // created by the brokers at the first message (a delivery error otherwise).
  if (!kafkaCheckBrokers(p->rk_, "", settings.startupTimeoutMs, settings.brokers, error)) {
    run->error = "sink " + p->sink_ + ": " + error;
    return nullptr;
  }
  p->rkt_ = rd_kafka_topic_new(p->rk_, topic.c_str(), nullptr);
  return p;
}

KafkaProducer::~KafkaProducer() {
  if (rkt_)
    rd_kafka_topic_destroy(rkt_);
  if (rk_)
    rd_kafka_destroy(rk_);
}

void KafkaProducer::deliveryCallback(rd_kafka_t *, const rd_kafka_message_t *msg, void *opaque) {
  auto *p = static_cast<KafkaProducer *>(opaque);
  if (!msg->err)
    return;
  if (p->failed_++ == 0)
    p->firstFailure_ = rd_kafka_err2str(msg->err);
}

bool KafkaProducer::produce(const char *payload, size_t len, const char *key, size_t keyLen) {
  if (failed_)
    return flush(); // reports the failure once
  for (;;) {
    if (rd_kafka_produce(rkt_, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                         const_cast<char *>(payload), len, key, keyLen, nullptr) == 0)
      break;
    rd_kafka_resp_err_t err = rd_kafka_last_error();
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      ++failed_;
      firstFailure_ = rd_kafka_err2str(err);
      return flush();
    }
    rd_kafka_poll(rk_, 100); // the local queue is full: wait for deliveries
  }
  if (++sinceServe_ >= 1024) { // serve delivery reports now and then
    sinceServe_ = 0;
    rd_kafka_poll(rk_, 0);
  }
  return true;
}

bool KafkaProducer::flush() {
  // Waits for every outstanding delivery (retries are librdkafka's, bounded
  // by message.timeout.ms); then failures are reported once.
  while (rd_kafka_outq_len(rk_) > 0 && rd_kafka_flush(rk_, 1000) == RD_KAFKA_RESP_ERR__TIMED_OUT) {
  }
  rd_kafka_poll(rk_, 0);
  if (!failed_)
    return true;
  if (!reported_) {
    reported_ = true;
    run_->error = "sink " + sink_ + ": " + std::to_string(failed_) +
                  (failed_ == 1 ? " record" : " records") + " not delivered to topic '" + topic_ +
                  "' (" + firstFailure_ + ")";
  }
  return false;
}
