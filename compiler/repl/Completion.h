#pragma once
/// \file
/// Tab completion: the word before the cursor is completed from the
/// language's keywords, the built-in functions, type names, the session's
/// declared names and the fields of its schemas, sources, tables and lets;
/// at the start of a line from the REPL's commands; after `:schema` from
/// the names that have fields; after `:load` and `:save` from file names.

#include "repl/Session.h"

#include <string>
#include <string_view>
#include <vector>

namespace streamc::repl {

struct Completions {
  /// Where the completed word starts in the line.
  size_t wordStart = 0;
  /// The candidates that start with the word, sorted, without duplicates.
  std::vector<std::string> candidates;
};

/// The REPL's commands, with their colon (`:help`, ...).
const std::vector<std::string> &commandNames();

/// Completes the word that ends at the end of \p beforeCursor.
Completions complete(std::string_view beforeCursor, const Session &session);

/// The longest prefix the candidates share.
std::string commonPrefix(const std::vector<std::string> &candidates);

} // namespace streamc::repl
