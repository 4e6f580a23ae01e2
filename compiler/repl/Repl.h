#pragma once
/// \file
/// `streamc repl`: the interactive shell. Declarations accumulate in a
/// session (a new one of a name replaces the old and says so); a pipeline
/// (`from ...`) is compiled and run at once, its rows shown as a table;
/// commands start with `:`. On a terminal: prompts, line editing, history
/// and completion; otherwise (a script on standard input) no prompts, the
/// same statements and commands, and exit status 1 if any of them failed.

#include "repl/Session.h"
#include "repl/SessionCompiler.h"

#include <istream>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace streamc::repl {

struct ReplOptions {
  std::string stdlibDir;
  bool interactive = false; ///< standard input is a terminal
  bool color = false;       ///< colour diagnostics
  int optLevel = 2;         ///< of the generated code
  std::string historyPath;  ///< the line editor's history file ("": none)
};

/// Runs the REPL on standard input. Returns the exit status: 0, or in
/// non-interactive mode 1 when a statement or command failed.
int runRepl(const ReplOptions &options);

class Repl {
public:
  Repl(const ReplOptions &options, std::ostream &out, std::ostream &err);

  /// Handles one complete statement, several statements, or a command.
  /// Returns false after `:quit`.
  bool handle(const std::string &text);

  /// Whether some statement or command failed so far.
  bool anyFailed() const { return failed_; }

  /// The interactive loop (line editor, prompts, Ctrl-C) and the script
  /// loop; both return the exit status.
  int runInteractive();
  int runScript(std::istream &in);

private:
  // Statements (Repl.cpp).
  void enter(const std::string &text);
  void runPipeline(const Snippet &pipeline);
  /// Checks \p input (declarations, and for typed input its pipelines)
  /// against the session; reports and returns null on errors. The
  /// declarations of \p replaced are left out of the session's program.
  std::unique_ptr<Compiler> checkAgainstSession(const Snippet &input,
                                                const std::set<std::string> &replaced);
  /// Adds checked declarations to the session, saying what each did.
  void accept(std::vector<Declaration> declarations, Compiler &checked);
  /// Prints (and forgets) a compiler's diagnostics.
  void report(Compiler &compiler);
  void fail() { failed_ = true; }

  // Commands (Commands.cpp).
  bool command(const std::string &text);
  void help();
  void showSchema(const std::string &name);
  void listSchemas();
  void showCompiled(const std::string &pipeline, uint32_t column, bool llvm);
  void load(const std::string &path);
  void save(const std::string &path);
  void setLimit(const std::string &arg);

  ReplOptions options_;
  std::ostream &out_;
  std::ostream &err_;
  Session session_;
  SessionCompiler compiler_;
  size_t limit_ = 20;
  bool failed_ = false;
};

} // namespace streamc::repl
