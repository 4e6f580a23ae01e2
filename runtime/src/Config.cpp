/// \file
/// YAML configuration (yaml-cpp): loading, checking every key with its line,
/// and the lookups readers, writers and the compiler make.

#include "Config.h"
#include "Run.h"
#include "srt/runtime.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <map>
#include <string>
#include <vector>

namespace {

/// A configuration error: the message, at a line of the file.
struct ConfigError {
  int line;
  std::string message;
};

int lineOf(const YAML::Node &n) { return n.Mark().line + 1; }

const char *kindOf(const YAML::Node &n) {
  switch (n.Type()) {
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Map:
    return "a mapping";
  case YAML::NodeType::Null:
    return "nothing";
  default:
    return "a single value";
  }
}

void expectMap(const YAML::Node &n, const std::string &what) {
  if (!n.IsMap())
    throw ConfigError{lineOf(n), "'" + what + "' must be a mapping, found " + kindOf(n)};
}

std::string scalar(const YAML::Node &n, const std::string &what) {
  if (!n.IsScalar())
    throw ConfigError{lineOf(n), "'" + what + "' must be a single value, found " + kindOf(n)};
  return n.Scalar();
}

/// The connector arguments a config may override (`properties:`, a mapping
/// of librdkafka properties, is read separately).
const char *const kArgs[] = {"path", "format", "topic", "kind", "events", "rate", "seed", "brokers", "group"};

/// Reads a mapping of librdkafka properties (values are single values).
KafkaProperties loadProperties(const YAML::Node &n, const std::string &what) {
  expectMap(n, what);
  KafkaProperties out;
  for (const auto &kv : n)
    out.emplace_back(kv.first.Scalar(), scalar(kv.second, what + "." + kv.first.Scalar()));
  return out;
}

/// A whole number of milliseconds in [lo, hi].
int64_t milliseconds(const YAML::Node &n, const std::string &what, int64_t lo, int64_t hi) {
  std::string text = scalar(n, what);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi)
    throw ConfigError{lineOf(n), "'" + what + "' must be a whole number of milliseconds from " +
                                     std::to_string(lo) + " to " + std::to_string(hi) +
                                     ", found '" + text + "'"};
  return v;
}

bool boolean(const YAML::Node &n, const std::string &what) {
  std::string text = scalar(n, what);
  if (text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "false" || text == "no" || text == "off")
    return false;
  throw ConfigError{lineOf(n), "'" + what + "' must be true or false, found '" + text + "'"};
}

void loadConnectors(srt_config &c, int section, const YAML::Node &n, const char *what) {
  expectMap(n, what);
  for (const auto &kv : n) {
    std::string name = kv.first.Scalar();
    expectMap(kv.second, std::string(what) + "." + name);
    srt_config::Entry e;
    e.name = name;
    e.line = lineOf(kv.first);
    for (const auto &arg : kv.second) {
      std::string key = arg.first.Scalar();
      if (key == "properties") {
        e.properties = loadProperties(arg.second, std::string(what) + "." + name + ".properties");
        continue;
      }
      bool known = false;
      for (const char *a : kArgs)
        known |= key == a;
      if (!known)
        throw ConfigError{
            lineOf(arg.first),
            "unknown key '" + std::string(what) + "." + name + "." + key +
                "' (connector arguments: path, format, topic, kind, events, rate, seed, "
                "brokers, group, properties)"};
      e.args[key] = scalar(arg.second, std::string(what) + "." + name + "." + key);
    }
    c.sections[section].push_back(std::move(e));
  }
}

} // namespace

