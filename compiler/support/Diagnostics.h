#pragma once
/// \file
/// The one diagnostics engine of the compiler. Every stage reports expected
/// errors (bad programs, bad configuration) as structured records here; they
/// are rendered together, sorted by location, with the source line and a
/// caret under the span.

#include "support/SourceManager.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace streamc {

enum class DiagLevel { Note, Warning, Error };

/// A note attached to a diagnostic: extra context, maybe at another place.
struct DiagNote {
  SourceRange range; ///< may be invalid for a note without a location
  std::string message;
};

struct Diagnostic {
  DiagLevel level = DiagLevel::Error;
  SourceRange range; ///< may be invalid (e.g. a missing input file)
  std::string message;
  std::vector<DiagNote> notes;
  uint32_t sequence = 0; ///< report order, to keep sorting stable
};

/// Collects diagnostics; renders them on demand.
class DiagnosticEngine {
public:
  explicit DiagnosticEngine(const SourceManager &sm) : sm_(sm) {}

  /// Reports a diagnostic and returns it so notes can be added.
  Diagnostic &report(DiagLevel level, SourceRange range, std::string message);
  Diagnostic &error(SourceRange range, std::string message) {
    return report(DiagLevel::Error, range, std::move(message));
  }
  Diagnostic &warning(SourceRange range, std::string message) {
    return report(DiagLevel::Warning, range, std::move(message));
  }

  unsigned errorCount() const { return errors_; }
  unsigned warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ != 0; }
  const std::vector<Diagnostic> &diagnostics() const { return diags_; }

  /// Renders every diagnostic reported since the last call, sorted by
  /// location (diagnostics without a location first), then forgets them.
  /// Colour is used only when \p color is set (the driver passes isatty).
  void flush(std::ostream &os, bool color);
  /// Renders one diagnostic.
  void render(std::ostream &os, const Diagnostic &d, bool color) const;

  /// Forgets everything (the REPL starts each input afresh).
  void clear();

private:
  void renderLocation(std::ostream &os, SourceRange range, bool color) const;
  void renderSnippet(std::ostream &os, SourceRange range, bool color, const char *caretColor) const;

  const SourceManager &sm_;
  std::vector<Diagnostic> diags_;
  /// Returned for a duplicate report, so notes added to it go nowhere.
  Diagnostic discarded_;
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
  uint32_t sequence_ = 0;
};

/// The closest candidate to \p name by edit distance, or "" when none is
/// close enough to be a plausible typo.
std::string closestMatch(const std::string &name, const std::vector<std::string> &candidates);

/// `; did you mean 'x'?` for the closest candidate, or "".
std::string didYouMean(const std::string &name, const std::vector<std::string> &candidates);

} // namespace streamc
