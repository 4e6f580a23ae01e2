#include "sema/Connectors.h"

#include <srt/host.h>

#include <cstdlib>
#include <map>

namespace streamc {

const char *connectorRoleName(ConnectorRole r) {
  switch (r) {
  case ConnectorRole::Source:
    return "source";
  case ConnectorRole::Table:
    return "table";
  case ConnectorRole::Sink:
    return "sink";
  }
  return "?";
}

bool ConnectorSpec::plays(ConnectorRole role) const {
  uint8_t flag = role == ConnectorRole::Source  ? SRT_ROLE_SOURCE
                 : role == ConnectorRole::Table ? SRT_ROLE_TABLE
                                                : SRT_ROLE_SINK;
  return (info->roles & flag) != 0;
}

unsigned ConnectorSpec::formatUses(ConnectorRole role) const {
  return role == ConnectorRole::Sink ? info->sink_formats : info->source_formats;
}

namespace {
ArgKind argKind(srt_arg_kind k) {
  switch (k) {
  case SRT_ARG_STRING:
    return ArgKind::String;
  case SRT_ARG_INT:
    return ArgKind::Int;
  case SRT_ARG_NUMBER:
    return ArgKind::Number;
  case SRT_ARG_RECORD_EXPR:
    return ArgKind::RecordExpr;
  }
  return ArgKind::String;
}

const std::vector<ConnectorSpec> &specs() {
  static const std::vector<ConnectorSpec> all = [] {
    std::vector<ConnectorSpec> out;
    uint32_t n = 0;
    const srt_connector_info *list = srt_connectors(&n);
    for (uint32_t i = 0; i < n; ++i) {
      const srt_connector_info &c = list[i];
      ConnectorSpec spec{c.name, c.kind, {}, &c};
      for (uint32_t k = 0; k < c.nargs; ++k) {
        const srt_connector_arg &a = c.args[k];
        if (a.program) // else only a config gives it
          spec.args.push_back({a.name, argKind(a.kind), a.required != 0, a.positional != 0,
                               /*sinkOnly=*/a.program == SRT_ROLE_SINK});
      }
      out.push_back(std::move(spec));
    }
    return out;
  }();
  return all;
}

} // namespace

const ConnectorSpec *findConnector(const std::string &name) {
  for (const ConnectorSpec &s : specs())
    if (name == s.name)
      return &s;
  return nullptr;
}

const ConnectorSpec &connectorOfKind(srt_connector_kind kind) {
  for (const ConnectorSpec &s : specs())
    if (s.kind == kind)
      return s;
  std::abort(); // every kind has its entry
}

std::string joined(const std::vector<std::string> &words) {
  std::string out;
  for (const std::string &w : words)
    out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::vector<std::string> connectorNames() {
  std::vector<std::string> out;
  for (const ConnectorSpec &s : specs())
    out.push_back(s.name);
  return out;
}

namespace {
const srt_format_info *findFormat(const std::string &name) {
  return srt_format_find(name.data(), static_cast<int64_t>(name.size()));
}
} // namespace

std::vector<std::string> formatsFor(unsigned uses) {
  uint32_t n = 0;
  const srt_format_info *all = srt_formats(&n);
  std::vector<std::string> out;
  for (uint32_t i = 0; i < n; ++i)
    if (srt_format_serves(&all[i], uses))
      out.push_back(all[i].name);
  return out;
}

std::string formatMisuse(const std::string &name, unsigned uses) {
  const srt_format_info *f = findFormat(name);
  if (!f || srt_format_serves(f, uses))
    return "";
  if ((uses & SRT_FORMAT_READ) && !f->readable)
    return " ('" + name + "' is for sinks only)";
  if ((uses & SRT_FORMAT_MESSAGE) && !f->message)
    return " ('" + name + "' cannot be a Kafka message)";
  return "";
}

bool formatHasOneHeader(const std::string &name) {
  const srt_format_info *f = findFormat(name);
  return f && f->one_header;
}

bool formatIsOneString(const std::string &name) {
  const srt_format_info *f = findFormat(name);
  return f && f->one_string;
}

std::string defaultFormat() { return srt_format_default()->name; }

std::string formatFromExtension(const std::string &path) {
  // The runtime's rule: a built executable infers it again at start-up.
  const char *f = srt_format_of_path(path.data(), static_cast<int64_t>(path.size()));
  return f ? f : "";
}

const std::vector<GeneratorField> *generatorFields(const std::string &kind) {
  using K = TypeKind;
  static const std::map<std::string, std::vector<GeneratorField>> table = {
      {"sequence", {{"n", K::I64}, {"ts", K::Timestamp}}},
      {"ysb",
       {{"user_id", K::String},
        {"page_id", K::String},
        {"ad_id", K::String},
        {"ad_type", K::String},
        {"event_type", K::String},
        {"event_time", K::Timestamp},
        {"ip_address", K::String}}},
      {"nexmark_person",
       {{"id", K::I64},
        {"name", K::String},
        {"email_address", K::String},
        {"credit_card", K::String},
        {"city", K::String},
        {"state", K::String},
        {"date_time", K::Timestamp},
        {"extra", K::String}}},
      {"nexmark_auction",
       {{"id", K::I64},
        {"item_name", K::String},
        {"description", K::String},
        {"initial_bid", K::I64},
        {"reserve", K::I64},
        {"date_time", K::Timestamp},
        {"expires", K::Timestamp},
        {"seller", K::I64},
        {"category", K::I64},
        {"extra", K::String}}},
      {"nexmark_bid",
       {{"auction", K::I64},
        {"bidder", K::I64},
        {"price", K::I64},
        {"channel", K::String},
        {"url", K::String},
        {"date_time", K::Timestamp},
        {"extra", K::String}}},
  };
  auto it = table.find(kind);
  return it == table.end() ? nullptr : &it->second;
}

std::vector<std::string> generatorKinds() {
  return {"sequence", "ysb", "nexmark_person", "nexmark_auction", "nexmark_bid"};
}

const std::vector<GeneratorField> &kafkaMetadataFields() {
  static const std::vector<GeneratorField> f = {{"_key", TypeKind::String},
                                                {"_partition", TypeKind::I64},
                                                {"_offset", TypeKind::I64},
                                                {"_timestamp", TypeKind::Timestamp}};
  return f;
}

} // namespace streamc
