#pragma once
/// \file
/// Compiles input against the session through the one facade, `Compiler`:
/// each session declaration is a module of its own (an in-memory buffer), so
/// a message about it shows its own text, and the input is the main module,
/// named `<input>`, so an error in what was just typed is reported at its
/// line and column with the caret under it.

#include "driver/Compiler.h"
#include "repl/Session.h"

#include <memory>
#include <set>
#include <string>

namespace streamc::repl {

/// Text to compile and where it starts, so that line and column numbers in
/// messages are those of the user's input (or of the file it came from).
struct Snippet {
  std::string name = "<input>";
  std::string text;
  uint32_t line = 1, column = 1;

  /// The text preceded by blank lines and spaces up to its line and column.
  std::string positioned() const;
};

class SessionCompiler {
public:
  explicit SessionCompiler(CompilerOptions options) : options_(std::move(options)) {}

  /// A compiler whose program is the session's declarations, except those
  /// named in \p replaced, then \p input as the main module: loaded (parsed,
  /// imports read) but not analysed. \p loaded is false when loading
  /// reported errors.
  std::unique_ptr<Compiler> load(const Session &session, const Snippet &input,
                                 const std::set<std::string> &replaced, bool &loaded) const;

  /// A compiler holding only \p input (to split it into statements).
  std::unique_ptr<Compiler> loadAlone(const Snippet &input, bool &loaded) const;

  /// The buffer name a session declaration is compiled under: its file,
  /// or for a typed one `<kind name>` (`<source clicks>`).
  static std::string bufferName(const Declaration &d);

  /// The statements of the main module of \p compiler (as parsed): its
  /// declarations with their text and where each starts, and its
  /// pipelines.
  static void splitStatements(Compiler &compiler, std::vector<Declaration> &declarations,
                              std::vector<Snippet> &pipelines);

  /// What a checked compiler knows about the session: the record type of
  /// every schema, source, table and let, and every declared name.
  static void collectInfo(Compiler &compiler, std::map<std::string, RecordTypeRef> &records,
                          std::vector<std::string> &names);

  const CompilerOptions &options() const { return options_; }

private:
  CompilerOptions options_;
};

} // namespace streamc::repl
