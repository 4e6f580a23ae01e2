#include "repl/Repl.h"

#include "plan/ExprWalker.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "repl/Completion.h"
#include "repl/Interrupt.h"
#include "repl/LineEditor.h"
#include "repl/QueryRunner.h"
#include "repl/StatementReader.h"

#include <chrono>
#include <iostream>

namespace streamc::repl {

namespace {

constexpr const char *kPrompt = "streamc> ";
constexpr const char *kContinuationPrompt = "     ...> ";

CompilerOptions compilerOptions(const ReplOptions &options) {
  CompilerOptions c;
  c.stdlibDir = options.stdlibDir;
  c.warnUnusedLets = false; // a let is declared before the queries that read it
  c.testsNeedPipelines = false; // the pipelines a test runs are queries here
  return c;
}

/// Whether the query writes to a sink the session declared (not only to
/// the table): it is then a pipeline of the program the session saves.
bool writesDeclaredSink(const Plan &plan) {
  for (const auto &op : plan.operators())
    if (auto *sink = llvm::dyn_cast<LogicalSink>(op.get()); sink && sink->decl)
      return true;
  return false;
}

/// The offset of the first character that is not a blank, or npos.
size_t firstNonBlank(const std::string &text) { return text.find_first_not_of(" \t\r\n"); }

} // namespace

int runRepl(const ReplOptions &options) {
  Repl repl(options, std::cout, std::cerr);
  return options.interactive ? repl.runInteractive() : repl.runScript(std::cin);
}

Repl::Repl(const ReplOptions &options, std::ostream &out, std::ostream &err)
    : options_(options), out_(out), err_(err), compiler_(compilerOptions(options)) {}

int Repl::runInteractive() {
  SigintScope ctrlC; // Ctrl-C clears the line or stops a query; it never ends the REPL
  LineEditor editor(options_.historyPath,
                    [this](std::string_view before) { return complete(before, session_); });
  out_ << "streamc " << STREAMC_VERSION
       << " \u00b7 :help lists the commands \u00b7 Ctrl-D or :quit leaves\n";
  out_.flush();
  StatementReader reader;
  std::string line;
  for (;;) {
    switch (editor.readLine(reader.empty() ? kPrompt : kContinuationPrompt, line)) {
    case LineEditor::Read::End:
      out_ << '\n';
      return 0;
    case LineEditor::Read::Interrupted:
      takeInterrupt();
      reader.clear();
      continue;
    case LineEditor::Read::Line:
      break;
    }
    editor.remember(line);
    if (!reader.empty() && !reader.complete() && reader.interruptedBy(line) &&
        !handle(reader.take()))
      return 0;
    reader.addLine(line);
    if (reader.blank()) {
      reader.clear();
      continue;
    }
    if (!reader.complete())
      continue;
    takeInterrupt(); // from here, Ctrl-C cancels this statement's query
    if (!handle(reader.take()))
      return 0;
  }
}

int Repl::runScript(std::istream &in) {
  ScriptReader reader;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    for (const std::string &statement : reader.addLine(line))
      if (!handle(statement))
        return failed_ ? 1 : 0;
  }
  for (const std::string &statement : reader.finish())
    if (!handle(statement))
      break;
  return failed_ ? 1 : 0;
}

bool Repl::handle(const std::string &text) {
  size_t start = firstNonBlank(text);
  if (start == std::string::npos)
    return true;
  if (text[start] == ':')
    return command(text);
  enter(text);
  return true;
}

void Repl::report(Compiler &compiler) {
  out_.flush();
  compiler.diagnostics().flush(err_, options_.color);
  err_.flush();
}

std::unique_ptr<Compiler> Repl::checkAgainstSession(const Snippet &input,
                                                    const std::set<std::string> &replaced) {
  bool loaded = false;
  auto checked = compiler_.load(session_, input, replaced, loaded);
  bool ok = checked->analyze() && loaded;
  // An error outside the input is in a session declaration that depends on
  // a name the input redeclares.
  bool inSession = false;
  for (const Diagnostic &d : checked->diagnostics().diagnostics())
    inSession |= d.level == DiagLevel::Error && d.range.isValid() &&
                 checked->sources().name(d.range.file) != input.name;
  report(*checked);
  if (ok)
    return checked;
  if (inSession && !replaced.empty()) {
    std::string names;
    for (const std::string &n : replaced)
      names += (names.empty() ? "'" : ", '") + n + "'";
    err_ << "note: declarations of the session depend on " << names
         << "; the previous definition is kept\n";
  }
  fail();
  return nullptr;
}

