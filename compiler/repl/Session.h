#pragma once
/// \file
/// The REPL's session: the declarations entered so far, by name and in
/// order, each with the text the user wrote; a declaration of a name that
/// is already declared replaces it in place. Also what the session's checked
/// program knows (record types, names) for `:schema` and completion, and
/// the queries that ran, which `:save` keeps as comments.

#include "ast/AST.h"
#include "sema/Type.h"

#include <map>
#include <string>
#include <vector>

namespace streamc::repl {

/// One declaration as the user wrote it.
struct Declaration {
  Stmt::Kind kind = Stmt::Kind::Schema;
  std::string name;         ///< "" for an import
  std::string importTarget; ///< an import's module or path, to import it once
  std::string text;         ///< the statement's text
  /// Where the text comes from: "<input>" when typed, else the file it was
  /// loaded from, and where it starts there, so messages about it point
  /// into that file.
  std::string origin = "<input>";
  uint32_t line = 1, column = 1;

  bool typed() const { return origin == "<input>"; }
};

/// "schema", "source", ... for messages.
const char *kindName(Stmt::Kind kind);

class Session {
public:
  /// What add() did.
  enum class Added { New, Replaced, AlreadyImported };

  const std::vector<Declaration> &declarations() const { return declarations_; }
  /// The declaration of \p name, or null.
  const Declaration *find(const std::string &name) const;
  /// Adds a declaration, or replaces the one of the same name where it is
  /// (\p previous is set to the kind it had). An import of a module already
  /// imported is not added again.
  Added add(Declaration declaration, Stmt::Kind *previous = nullptr);

  /// Remembers a query that ran (for :save); one that writes to a declared
  /// sink is a pipeline of the program (once, however often it ran).
  void addQuery(std::string text, bool writesSink = false);
  const std::vector<std::string> &queries() const { return queries_; }

  /// What the last successful check of the session found: the record type
  /// of each schema, source, table and let, and every declared name
  /// (imported ones included).
  void setCheckedInfo(std::map<std::string, RecordTypeRef> records,
                      std::vector<std::string> names) {
    records_ = std::move(records);
    names_ = std::move(names);
  }
  const std::map<std::string, RecordTypeRef> &records() const { return records_; }
  const std::vector<std::string> &names() const { return names_; }

  /// Forgets everything (`:reset`).
  void clear() { *this = Session(); }

  /// The declarations, in order, as a `.stream` file, then the pipelines
  /// that wrote to declared sinks (so `streamc test` can run the session's
  /// tests); the other queries that ran follow as comments.
  std::string toStreamFile() const;

private:
  std::vector<Declaration> declarations_;
  std::vector<std::string> queries_;
  std::vector<std::string> pipelines_; ///< queries that wrote to declared sinks
  std::map<std::string, RecordTypeRef> records_;
  std::vector<std::string> names_;
};

} // namespace streamc::repl
