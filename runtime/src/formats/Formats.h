#pragma once
/// \file
/// The runtime's view of the format list (srt_format_info, srt/host.h):
/// which formats serve a connector's use, and how messages list them.

#include "srt/host.h"

#include <string>
#include <string_view>

/// What a connector needs of a format (flags).
enum FormatUse : unsigned {
  kFormatRead = 1,    ///< a source reads it
  kFormatWrite = 2,   ///< a sink writes it
  kFormatMessage = 4, ///< one record per Kafka message
};

/// Whether \p f serves every use in \p uses.
bool formatServes(const srt_format_info &f, unsigned uses);
/// The format called \p name if it serves \p uses, else null.
const srt_format_info *formatFor(std::string_view name, unsigned uses);
/// The formats that serve \p uses, as a message lists them: "csv or json".
std::string formatNames(unsigned uses, const char *last = " or ");