extern "C" {

srt_config *srt_config_load(srt_run *run, const char *path) {
  auto c = std::make_unique<srt_config>();
  c->file = path;
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (root.IsNull())
      return c.release(); // an empty file configures nothing
    expectMap(root, "the configuration");
    for (const auto &kv : root) {
      std::string key = kv.first.Scalar();
      if (key == "params") {
        expectMap(kv.second, "params");
        for (const auto &p : kv.second) {
          srt_config::Entry e;
          e.name = p.first.Scalar();
          e.line = lineOf(p.first);
          e.value = scalar(p.second, "params." + e.name);
          c->sections[SRT_CONFIG_PARAMS].push_back(std::move(e));
        }
      } else if (key == "sources") {
        loadConnectors(*c, SRT_CONFIG_SOURCES, kv.second, "sources");
      } else if (key == "sinks") {
        loadConnectors(*c, SRT_CONFIG_SINKS, kv.second, "sinks");
      } else if (key == "runtime") {
        expectMap(kv.second, "runtime");
        for (const auto &r : kv.second) {
          std::string rkey = r.first.Scalar();
          if (rkey == "dead_letter") {
            c->deadLetter = scalar(r.second, "runtime.dead_letter");
            c->deadLetterLine = lineOf(r.first);
          } else if (rkey == "read_batch_kb" || rkey == "write_batch_kb") {
            std::string text = scalar(r.second, "runtime." + rkey);
            int64_t kb = 0;
            // A read is at most 64 MiB: larger ones gain nothing (a record
            // larger than a read still fits, the buffer grows).
            int64_t maxKb = rkey == "read_batch_kb" ? 64 * 1024 : 1 << 20;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), kb);
            if (ec != std::errc() || p != text.data() + text.size() || kb < 1 || kb > maxKb)
              throw ConfigError{lineOf(r.second),
                                "'runtime." + rkey + "' must be a whole number of KiB from 1 to " +
                                    std::to_string(maxKb) + ", found '" + text + "'"};
            (rkey == "read_batch_kb" ? c->readBatch : c->writeBatch) = kb * 1024;
          } else if (rkey == "stop_at_end") {
            c->stopAtEnd = boolean(r.second, "runtime.stop_at_end");
          } else if (rkey == "commit_interval_ms") {
            c->commitIntervalMs = milliseconds(r.second, "runtime." + rkey, 10, 3600000);
          } else if (rkey == "stats_interval_ms") {
            c->statsIntervalMs = milliseconds(r.second, "runtime." + rkey, 100, 3600000);
          } else if (rkey == "startup_timeout_ms") {
            c->startupTimeoutMs = milliseconds(r.second, "runtime." + rkey, 100, 3600000);
          } else {
            throw ConfigError{lineOf(r.first),
                              "unknown key 'runtime." + rkey +
                                  "' (runtime settings: dead_letter, read_batch_kb, write_batch_kb, "
                                  "stop_at_end, commit_interval_ms, stats_interval_ms, "
                                  "startup_timeout_ms)"};
          }
        }
      } else if (key == "kafka") {
        expectMap(kv.second, "kafka");
        for (const auto &k : kv.second) {
          std::string kkey = k.first.Scalar();
          if (kkey == "brokers")
            c->kafka.brokers = scalar(k.second, "kafka.brokers");
          else if (kkey == "group")
            c->kafka.group = scalar(k.second, "kafka.group");
          else if (kkey == "properties")
            c->kafka.properties = loadProperties(k.second, "kafka.properties");
          else
            throw ConfigError{lineOf(k.first), "unknown key 'kafka." + kkey +
                                                   "' (expected brokers, group or properties)"};
        }
      } else {
        throw ConfigError{lineOf(kv.first), "unknown key '" + key +
                                                "' (expected params, sources, sinks, kafka or runtime)"};
      }
    }
  } catch (const ConfigError &e) {
    run->error = std::string(path) + ":" + std::to_string(e.line) + ": " + e.message;
    return nullptr;
  } catch (const YAML::BadFile &) {
    run->error = std::string("cannot read configuration ") + path;
    return nullptr;
  } catch (const YAML::Exception &e) {
    run->error =
        std::string(path) + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg;
    return nullptr;
  }
  for (auto &section : c->sections)
    for (auto &e : section)
      e.where = c->file + ":" + std::to_string(e.line);
  return c.release();
}

void srt_config_destroy(srt_config *config) { delete config; }

uint32_t srt_config_count(const srt_config *c, int section) {
  return static_cast<uint32_t>(c->sections[section].size());
}

const char *srt_config_name(const srt_config *c, int section, uint32_t i, int32_t *line) {
  if (line)
    *line = c->sections[section][i].line;
  return c->sections[section][i].name.c_str();
}

const char *srt_config_where(const srt_config *c, int section, uint32_t i) {
  return c->sections[section][i].where.c_str();
}

const char *srt_config_param(const srt_config *c, const char *name) {
  for (const auto &e : c->sections[SRT_CONFIG_PARAMS])
    if (e.name == name)
      return e.value.c_str();
  return nullptr;
}

void srt_run_use_config(srt_run *run, const srt_config *config) { run->config = config; }

const char *srt_config_file(const srt_config *c) { return c->file.c_str(); }
int64_t srt_config_read_batch(const srt_config *c) { return c->readBatch; }
int64_t srt_config_write_batch(const srt_config *c) { return c->writeBatch; }

const char *srt_config_dead_letter(const srt_config *c, int32_t *line) {
  if (line)
    *line = c->deadLetterLine;
  return c->deadLetter.empty() ? nullptr : c->deadLetter.c_str();
}

} // extern "C"

/// The override of a connector argument for a source or sink, or null.
const char *configArg(const srt_run *run, int section, const char *name, const char *arg) {
  if (!run->config)
    return nullptr;
  const srt_config::Entry *e = run->config->connector(section, name);
  if (!e)
    return nullptr;
  auto it = e->args.find(arg);
  return it == e->args.end() ? nullptr : it->second.c_str();
}

std::string connectorText(const srt_run *run, int section, const char *name, const char *arg,
                          const char *text, int64_t len) {
  if (const char *o = configArg(run, section, name, arg))
    return o;
  return text ? std::string(text, static_cast<size_t>(len)) : std::string();
}

std::string connectorFormat(const srt_run *run, int section, const char *name, const char *format,
                            int64_t format_len, const char *path, int64_t path_len) {
  std::string f = connectorText(run, section, name, "format", format, format_len);
  if (f.empty() && path)
    if (const char *inferred = srt_format_of_path(path, path_len))
      f = inferred;
  return f;
}

extern "C" const char *srt_format_of_path(const char *path, int64_t len) {
  std::string_view p(path, static_cast<size_t>(len));
  auto ends = [&](std::string_view ext) {
    return p.size() >= ext.size() && p.substr(p.size() - ext.size()) == ext;
  };
  if (ends(".csv"))
    return "csv";
  if (ends(".json") || ends(".jsonl") || ends(".ndjson"))
    return "json";
  return nullptr;
}
