#include "support/Diagnostics.h"

#include "support/Utf8.h"

#include <srt/host.h>

#include <algorithm>
#include <ostream>

namespace streamc {
namespace {
constexpr const char *kBold = "\033[1m";
constexpr const char *kRed = "\033[1;31m";
constexpr const char *kMagenta = "\033[1;35m";
constexpr const char *kCyan = "\033[1;36m";
constexpr const char *kGreen = "\033[1;32m";
constexpr const char *kReset = "\033[0m";

const char *levelName(DiagLevel l) {
  switch (l) {
  case DiagLevel::Note:
    return "note";
  case DiagLevel::Warning:
    return "warning";
  case DiagLevel::Error:
    return "error";
  }
  return "error";
}
const char *levelColor(DiagLevel l) {
  switch (l) {
  case DiagLevel::Note:
    return kCyan;
  case DiagLevel::Warning:
    return kMagenta;
  case DiagLevel::Error:
    return kRed;
  }
  return kRed;
}
} // namespace

Diagnostic &DiagnosticEngine::report(DiagLevel level, SourceRange range, std::string message) {
  // The same finding reached twice (an expression checked for two
  // pipelines) is reported once.
  for (Diagnostic &d : diags_)
    if (d.level == level && d.message == message && d.range.file == range.file &&
        d.range.begin == range.begin && d.range.end == range.end) {
      discarded_ = Diagnostic{};
      return discarded_;
    }
  if (level == DiagLevel::Error)
    ++errors_;
  else if (level == DiagLevel::Warning)
    ++warnings_;
  diags_.push_back(Diagnostic{level, range, std::move(message), {}, sequence_++});
  return diags_.back();
}

void DiagnosticEngine::clear() {
  diags_.clear();
  errors_ = warnings_ = 0;
}

void DiagnosticEngine::renderLocation(std::ostream &os, SourceRange range, bool color) const {
  if (!range.isValid())
    return;
  if (color)
    os << kBold;
  os << sm_.describe(range.start()) << ": ";
  if (color)
    os << kReset;
}

void DiagnosticEngine::renderSnippet(std::ostream &os, SourceRange range, bool color,
                                     const char *caretColor) const {
  if (!range.isValid())
    return;
  LineCol lc = sm_.lineCol(range.start());
  std::string_view line = sm_.lineText(range.file, lc.line);
  std::string gutter = std::to_string(lc.line);
  std::string pad(gutter.size(), ' ');
  os << ' ' << gutter << " | " << visibleText(line) << '\n';
  // The underline: a caret at the start, tildes to the end of the span on
  // this line, one mark per character (as the line is printed: see
  // visibleText). Tabs in the prefix are kept so the caret lines up.
  auto lineSize = static_cast<uint32_t>(line.size());
  uint32_t begin = std::min(range.begin - sm_.lineStart(range.file, lc.line), lineSize);
  uint32_t end = std::min(begin + std::max<uint32_t>(1, range.end - range.begin), lineSize);
  std::string marks;
  for (uint32_t i = 0; i < begin;) {
    marks += line[i] == '\t' ? '\t' : ' ';
    size_t n = utf8SequenceLength(line, i);
    i += n ? static_cast<uint32_t>(n) : 1;
  }
  uint32_t width = utf8Columns(line.substr(begin, end - begin));
  marks += '^';
  if (width > 1)
    marks.append(width - 1, '~');
  os << ' ' << pad << " | ";
  if (color)
    os << caretColor;
  os << marks;
  if (color)
    os << kReset;
  os << '\n';
}

void DiagnosticEngine::render(std::ostream &os, const Diagnostic &d, bool color) const {
  renderLocation(os, d.range, color);
  if (color)
    os << levelColor(d.level);
  os << levelName(d.level) << ": ";
  if (color)
    os << kReset << kBold;
  os << visibleText(d.message);
  if (color)
    os << kReset;
  os << '\n';
  renderSnippet(os, d.range, color, kGreen);
  for (const DiagNote &n : d.notes) {
    renderLocation(os, n.range, color);
    if (color)
      os << kCyan;
    os << "note: ";
    if (color)
      os << kReset;
    os << visibleText(n.message) << '\n';
    renderSnippet(os, n.range, color, kGreen);
  }
}

void DiagnosticEngine::flush(std::ostream &os, bool color) {
  std::vector<const Diagnostic *> sorted;
  for (const Diagnostic &d : diags_)
    sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic *a, const Diagnostic *b) {
    if (a->range.isValid() != b->range.isValid())
      return !a->range.isValid();
    if (a->range.file != b->range.file)
      return a->range.file < b->range.file;
    if (a->range.begin != b->range.begin)
      return a->range.begin < b->range.begin;
    return a->sequence < b->sequence;
  });
  for (const Diagnostic *d : sorted)
    render(os, *d, color);
  diags_.clear();
}

std::string closestMatch(const std::string &name, const std::vector<std::string> &candidates) {
  // The runtime's, so that configuration errors of `streamc run` and of a
  // built executable suggest the same names.
  std::vector<const char *> names;
  names.reserve(candidates.size());
  for (const std::string &c : candidates)
    names.push_back(c.c_str());
  const char *best =
      srt_closest_name(name.c_str(), names.data(), static_cast<uint32_t>(names.size()));
  return best ? best : "";
}

std::string didYouMean(const std::string &name, const std::vector<std::string> &candidates) {
  std::string best = closestMatch(name, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

} // namespace streamc
