#pragma once
/// \file
/// Loads a program's main file and, transitively, every file it imports:
/// `import std.stats` from the standard library directory, `import "x.stream"`
/// relative to the importing file. Reports missing modules and import cycles.

#include "ast/Program.h"
#include "support/Diagnostics.h"

#include <string>

namespace streamc {

class ImportLoader {
public:
  ImportLoader(SourceManager &sm, DiagnosticEngine &diags, std::string stdlibDir)
      : sm_(sm), diags_(diags), stdlibDir_(std::move(stdlibDir)) {}

  /// Parses \p mainFile and its imports into \p program. Returns false if a
  /// file could not be found or parsed (the errors are reported).
  bool load(FileId mainFile, Program &program);

  /// Loads the imports of an already-parsed module (the REPL's input).
  bool loadImportsOf(Module &module, Program &program);

private:
  bool visit(Module &module, Program &program);

  SourceManager &sm_;
  DiagnosticEngine &diags_;
  std::string stdlibDir_;
  std::vector<FileId> stack_; ///< files being loaded, for cycle detection
};

/// The standard library directory: $STREAMC_STDLIB, else `stdlib/` beside or
/// above the executable, else the source tree's.
std::string defaultStdlibDir(const char *argv0);

} // namespace streamc
