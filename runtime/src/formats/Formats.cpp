/// \file
/// The record formats (LANGUAGE.md §4), one entry each: the one list the
/// compiler's checks, the runtime's readers and writers and the config check
/// consult (srt_format_find). Adding a format is an entry here and its
/// reader and writer (docs/architecture.md, "add a format").

#include "formats/Formats.h"
#include "run/Run.h"

#include <cstring>
#include <string_view>
#include <vector>

namespace {

const char *const kCsvExtensions[] = {".csv", nullptr};
const char *const kJsonExtensions[] = {".json", ".jsonl", ".ndjson", nullptr};
const char *const kTextExtensions[] = {".txt", ".log", nullptr};
const char *const kNoExtensions[] = {nullptr};

// name, code, readable, writable, message, one_header, is_default, one_string, extensions
const srt_format_info kFormats[] = {
    {"csv", SRT_FORMAT_CSV, 1, 1, 1, 1, 0, 0, kCsvExtensions},
    {"json", SRT_FORMAT_JSON, 1, 1, 1, 0, 1, 0, kJsonExtensions}, // JSON lines
    // One record per line, its one string field the line (LF, a CR before it
    // stripped): logs, word counts.
    {"text", SRT_FORMAT_TEXT, 1, 1, 1, 0, 0, 1, kTextExtensions},
    // Aligned columns for a person: written once the run ends, never read.
    {"table", SRT_FORMAT_TABLE, 0, 1, 0, 1, 0, 0, kNoExtensions},
};

} // namespace

extern "C" {

const srt_format_info *srt_formats(uint32_t *count) {
  *count = sizeof kFormats / sizeof kFormats[0];
  return kFormats;
}

const srt_format_info *srt_format_default(void) {
  for (const srt_format_info &f : kFormats)
    if (f.is_default)
      return &f;
  return &kFormats[0];
}

const srt_format_info *srt_format_find(const char *name, int64_t len) {
  std::string_view n(name ? name : "", name ? static_cast<size_t>(len) : 0);
  for (const srt_format_info &f : kFormats)
    if (n == f.name)
      return &f;
  return nullptr;
}

int srt_format_serves(const srt_format_info *f, unsigned uses) {
  return (!(uses & SRT_FORMAT_READ) || f->readable) &&
         (!(uses & SRT_FORMAT_WRITE) || f->writable) &&
         (!(uses & SRT_FORMAT_MESSAGE) || f->message);
}

const char *srt_format_of_path(const char *path, int64_t len) {
  std::string_view p(path, static_cast<size_t>(len));
  for (const srt_format_info &f : kFormats)
    for (const char *const *ext = f.extensions; *ext; ++ext) {
      std::string_view e(*ext);
      if (p.size() >= e.size() && p.substr(p.size() - e.size()) == e)
        return f.name;
    }
  return nullptr;
}

} // extern "C"

const srt_format_info *formatFor(std::string_view name, unsigned uses) {
  const srt_format_info *f = srt_format_find(name.data(), static_cast<int64_t>(name.size()));
  return f && srt_format_serves(f, uses) ? f : nullptr;
}

std::string formatNames(unsigned uses, const char *last) {
  std::vector<std::string_view> names;
  for (const srt_format_info &f : kFormats)
    if (srt_format_serves(&f, uses))
      names.push_back(f.name);
  return joinWords(names, last);
}
