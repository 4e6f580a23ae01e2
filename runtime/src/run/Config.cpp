/// \file
/// YAML configuration (yaml-cpp): loading and checking every key with its
/// line, and the lookups readers, writers and the compiler make. Every
/// mistake of the file is collected (ConfigCheck.cpp checks it against a
/// program).

#include "run/Config.h"
#include "formats/Formats.h"
#include "run/Run.h"
#include "srt/host.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

/// A configuration mistake: the message, at a line of the file. Thrown
/// only within the check of one entry, which records it and goes on with
/// the next entry.
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

/// " (expected a, b or c); did you mean 'b'?" for an unknown key.
std::string expectedKeys(const std::string &key, const std::vector<const char *> &keys,
                         const char *intro = "expected") {
  std::string list;
  for (size_t i = 0; i < keys.size(); ++i)
    list += std::string(i == 0 ? "" : i + 1 == keys.size() ? " or " : ", ") + keys[i];
  std::string out = std::string(" (") + intro + " " + list + ")";
  if (const char *near =
          srt_closest_name(key.c_str(), keys.data(), static_cast<uint32_t>(keys.size())))
    out += std::string("; did you mean '") + near + "'?";
  return out;
}

/// The connector arguments a config may override (`properties:`, a mapping
/// of librdkafka properties, is read separately).
const std::vector<const char *> kArgs = {"path", "topic", "format",  "kind",  "events",
                                         "rate", "seed",  "brokers", "group", "properties"};

/// A whole number in [lo, hi].
bool wholeNumber(const std::string &text, int64_t lo, int64_t hi) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && p == text.data() + text.size() && v >= lo && v <= hi;
}

/// A whole number of milliseconds in [lo, hi].
int64_t milliseconds(const YAML::Node &n, const std::string &what, int64_t lo, int64_t hi) {
  std::string text = scalar(n, what);
  if (!wholeNumber(text, lo, hi))
    throw ConfigError{lineOf(n), "'" + what + "' must be a whole number of milliseconds from " +
                                     std::to_string(lo) + " to " + std::to_string(hi) +
                                     ", found '" + text + "'"};
  return std::stoll(text);
}

bool boolean(const YAML::Node &n, const std::string &what) {
  std::string text = scalar(n, what);
  if (text == "true" || text == "yes" || text == "on")
    return true;
  if (text == "false" || text == "no" || text == "off")
    return false;
  throw ConfigError{lineOf(n), "'" + what + "' must be true or false, found '" + text + "'"};
}

/// Checks the value of a connector argument that the loader can judge
/// without the program: formats, and the generator's numbers.
void checkArgValue(int section, const std::string &arg, const std::string &text,
                   const YAML::Node &n, const std::string &what) {
  auto bad = [&](const std::string &must) {
    throw ConfigError{lineOf(n), "'" + what + "' must be " + must + ", found '" + text + "'"};
  };
  if (arg == "format") {
    unsigned use = section == SRT_CONFIG_SINKS ? kFormatWrite : kFormatRead;
    if (!formatFor(text, use))
      bad(formatNames(use));
  } else if (arg == "events" && !wholeNumber(text, 0, INT64_MAX)) {
    bad("a whole number of events, 0 or more");
  } else if (arg == "seed" && !wholeNumber(text, INT64_MIN, INT64_MAX)) {
    bad("a whole number");
  } else if (arg == "rate") {
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || !(v > 0) || v > 1e18)
      bad("a positive number of events per second");
  }
}

/// Walks a configuration, recording every mistake.
class Loader {
public:
  explicit Loader(srt_config &c) : c_(c) {}

  /// Records the mistakes of \p documents, the documents of \p text.
  void load(const std::vector<YAML::Node> &documents, const std::string &text) {
    if (documents.size() > 1)
      record({documentStart(text, lineOf(documents[1])),
              "a second YAML document: a configuration is one document"});
    if (documents.empty() || documents[0].IsNull())
      return; // an empty file configures nothing
    const YAML::Node &root = documents[0];
    try {
      expectMap(root, "the configuration");
    } catch (const ConfigError &e) {
      record(e);
      return;
    }
    eachEntry(root, "", [&](const std::string &key, const YAML::Node &, const YAML::Node &value) {
      if (key == "params")
        loadParams(value);
      else if (key == "sources")
        loadConnectors(SRT_CONFIG_SOURCES, value, "sources");
      else if (key == "sinks")
        loadConnectors(SRT_CONFIG_SINKS, value, "sinks");
      else if (key == "runtime")
        loadRuntime(value);
      else if (key == "kafka")
        loadKafka(value);
      else
        throw unknownKey(key, "", {"params", "sources", "sinks", "kafka", "runtime"});
    });
  }

  /// Every mistake, as "FILE:LINE: message", in the order of the file.
  std::vector<std::string> errors() {
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const ConfigError &a, const ConfigError &b) { return a.line < b.line; });
    std::vector<std::string> out;
    for (const ConfigError &e : errors_)
      out.push_back(c_.at(e.line) + ": " + e.message);
    return out;
  }

