/// \file
/// Checks a loaded configuration against a program: the names it gives
/// (sources, sinks, the dead-letter sink) and, per source or sink, the
/// arguments its connector takes. `streamc run` checks everything before
/// the run; a built executable checks the names before the run and each
/// connector's arguments when it opens it (it does not know the connectors
/// before).

#include "formats/Formats.h"
#include "gen/Generator.h"
#include "run/Config.h"
#include "run/Run.h"
#include "srt/host.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

/// What a connector takes from a config in one section: its arguments
/// (`properties` included), and what it needs of a format (FormatUse flags;
/// 0: none). From the connector list (srt_connectors).
struct ConnectorArgs {
  std::vector<const char *> args;
  unsigned formats = 0;
};

/// What \p connector takes in config \p section; false when it is not a
/// connector of that section.
bool configArgs(const char *connector, int section, ConnectorArgs &out) {
  const srt_connector_info *info = srt_connector_find(connector);
  uint8_t role = section == SRT_CONFIG_SOURCES ? SRT_ROLE_SOURCE : SRT_ROLE_SINK;
  if (!info || !(info->roles & role))
    return false;
  for (uint32_t i = 0; i < info->nargs; ++i)
    if (info->args[i].config & role)
      out.args.push_back(info->args[i].name);
  out.formats = role == SRT_ROLE_SOURCE ? info->source_formats : info->sink_formats;
  return true;
}

/// "a, b and c".
std::string listOf(const std::vector<const char *> &words) {
  return joinWords(std::vector<std::string_view>(words.begin(), words.end()), " and ");
}

bool contains(const std::vector<const char *> &words, const std::string &word) {
  return std::find_if(words.begin(), words.end(), [&](const char *w) { return word == w; }) !=
         words.end();
}

/// "; did you mean 'x'?" or "".
std::string didYouMean(const char *name, const char *const *names, uint32_t n) {
  const char *near = srt_closest_name(name, names, n);
  return near ? std::string("; did you mean '") + near + "'?" : std::string();
}

bool oneOf(const char *name, const char *const *names, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    if (std::strcmp(name, names[i]) == 0)
      return true;
  return false;
}

} // namespace

extern "C" {

uint32_t srt_config_check_names(const srt_config *c, const char *const *sources, uint32_t nsources,
                                const char *const *sinks, uint32_t nsinks,
                                const char *const *written, uint32_t nwritten,
                                srt_config_report report, void *user) {
  uint32_t mistakes = 0;
  auto mistake = [&](const std::string &message) {
    report(user, message.c_str());
    ++mistakes;
  };
  struct Section {
    int id;
    const char *what;
    const char *const *names;
    uint32_t n;
  };
  for (Section s : {Section{SRT_CONFIG_SOURCES, "source", sources, nsources},
                    Section{SRT_CONFIG_SINKS, "sink", sinks, nsinks}})
    for (const srt_config::Entry &e : c->sections[s.id])
      if (!oneOf(e.name.c_str(), s.names, s.n))
        mistake(e.where + ": unknown " + s.what + " '" + e.name + "'" +
                didYouMean(e.name.c_str(), s.names, s.n));
  if (const char *dead = srt_config_dead_letter(c, nullptr)) {
    std::string at = c->at(c->deadLetterLine);
    if (!oneOf(dead, sinks, nsinks))
      mistake(at + ": runtime.dead_letter names unknown sink '" + dead + "'" +
              didYouMean(dead, sinks, nsinks));
    else if (oneOf(dead, written, nwritten))
      mistake(deadLetterClash(*c, dead));
  }
  return mistakes;
}

uint32_t srt_config_check_connector(const srt_config *c, int section, const char *name,
                                    const char *connector, srt_config_report report, void *user) {
  const srt_config::Entry *e = c->connector(section, name);
  if (!e)
    return 0;
  ConnectorArgs takesArgs;
  if (!configArgs(connector, section, takesArgs))
    return 0; // a connector the config cannot override
  const ConnectorArgs *takes = &takesArgs;
  const char *kind = section == SRT_CONFIG_SOURCES ? "source" : "sink";
  std::string within = std::string(section == SRT_CONFIG_SOURCES ? "sources." : "sinks.") + name;
  uint32_t mistakes = 0;
  // In the order of the file.
  std::vector<std::pair<int, std::string>> args;
  for (const auto &[arg, line] : e->argLines)
    args.emplace_back(line, arg);
  std::sort(args.begin(), args.end());
  for (const auto &[line, arg] : args) {
    std::string message;
    bool taken = contains(takes->args, arg);
    std::string what = std::string(connector) + "() " + kind;
    if (!taken)
      message =
          "'" + within + "." + arg + "' does not apply: a " + what +
          (takes->args.empty() ? " takes no arguments"
                               : " has no '" + arg + "' (it takes " + listOf(takes->args) + ")");
    else if (arg == "format" && !formatFor(e->args.at(arg), takes->formats))
      message = "'" + within + ".format' must be " + formatNames(takes->formats) + " for a " +
                what + ", found '" + e->args.at(arg) + "'";
    if (!message.empty()) {
      report(user, (c->at(line) + ": " + message).c_str());
      ++mistakes;
    }
  }
  return mistakes;
}

} // extern "C"

