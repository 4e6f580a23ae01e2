/// \file
/// The JSON-lines format's writer: one object per record, a nested record
/// a nested object (or null).

#include "formats/RecordText.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace record_text {

namespace {
/// Fields [begin, end) as a JSON object, each named by its name after
/// \p prefix bytes (its record's name and the dot); a nested record is a
/// nested object, or null.
void appendJsonObject(std::string &out, const std::vector<srt_field> &fields, size_t begin,
                      size_t end, size_t prefix, const void *record) {
  out += '{';
  for (size_t i = begin; i < end; ++i) {
    const srt_field &f = fields[i];
    if (i != begin)
      out += ',';
    const char *key = f.name + std::min(prefix, std::strlen(f.name));
    appendJsonString(out, key, static_cast<int64_t>(std::strlen(key)));
    out += ':';
    size_t inner = f.type == SRT_RECORD ? f.nested : 0;
    if (isNull(record, f))
      out += "null";
    else if (f.type == SRT_RECORD)
      appendJsonObject(out, fields, i + 1, i + 1 + inner, std::strlen(f.name) + 1, record);
    else
      appendValue(out, record, f, true);
    i += inner;
  }
  out += '}';
}
} // namespace

void writeJson(std::string &out, const std::vector<srt_field> &fields, const void *record) {
  appendJsonObject(out, fields, 0, fields.size(), 0, record);
  out += '\n';
}

} // namespace record_text