private:
  void record(const ConfigError &e) { errors_.push_back(e); }

  /// The line of the `---` that starts the document whose content yaml-cpp
  /// places at \p line (or \p line itself).
  static int documentStart(const std::string &text, int line) {
    std::vector<size_t> starts{0};
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n' && i + 1 < text.size())
        starts.push_back(i + 1);
    for (int l = std::min<int>(line, static_cast<int>(starts.size())); l >= 1; --l)
      if (text.compare(starts[l - 1], 3, "---") == 0)
        return l;
    return std::max(line, 1);
  }

  ConfigError unknownKey(const std::string &key, const std::string &within,
                         const std::vector<const char *> &keys, const char *intro = "expected") {
    std::string full = within.empty() ? key : within + "." + key;
    return {line_, "unknown key '" + full + "'" + expectedKeys(key, keys, intro)};
  }

  /// Calls \p fn(key, keyNode, value) for each entry of the mapping \p n
  /// (named \p within in messages), each on its own: a mistake in one is
  /// recorded and the next is still checked. A key given twice is a
  /// mistake at its second place (yaml-cpp keeps both; lookups would see
  /// the first).
  template <typename Fn> void eachEntry(const YAML::Node &n, const std::string &within, Fn fn) {
    std::map<std::string, int> seen;
    for (const auto &kv : n) {
      int line = lineOf(kv.first);
      try {
        if (!kv.first.IsScalar())
          throw ConfigError{line, "a key " + (within.empty() ? "" : "in '" + within + "' ") +
                                      "must be a single value, found " + kindOf(kv.first)};
        std::string key = kv.first.Scalar();
        auto [first, fresh] = seen.emplace(key, line);
        if (!fresh)
          throw ConfigError{line, "duplicate key '" + (within.empty() ? key : within + "." + key) +
                                      "' (first given at line " + std::to_string(first->second) +
                                      ")"};
        line_ = line;
        fn(key, kv.first, kv.second);
      } catch (ConfigError &e) {
        // An empty value (`key:` and nothing) has no place of its own:
        // yaml-cpp marks it where the next token starts, often the next
        // key's line or past the end. Its mistake is at its key.
        if (kv.second.IsNull())
          e.line = line;
        record(e);
      }
    }
  }

  /// Reads a mapping of librdkafka properties (values are single values).
  KafkaProperties loadProperties(const YAML::Node &n, const std::string &what) {
    expectMap(n, what);
    KafkaProperties out;
    eachEntry(n, what, [&](const std::string &key, const YAML::Node &, const YAML::Node &value) {
      out.emplace_back(key, scalar(value, what + "." + key));
    });
    return out;
  }

  void loadParams(const YAML::Node &n) {
    expectMap(n, "params");
    eachEntry(n, "params", [&](const std::string &key, const YAML::Node &k, const YAML::Node &v) {
      srt_config::Entry e;
      e.name = key;
      e.line = lineOf(k);
      e.value = scalar(v, "params." + e.name);
      c_.sections[SRT_CONFIG_PARAMS].push_back(std::move(e));
    });
  }

  void loadConnectors(int section, const YAML::Node &n, const char *what) {
    expectMap(n, what);
    eachEntry(n, what, [&](const std::string &name, const YAML::Node &k, const YAML::Node &v) {
      std::string entry = std::string(what) + "." + name;
      expectMap(v, entry);
      srt_config::Entry e;
      e.name = name;
      e.line = lineOf(k);
      eachEntry(v, entry, [&](const std::string &key, const YAML::Node &kn, const YAML::Node &val) {
        if (key == "properties") {
          e.properties = loadProperties(val, entry + ".properties");
        } else if (std::find_if(kArgs.begin(), kArgs.end(),
                                [&](const char *a) { return key == a; }) == kArgs.end()) {
          throw unknownKey(key, entry, kArgs, "connector arguments:");
        } else {
          std::string text = scalar(val, entry + "." + key);
          checkArgValue(section, key, text, val, entry + "." + key);
          e.args[key] = text;
        }
        e.argLines[key] = lineOf(kn);
      });
      c_.sections[section].push_back(std::move(e));
    });
  }

  void loadRuntime(const YAML::Node &n) {
    expectMap(n, "runtime");
    srt_config *c = &c_;
    eachEntry(n, "runtime", [&](const std::string &rkey, const YAML::Node &, const YAML::Node &v) {
      if (rkey == "dead_letter") {
        c->deadLetter = scalar(v, "runtime.dead_letter");
        c->deadLetterLine = line_;
      } else if (rkey == "read_batch_kb" || rkey == "write_batch_kb") {
        std::string text = scalar(v, "runtime." + rkey);
        int64_t kb = 0;
        // A read is at most 64 MiB: larger ones gain nothing (a record
        // larger than a read still fits, the buffer grows).
        int64_t maxKb = rkey == "read_batch_kb" ? 64 * 1024 : 1 << 20;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), kb);
        if (ec != std::errc() || p != text.data() + text.size() || kb < 1 || kb > maxKb)
          throw ConfigError{lineOf(v), "'runtime." + rkey +
                                           "' must be a whole number of KiB from 1 to " +
                                           std::to_string(maxKb) + ", found '" + text + "'"};
        (rkey == "read_batch_kb" ? c->readBatch : c->writeBatch) = kb * 1024;
      } else if (rkey == "stop_at_end") {
        c->stopAtEnd = boolean(v, "runtime.stop_at_end");
      } else if (rkey == "commit_interval_ms") {
        c->commitIntervalMs = milliseconds(v, "runtime." + rkey, 10, 3600000);
      } else if (rkey == "stats_interval_ms") {
        c->statsIntervalMs = milliseconds(v, "runtime." + rkey, 100, 3600000);
      } else if (rkey == "startup_timeout_ms") {
        c->startupTimeoutMs = milliseconds(v, "runtime." + rkey, 100, 3600000);
      } else if (rkey == "flush_interval_ms") {
        c->flushIntervalMs = milliseconds(v, "runtime." + rkey, 1, 3600000);
      } else {
        throw unknownKey(rkey, "runtime",
                         {"dead_letter", "read_batch_kb", "write_batch_kb", "stop_at_end",
                          "commit_interval_ms", "stats_interval_ms", "startup_timeout_ms",
                          "flush_interval_ms"},
                         "runtime settings:");
      }
    });
  }

  void loadKafka(const YAML::Node &n) {
    expectMap(n, "kafka");
    eachEntry(n, "kafka", [&](const std::string &kkey, const YAML::Node &, const YAML::Node &v) {
      if (kkey == "brokers")
        c_.kafka.brokers = scalar(v, "kafka.brokers");
      else if (kkey == "group")
        c_.kafka.group = scalar(v, "kafka.group");
      else if (kkey == "properties")
        c_.kafka.properties = loadProperties(v, "kafka.properties");
      else
        throw unknownKey(kkey, "kafka", {"brokers", "group", "properties"});
    });
  }

  srt_config &c_;
  std::vector<ConfigError> errors_;
  int line_ = 0; ///< the line of the key being checked
};

