#pragma once
/// \file
/// The runtime's view of the format list (srt_format_info, srt/host.h):
/// which formats serve a connector's use, and how messages list them.

#include "srt/host.h"

#include <string>
#include <string_view>

/// What a connector needs of a format (flags).
enum FormatUse : unsigned {
  kFormatRead = SRT_FORMAT_READ,       ///< a source reads it
  kFormatWrite = SRT_FORMAT_WRITE,     ///< a sink writes it
  kFormatMessage = SRT_FORMAT_MESSAGE, ///< one record per Kafka message
};

/// The format called \p name if it serves \p uses, else null.
const srt_format_info *formatFor(std::string_view name, unsigned uses);
/// The formats that serve \p uses, as a message lists them: "csv or json".
std::string formatNames(unsigned uses, const char *last = " or ");
