#pragma once
/// \file
/// The compiler's facade: one object per compilation that runs the stages in
/// order (load and parse, check, plan, optimise) and owns their results. The
/// CLI (main.cpp) and the REPL are thin layers over it.

#include "ast/Program.h"
#include "sema/Sema.h"
#include "support/Diagnostics.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace streamc {

class Plan;

/// What `--emit` prints, in pipeline order: each action runs every stage up
/// to its own.
enum class EmitAction { None, Tokens, Ast, Plan, PlanOpt, Llvm, Dot };

struct CompilerOptions {
  std::string stdlibDir;
  std::map<std::string, std::string> params;       ///< --param k=v and the config's params:
  std::map<std::string, std::string> paramOrigins; ///< "app.yaml:3" for the config's
  std::vector<std::string> disabledPasses;         ///< --disable-pass=NAME
  bool timePasses = false;                         ///< --time-passes
  /// Substitute param values into the plan (true for `run`, `check`; false
  /// for `build`, whose executables read params at start-up).
  bool inlineParams = true;
  /// Warn about a `let` of the main module that no pipeline reads (off in
  /// the REPL, where a `let` is declared before the queries that use it).
  bool warnUnusedLets = true;
  /// An `expect` needs a pipeline writing its sink (off in the REPL, whose
  /// pipelines are queries, run one at a time).
  bool testsNeedPipelines = true;
};

class Compiler {
public:
  explicit Compiler(CompilerOptions options);
  ~Compiler();

  SourceManager &sources() { return sources_; }
  DiagnosticEngine &diagnostics() { return diags_; }
  const CompilerOptions &options() const { return options_; }
  /// Sets a param's value (as text); it is typed against the declaration
  /// when the program is analysed.
  void setParam(const std::string &name, const std::string &value, const std::string &origin = "") {
    options_.params[name] = value;
    if (origin.empty())
      options_.paramOrigins.erase(name);
    else
      options_.paramOrigins[name] = origin;
  }

  /// Reads \p path and every module it imports. A missing main file is
  /// reported without a location.
  bool load(const std::string &path);
  /// Adds an in-memory buffer as one more module of the program, under a
  /// display name for messages (the REPL's `<input>`), and loads what it
  /// imports: `import "x.stream"` relative to the directory of \p name (the
  /// working directory for a name without one). The last module loaded is
  /// the main module. Returns false after reporting errors.
  bool loadBuffer(const std::string &name, std::string text);
  /// Type-checks the loaded program.
  bool analyze();
  /// Builds the logical plan of the checked program.
  bool buildPlan();
  /// Runs the optimisation passes on the plan (timings on stderr with
  /// --time-passes).
  bool optimize();

  FileId mainFile() const { return mainFile_; }
  Program &program() { return program_; }
  Sema &sema() { return sema_; }
  Plan *plan() { return plan_.get(); }

private:
  CompilerOptions options_;
  SourceManager sources_;
  DiagnosticEngine diags_;
  Program program_;
  Sema sema_;
  std::unique_ptr<Plan> plan_;
  FileId mainFile_ = 0;
};

} // namespace streamc
