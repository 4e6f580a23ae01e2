#pragma once
/// \file
/// The parsing stage: source text to tokens and to an AST Module.
/// Its implementation (the files of parse/) is the only code that sees ANTLR.

#include "ast/AST.h"
#include "support/Diagnostics.h"

#include <memory>
#include <string>
#include <vector>

namespace streamc {

/// A token as `--emit=tokens` shows it.
struct TokenInfo {
  std::string kind; ///< "IDENT", "schema", "'{'"...
  std::string text;
  SourceRange range;
};

/// Splits a file into tokens (comments and whitespace left out); lexical
/// errors are reported to \p diags.
std::vector<TokenInfo> lexFile(const SourceManager &sm, FileId file, DiagnosticEngine &diags);

/// Parses a whole file. Each top-level statement is parsed on its own, so a
/// syntax error is reported once for its statement and later statements are
/// still parsed and checked.
std::unique_ptr<Module> parseFile(const SourceManager &sm, FileId file, DiagnosticEngine &diags);

} // namespace streamc
