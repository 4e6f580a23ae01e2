/// \file
/// The entry of built executables: command-line parsing (--param, --help),
/// the run, and its summary.

#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {
bool parseInt(const char *b, const char *e, int64_t &v) {
  auto [p, ec] = std::from_chars(b, e, v);
  return ec == std::errc() && p == e && b != e;
}
} // namespace

extern "C" {

int srt_parse_value(uint32_t type, const char *text, void *out, const char **error) {
  size_t len = std::strlen(text);
  const char *end = text + len;
  switch (type) {
  case SRT_BOOL:
    if (!std::strcmp(text, "true") || !std::strcmp(text, "false")) {
      *static_cast<uint8_t *>(out) = text[0] == 't';
      return 1;
    }
    *error = "expected true or false";
    return 0;
  case SRT_I64:
    if (parseInt(text, end, *static_cast<int64_t *>(out)))
      return 1;
    *error = "expected an integer";
    return 0;
  case SRT_F64: {
    double v;
    auto [p, ec] = fast_float::from_chars(text, end, v);
    if (ec == std::errc() && p == end && len > 0 && v - v == 0) {
      *static_cast<double *>(out) = v;
      return 1;
    }
    *error = "expected a number";
    return 0;
  }
  case SRT_STRING:
    *static_cast<srt_str *>(out) = {text, static_cast<int64_t>(len)};
    return 1;
  case SRT_TIMESTAMP:
    if (srt_parse_timestamp(text, len, static_cast<int64_t *>(out)))
      return 1;
    *error = "expected an RFC 3339 timestamp or epoch milliseconds";
    return 0;
  case SRT_DURATION: {
    const char *unit = text;
    while (unit < end && *unit >= '0' && *unit <= '9')
      ++unit;
    int64_t n, scale = 0;
    std::string u(unit, end);
    scale = u.empty() || u == "ms" ? 1
            : u == "s"             ? 1000
            : u == "m"             ? 60'000
            : u == "h"             ? 3'600'000
            : u == "d"             ? 86'400'000
                                   : 0;
    if (unit != text && scale && parseInt(text, unit, n) &&
        !__builtin_mul_overflow(n, scale, static_cast<int64_t *>(out)))
      return 1;
    *error = "expected a duration such as 500ms, 5s, 1m, 2h or 1d";
    return 0;
  }
  default:
    *error = "unsupported type";
    return 0;
  }
}

namespace {
/// Sets a param from text; prints the error and returns false when the text
/// does not fit its type. `origin` says where the value came from.
bool setParam(srt_param &p, const char *text, const std::string &origin) {
  if (p.nullable && !std::strcmp(text, "null")) {
    *p.null = 1;
    p.has_value = 1;
    *p.given = 1;
    return true;
  }
  const char *why = nullptr;
  if (!srt_parse_value(p.type, text, p.value, &why)) {
    std::fprintf(stderr, "error: %sinvalid value '%s' for param '%s' of type %s%s: %s\n",
                 origin.c_str(), text, p.name, typeName(p.type), p.nullable ? "?" : "", why);
    return false;
  }
  *p.null = 0;
  p.has_value = 1;
  *p.given = 1;
  return true;
}

srt_param *findParam(const srt_program *program, const std::string &name) {
  for (uint32_t k = 0; k < program->nparams; ++k)
    if (name == program->params[k].name)
      return &program->params[k];
  return nullptr;
}

/// Applies a config's params and checks its source and sink names,
/// printing every mistake; returns how many.
uint32_t applyConfig(const srt_program *program, const srt_config *config,
                     const std::vector<std::string> &givenOnCommandLine) {
  uint32_t mistakes = 0;
  std::vector<const char *> params;
  for (uint32_t k = 0; k < program->nparams; ++k)
    params.push_back(program->params[k].name);
  for (uint32_t i = 0; i < srt_config_count(config, SRT_CONFIG_PARAMS); ++i) {
    std::string name = srt_config_name(config, SRT_CONFIG_PARAMS, i, nullptr);
    std::string where = std::string(srt_config_where(config, SRT_CONFIG_PARAMS, i)) + ": ";
    srt_param *p = findParam(program, name);
    if (!p) {
      const char *near =
          srt_closest_name(name.c_str(), params.data(), static_cast<uint32_t>(params.size()));
      std::fprintf(stderr, "error: %sunknown param '%s'%s%s%s\n", where.c_str(), name.c_str(),
                   near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
      ++mistakes;
      continue;
    }
    bool overridden = false;
    for (const std::string &g : givenOnCommandLine)
      overridden |= g == name;
    if (!overridden && !setParam(*p, srt_config_param(config, name.c_str()), where))
      ++mistakes;
  }
  // A built executable does not know which sinks its pipelines write to:
  // the dead-letter sink is checked for that when it is opened.
  auto report = [](void *, const char *message) { std::fprintf(stderr, "error: %s\n", message); };
  mistakes += srt_config_check_names(config, program->sources, program->nsources, program->sinks,
                                     program->nsinks, nullptr, 0, report, nullptr);
  return mistakes;
}
} // namespace

int srt_aot_main(int argc, char **argv, const srt_program *program) {
  const char *self = argc > 0 ? argv[0] : program->name;
  bool verbose = false;
  const char *configPath = nullptr;
  const char *kafkaBrokers = nullptr;
  std::vector<std::string> given;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      configPath = argv[++i];
      continue;
    }
    if (arg.rfind("--config=", 0) == 0) {
      configPath = argv[i] + 9;
      continue;
    }
    if (arg == "--kafka-brokers" && i + 1 < argc) {
      kafkaBrokers = argv[++i];
      continue;
    }
    if (arg.rfind("--kafka-brokers=", 0) == 0) {
      kafkaBrokers = argv[i] + 16;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      std::printf("%s: built by streamc from %s\n\nUsage: %s [--config FILE] [--param "
                  "name=value]... [--kafka-brokers HOSTS] [-v]\n\n%s",
                  self, program->name, self, program->help);
      return 0;
    }
    if (arg == "-v" || arg == "--verbose") {
      verbose = true;
      continue;
    }
    std::string kv;
    if (arg == "--param" && i + 1 < argc)
      kv = argv[++i];
    else if (arg.rfind("--param=", 0) == 0)
      kv = arg.substr(8);
    else {
      std::fprintf(stderr, "error: unknown argument '%s' (see %s --help)\n", arg.c_str(), self);
      return 2;
    }
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "error: --param expects name=value, found '%s'\n", kv.c_str());
      return 2;
    }
    std::string name = kv.substr(0, eq);
    const char *text = (arg == "--param" ? argv[i] : argv[i] + 8) + eq + 1; // lives in argv
    srt_param *p = findParam(program, name);
    if (!p) {
      std::fprintf(stderr, "error: unknown param '%s'\n", name.c_str());
      return 2;
    }
    if (!setParam(*p, text, ""))
      return 2;
    given.push_back(name);
  }

  srt_run *run = srt_run_create();
  srt_config *config = nullptr;
  if (configPath) {
    config = srt_config_load(run, configPath);
    uint32_t mistakes = 0;
    if (!config)
      std::fprintf(stderr, "error: %s\n", srt_run_error(run));
    else
      for (; mistakes < srt_config_error_count(config); ++mistakes)
        std::fprintf(stderr, "error: %s\n", srt_config_error(config, mistakes));
    if (!config || applyConfig(program, config, given) + mistakes > 0) {
      srt_config_destroy(config);
      srt_run_destroy(run);
      return 2;
    }
    srt_run_use_config(run, config);
  }
  for (uint32_t k = 0; k < program->nparams; ++k)
    if (!program->params[k].has_value) {
      std::fprintf(stderr, "error: param '%s' has no value: pass --param %s=...\n",
                   program->params[k].name, program->params[k].name);
      return 2;
    }

  srt_run_set_name(run, program->name);
  if (kafkaBrokers)
    srt_run_set_kafka_brokers(run, kafkaBrokers);
  srt_run_set_verbose(run, verbose);
  srt_ctx *ctx = srt_ctx_create(run);
  srt_run_stop_on_signals(run); // SIGINT, SIGTERM: flush, commit, summary
  int status = program->run(run, ctx);
  srt_run_stop_on_signals(nullptr);
  std::fflush(stdout);
  if (const char *error = srt_run_error(run)) {
    std::fprintf(stderr, "error: %s\n", error);
    if (status == 0) // a fatal error found while running (a stream's bad CSV header)
      status = 2;
  }
  srt_run_report(run, verbose);
  srt_ctx_destroy(ctx);
  srt_run_destroy(run);
  srt_config_destroy(config);
  return status;
}

} // extern "C"