/// The largest configuration file read.
constexpr uintmax_t kMaxConfigBytes = uintmax_t(64) << 20;

/// Reads a configuration file: false with \p why set when it is missing,
/// not a regular file (a FIFO or device could block or never end), larger
/// than kMaxConfigBytes, or unreadable.
bool readConfigFile(const char *path, std::string &text, std::string &why) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    why = "no such file";
    return false;
  }
  if (!std::filesystem::is_regular_file(status)) {
    why = std::filesystem::is_directory(status) ? "is a directory" : "not a regular file";
    return false;
  }
  std::string tooLarge = "larger than " + std::to_string(kMaxConfigBytes >> 20) + " MiB";
  if (std::filesystem::file_size(path, ec) > kMaxConfigBytes && !ec) {
    why = tooLarge;
    return false;
  }
  std::FILE *f = std::fopen(path, "rb");
  if (!f) {
    why = std::strerror(errno);
    return false;
  }
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0 && text.size() <= kMaxConfigBytes)
    text.append(buffer, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed)
    why = "cannot be read";
  else if (text.size() > kMaxConfigBytes)
    why = tooLarge;
  return why.empty();
}

} // namespace

extern "C" {

srt_config *srt_config_load(srt_run *run, const char *path) {
  auto c = std::make_unique<srt_config>();
  c->file = path;
  std::string text, why;
  if (!readConfigFile(path, text, why)) {
    run->error = std::string("cannot read configuration ") + path + ": " + why;
    return nullptr;
  }
  try {
    Loader loader(*c);
    loader.load(YAML::LoadAll(text), text);
    c->errors = loader.errors();
  } catch (const YAML::Exception &e) {
    run->error =
        std::string(path) + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg;
    return nullptr;
  }
  for (auto &section : c->sections)
    for (auto &e : section)
      e.where = c->at(e.line);
  return c.release();
}

void srt_config_destroy(srt_config *config) { delete config; }

uint32_t srt_config_error_count(const srt_config *c) {
  return static_cast<uint32_t>(c->errors.size());
}

const char *srt_config_error(const srt_config *c, uint32_t i) { return c->errors[i].c_str(); }

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

bool connectorFormat(srt_run *run, int section, const char *name, const char *format,
                     int64_t format_len, const char *path, int64_t path_len, std::string &out) {
  out = connectorText(run, section, name, "format", format, format_len);
  if (!out.empty() || !path)
    return true;
  if (const char *inferred = srt_format_of_path(path, path_len)) {
    out = inferred;
    return true;
  }
  run->error = std::string(section == SRT_CONFIG_SINKS ? "sink " : "source ") +
               (name ? name : "?") + ": cannot tell the format of \"" +
               std::string(path, static_cast<size_t>(path_len)) +
               "\" from its extension; add format: \"csv\" or format: \"json\"";
  return false;
}