void Repl::accept(std::vector<Declaration> declarations, Compiler &checked) {
  for (Declaration &d : declarations) {
    Stmt::Kind kind = d.kind, previous = d.kind;
    std::string name = d.name, target = d.importTarget;
    switch (session_.add(std::move(d), &previous)) {
    case Session::Added::New:
      if (kind == Stmt::Kind::Import)
        out_ << "imported " << target << '\n';
      else
        out_ << "defined " << kindName(kind) << ' ' << name << '\n';
      break;
    case Session::Added::Replaced:
      out_ << "replaced " << kindName(kind) << ' ' << name;
      if (previous != kind)
        out_ << " (was " << (previous == Stmt::Kind::Import ? "an " : "a ") << kindName(previous)
             << ")";
      out_ << '\n';
      break;
    case Session::Added::AlreadyImported:
      out_ << target << " is already imported\n";
      break;
    }
  }
  std::map<std::string, RecordTypeRef> records;
  std::vector<std::string> names;
  SessionCompiler::collectInfo(checked, records, names);
  session_.setCheckedInfo(std::move(records), std::move(names));
  out_.flush();
}

void Repl::enter(const std::string &text) {
  Snippet input{"<input>", text};
  // Split the input into statements; syntax errors stop here.
  bool loaded = false;
  auto parsed = compiler_.loadAlone(input, loaded);
  if (!loaded) {
    size_t start = firstNonBlank(text);
    if (start != std::string::npos && text[start] == '|') {
      // The line before ended the pipeline: it already ran.
      parsed->diagnostics().clear();
      parsed->diagnostics().error(
          SourceRange(parsed->mainFile(), static_cast<uint32_t>(start),
                      static_cast<uint32_t>(start + 1)),
          "a statement cannot start with '|': to continue a pipeline on the next line, end "
          "the line with '|'");
    }
    report(*parsed);
    fail();
    return;
  }
  std::vector<Declaration> declarations;
  std::vector<Snippet> pipelines;
  SessionCompiler::splitStatements(*parsed, declarations, pipelines);

  if (!declarations.empty()) {
    // The declarations (with the pipelines that may use them) must check
    // with the session before any is accepted.
    std::set<std::string> replaced;
    for (const Declaration &d : declarations)
      if (session_.find(d.name))
        replaced.insert(d.name);
    auto checked = checkAgainstSession(input, replaced);
    if (!checked)
      return;
    accept(std::move(declarations), *checked);
  }
  for (const Snippet &pipeline : pipelines)
    runPipeline(pipeline);
}

void Repl::runPipeline(const Snippet &pipeline) {
  auto compileStart = std::chrono::steady_clock::now();
  bool loaded = false;
  auto compiler = compiler_.load(session_, pipeline, {}, loaded);
  bool ok = compiler->analyze() && loaded && compiler->buildPlan() && compiler->optimize();
  if (ok) {
    const Plan &plan = *compiler->plan();
    DiagnosticEngine &diags = compiler->diagnostics();
    // A param the query reads (still there after inlining) needs a value.
    std::map<const ParamDecl *, SourceRange> unset; // and where the query reads it
    for (const auto &op : plan.operators())
      forEachExpr(*op, [&](const PlanExpr &root, ExprPhase) {
        root.walk([&](const PlanExpr &e) {
          if (e.kind == PlanExpr::Kind::Param && !plan.paramValues.count(e.param))
            unset.emplace(e.param, e.range);
        });
      });
    for (const auto &[p, use] : unset)
      diags
          .error(p->nameRange, "param '" + p->name +
                                   "' has no value: declare it again with a default (param " +
                                   p->name + ": ... = value)")
          .notes.push_back({use, "read here"});
    if (!options_.interactive)
      for (const auto &op : plan.operators())
        if (auto *src = llvm::dyn_cast<LogicalSource>(op.get());
            src && src->connectorKind == SRT_CONNECTOR_STDIN)
          diags.error(src->range, "source '" + src->sourceName +
                                      "' reads standard input, which holds the REPL's statements "
                                      "when they come from a script");
    ok = !diags.hasErrors();
  }
  if (!ok) {
    report(*compiler);
    fail();
    return;
  }
  report(*compiler); // warnings before the rows
  QueryOptions query;
  query.optLevel = options_.optLevel;
  query.limit = limit_;
  query.compileStart = compileStart;
  int status = runQuery(*compiler->plan(), compiler->diagnostics(), query, out_);
  report(*compiler);
  if (status != 0)
    fail();
  else
    session_.addQuery(pipeline.text, writesDeclaredSink(*compiler->plan()));
}

} // namespace streamc::repl
