/// \file
/// Values as text, the way every format writes them, and the "text"
/// format's one field per line.

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

bool isNull(const void *record, const srt_field &f) {
  return f.null_offset >= 0 && at<uint8_t>(record, static_cast<uint32_t>(f.null_offset)) != 0;
}

/// The layout's fields that are columns: a nested record's fields (by their
/// dotted names), not the record itself (LANGUAGE.md §4: CSV sinks write
/// dotted columns).
std::vector<srt_field> columnsOf(const std::vector<srt_field> &fields) {
  std::vector<srt_field> out;
  for (const srt_field &f : fields)
    if (f.type != SRT_RECORD)
      out.push_back(f);
  return out;
}

void appendJsonString(std::string &out, const char *p, int64_t n) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (int64_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  out += '"';
}

/// Appends a non-null value as text; `json` quotes strings and timestamps
/// and writes non-finite floats as null.
void appendValue(std::string &out, const void *record, const srt_field &f, bool json) {
  char buf[40];
  static_assert(sizeof buf >= SRT_TIMESTAMP_MAX_LEN);
  switch (f.type) {
  case SRT_BOOL:
    out += at<uint8_t>(record, f.offset) ? "true" : "false";
    return;
  case SRT_I64:
  case SRT_DURATION: {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, at<int64_t>(record, f.offset));
    out.append(buf, end);
    return;
  }
  case SRT_F64: {
    double v = at<double>(record, f.offset);
    if (json && !std::isfinite(v)) {
      out += "null";
      return;
    }
    out.append(buf, srt_format_double(v, buf));
    return;
  }
  case SRT_STRING: {
    const srt_str &s = at<srt_str>(record, f.offset);
    if (json)
      appendJsonString(out, s.ptr, s.len);
    else
      out.append(s.ptr, static_cast<size_t>(s.len));
    return;
  }
  case SRT_TIMESTAMP: {
    size_t n = srt_format_timestamp(at<int64_t>(record, f.offset), buf);
    if (json)
      out += '"';
    out.append(buf, n);
    if (json)
      out += '"';
    return;
  }
  default:
    return;
  }
}

void writeText(std::string &out, const std::vector<srt_field> &fields, const void *record) {
  if (!fields.empty() && !isNull(record, fields[0]))
    appendValue(out, record, fields[0], false);
  out += '\n';
}

} // namespace record_text
