#include "support/Diagnostics.h"

#include "support/Utf8.h"

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
  // Optimal string alignment distance: a transposition is one edit.
  auto distance = [](const std::string &a, const std::string &b) {
    auto eq = [](char x, char y) { return std::tolower(x) == std::tolower(y); };
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i)
      d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j)
      d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
      for (size_t j = 1; j <= b.size(); ++j) {
        d[i][j] =
            std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + !eq(a[i - 1], b[j - 1])});
        if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]))
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    return d[a.size()][b.size()];
  };
  std::string best;
  size_t bestDist = std::max<size_t>(1, name.size() / 3) + 1;
  auto isPrefix = [](const std::string &a, const std::string &b) {
    return a.size() >= 4 && a.size() < b.size() && b.compare(0, a.size(), a) == 0;
  };
  for (const std::string &c : candidates) {
    // `latency` for `latency_ms`: a prefix is as good as one typo.
    size_t d = isPrefix(name, c) || isPrefix(c, name) ? 1 : distance(name, c);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

} // namespace streamc
