/// \file
/// The connectors (LANGUAGE.md §4), one entry each: the one list the
/// compiler's checks (sema/Connectors.cpp builds its specs from it) and the
/// runtime's config check consult. An argument says where it may be given:
/// in the program, and in a config's `sources:` or `sinks:` entry.

#include "formats/Formats.h"
#include "srt/host.h"

#include <string_view>

namespace {

constexpr uint8_t kSource = SRT_ROLE_SOURCE, kTable = SRT_ROLE_TABLE, kSink = SRT_ROLE_SINK;
constexpr uint8_t kAnyRole = kSource | kTable | kSink;

// name, kind, required, positional, in the program for (roles), in a config for (roles)
const srt_connector_arg kFileArgs[] = {
    {"path", SRT_ARG_STRING, 1, 1, kAnyRole, kSource | kSink},
    {"format", SRT_ARG_STRING, 0, 0, kAnyRole, kSource | kSink},
};
const srt_connector_arg kStdinArgs[] = {
    {"format", SRT_ARG_STRING, 0, 0, kSource, kSource},
};
const srt_connector_arg kStdoutArgs[] = {
    {"format", SRT_ARG_STRING, 0, 0, kSink, kSink},
};
const srt_connector_arg kKafkaArgs[] = {
    {"topic", SRT_ARG_STRING, 1, 1, kSource | kSink, kSource | kSink},
    {"format", SRT_ARG_STRING, 0, 0, kSource | kSink, kSource | kSink},
    {"key", SRT_ARG_RECORD_EXPR, 0, 0, kSink, 0}, // an expression over each record
    {"brokers", SRT_ARG_STRING, 0, 0, 0, kSource | kSink},
    {"group", SRT_ARG_STRING, 0, 0, 0, kSource},
    {"properties", SRT_ARG_STRING, 0, 0, 0, kSource | kSink},
};
const srt_connector_arg kGenerateArgs[] = {
    {"kind", SRT_ARG_STRING, 1, 1, kSource, kSource},
    {"events", SRT_ARG_INT, 0, 0, kSource, kSource},
    {"rate", SRT_ARG_NUMBER, 0, 0, kSource, kSource},
    {"seed", SRT_ARG_INT, 0, 0, kSource, kSource},
};

template <size_t N> constexpr uint32_t count(const srt_connector_arg (&)[N]) { return N; }

// name, kind, roles, source formats, sink formats, capabilities, arguments
const srt_connector_info kConnectors[] = {
    {"file", SRT_CONNECTOR_FILE, kAnyRole, kFormatRead, kFormatWrite, SRT_CAN_BE_BOUNDED, kFileArgs,
     count(kFileArgs)},
    {"stdin", SRT_CONNECTOR_STDIN, kSource, kFormatRead, 0, SRT_CAN_BE_BOUNDED, kStdinArgs,
     count(kStdinArgs)},
    {"stdout", SRT_CONNECTOR_STDOUT, kSink, 0, kFormatWrite, 0, kStdoutArgs, count(kStdoutArgs)},
    {"kafka", SRT_CONNECTOR_KAFKA, kSource | kSink, kFormatRead | kFormatMessage,
     kFormatWrite | kFormatMessage, SRT_KEYED | SRT_NEEDS_GROUP, kKafkaArgs, count(kKafkaArgs)},
    {"generate", SRT_CONNECTOR_GENERATE, kSource, 0, 0, SRT_CAN_BE_BOUNDED, kGenerateArgs,
     count(kGenerateArgs)},
    {"null", SRT_CONNECTOR_NULL, kSink, 0, 0, 0, nullptr, 0},
};

} // namespace

extern "C" {

const srt_connector_info *srt_connectors(uint32_t *count) {
  *count = sizeof kConnectors / sizeof kConnectors[0];
  return kConnectors;
}

const srt_connector_info *srt_connector_find(const char *name) {
  std::string_view n(name ? name : "");
  for (const srt_connector_info &c : kConnectors)
    if (n == c.name)
      return &c;
  return nullptr;
}

const srt_connector_info *srt_connector_of_kind(srt_connector_kind kind) {
  for (const srt_connector_info &c : kConnectors)
    if (c.kind == kind)
      return &c;
  return nullptr;
}

} // extern "C"