std::string deadLetterClash(const srt_config &c, const char *sink) {
  return c.at(c.deadLetterLine) + ": sink " + sink +
         " is the dead-letter sink (runtime.dead_letter); a pipeline cannot write to it too";
}

bool checkConfigConnector(srt_run *run, int section, const char *name,
                          srt_connector_kind connector) {
  if (!run->config || !name)
    return true;
  auto append = [](void *user, const char *message) {
    std::string &error = static_cast<srt_run *>(user)->error;
    error += (error.empty() ? "" : "\nerror: ") + std::string(message);
  };
  return srt_config_check_connector(run->config, section, name,
                                    srt_connector_of_kind(connector)->name, append, run) == 0;
}

bool configGenerator(srt_run *run, const char *source, std::string &kind, int64_t &events,
                     double &rate, int64_t &seed, const srt_layout *layout) {
  if (!checkConfigConnector(run, SRT_CONFIG_SOURCES, source, SRT_CONNECTOR_GENERATE))
    return false;
  const srt_config::Entry *e =
      run->config ? run->config->connector(SRT_CONFIG_SOURCES, source) : nullptr;
  if (!e)
    return true;
  // The values were checked when the config was loaded.
  auto arg = [&](const char *name) {
    auto it = e->args.find(name);
    return it == e->args.end() ? nullptr : it->second.c_str();
  };
  if (const char *text = arg("events"))
    events = std::strtoll(text, nullptr, 10);
  if (const char *text = arg("rate"))
    rate = std::strtod(text, nullptr);
  if (const char *text = arg("seed"))
    seed = std::strtoll(text, nullptr, 10);
  const char *other = arg("kind");
  if (!other)
    return true;
  kind = other;
  // The program was checked against its own kind: the new one must give
  // every field it reads, with the same type.
  std::string at = run->config->at(e->argLines.at("kind")) + ": 'sources." + source + ".kind': ";
  const std::vector<GenField> *fields = generatorFields(kind);
  if (!fields) {
    run->error = at + "unknown generator kind '" + kind +
                 "' (kinds: sequence, ysb, nexmark_person, nexmark_auction, nexmark_bid)";
    return false;
  }
  for (uint32_t i = 0; i < layout->nfields; ++i) {
    const srt_field &f = layout->fields[i];
    if (!f.read)
      continue;
    auto g = std::find_if(fields->begin(), fields->end(),
                          [&](const GenField &gf) { return std::strcmp(gf.name, f.name) == 0; });
    if (g == fields->end() || g->type != f.type) {
      run->error = at + "generator '" + kind + "' " +
                   (g == fields->end() ? std::string("has no field '") + f.name + "'"
                                       : std::string("provides field '") + f.name + "' as " +
                                             typeName(g->type) + ", not " + typeName(f.type)) +
                   ", which the program reads";
      return false;
    }
  }
  return true;
}
