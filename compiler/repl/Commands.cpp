/// \file
/// The REPL's commands: `:help`, `:schema NAME`, `:schemas`, `:plan`,
/// `:llvm`, `:load FILE`, `:save FILE`, `:reset`, `:limit N`, `:quit`.

#include "jit/Jit.h"
#include "repl/Completion.h"
#include "repl/Repl.h"
#include "repl/ResultTable.h"

#include <algorithm>
#include <functional>
#include <cctype>
#include <charconv>
#include <fstream>

namespace streamc::repl {

namespace {

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

/// A file name as typed: quotes around it are dropped.
std::string unquote(std::string s) {
  s = trim(std::move(s));
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

const char *const kHelp = R"(Type declarations and pipelines as in a .stream file:
  schema, source, table, sink, param, fn, let, import
      are added to the session (declaring a name again replaces it)
  from <stream> | <stage> | ...
      is compiled and run at once; without `into` its rows show as a table
A statement continues on the next line while a bracket is open or the line
ends with '|' (or ',', '=', an operator, a keyword such as `and`).
Ctrl-C stops a running query or clears the line; Ctrl-D or :quit leaves.

Commands:
  :help                 this text
  :schema NAME          the fields of a schema, source, table or let
  :schemas              every schema, source, table and let, with its fields
  :plan <pipeline>      the optimised plan of a pipeline (not run)
  :llvm <pipeline>      the LLVM IR of a pipeline (not run)
  :load FILE            add a file's declarations (its pipelines are not run)
  :save FILE            write the session's declarations as a .stream file
  :reset                forget every declaration
  :limit [N]            rows a table shows (default 20)
  :quit                 leave (also :q)
)";

} // namespace

bool Repl::command(const std::string &text) {
  std::string line = trim(text);
  size_t nameEnd = 1;
  while (nameEnd < line.size() &&
         (std::isalnum(static_cast<unsigned char>(line[nameEnd])) || line[nameEnd] == '_'))
    ++nameEnd;
  std::string name = line.substr(1, nameEnd - 1);
  std::string arg = trim(line.substr(nameEnd));

  if (name == "quit" || name == "q" || name == "exit")
    return false;
  if (name == "help" || name == "h" || name == "?")
    help();
  else if (name == "schema")
    showSchema(arg);
  else if (name == "schemas")
    listSchemas();
  else if (name == "plan" || name == "llvm") {
    // The pipeline's column in the typed line, so carets land under it.
    size_t at = text.find(':') + 1 + name.size();
    at = text.find_first_not_of(" \t", at);
    uint32_t column = at == std::string::npos ? 1 : static_cast<uint32_t>(at + 1);
    showCompiled(at == std::string::npos ? "" : text.substr(at), column, name == "llvm");
  } else if (name == "load")
    load(unquote(arg));
  else if (name == "save")
    save(unquote(arg));
  else if (name == "reset") {
    session_.clear();
    out_ << "session cleared\n";
  } else if (name == "limit")
    setLimit(arg);
  else {
    std::vector<std::string> known;
    for (const std::string &c : commandNames())
      known.push_back(c.substr(1));
    std::string near = closestMatch(name, known);
    err_ << "error: unknown command ':" << name << "'"
         << (near.empty() ? "" : "; did you mean ':" + near + "'?") << " (:help lists them)\n";
    fail();
  }
  out_.flush();
  return true;
}

void Repl::help() { out_ << kHelp; }

void Repl::showSchema(const std::string &name) {
  if (name.empty()) {
    err_ << "error: usage: :schema NAME (a schema, source, table or let)\n";
    fail();
    return;
  }
  auto record = session_.records().find(name);
  const Declaration *d = session_.find(name);
  if (record == session_.records().end()) {
    if (d) { // a param, fn or sink: its declaration says it all
      out_ << d->text << '\n';
      return;
    }
    std::vector<std::string> candidates;
    for (const auto &[n, type] : session_.records())
      candidates.push_back(n);
    std::string near = closestMatch(name, candidates);
    err_ << "error: no schema, source, table or let named '" << name << "'"
         << (near.empty() ? "" : "; did you mean '" + near + "'?") << "\n";
    fail();
    return;
  }
  out_ << (d ? kindName(d->kind) : "imported") << ' ' << name << '\n';
  // A nested record's fields come under it, indented.
  std::vector<std::pair<std::string, std::string>> rows;
  std::function<void(const RecordType &, const std::string &)> add =
      [&](const RecordType &type, const std::string &indent) {
        for (const Field &f : type.fields) {
          rows.emplace_back(indent + f.name, f.type.str());
          if (f.type.isRecord() && f.type.record)
            add(*f.type.record, indent + "  ");
        }
      };
  add(*record->second, "");
  size_t width = 0;
  for (const auto &[field, type] : rows)
    width = std::max(width, field.size());
  for (const auto &[field, type] : rows)
    out_ << "  " << field << std::string(width - field.size() + 2, ' ') << type << '\n';
}

void Repl::listSchemas() {
  bool any = false;
  for (const Declaration &d : session_.declarations()) {
    auto record = session_.records().find(d.name);
    if (d.name.empty() || record == session_.records().end())
      continue;
    out_ << kindName(d.kind) << ' ' << d.name << ' ' << record->second->structure() << '\n';
    any = true;
  }
  if (!any)
    out_ << "no schemas, sources, tables or lets yet\n";
}

void Repl::showCompiled(const std::string &pipeline, uint32_t column, bool llvm) {
  if (trim(pipeline).empty()) {
    err_ << "error: usage: " << (llvm ? ":llvm" : ":plan") << " from <stream> | ...\n";
    fail();
    return;
  }
  bool loaded = false;
  auto compiler = compiler_.load(session_, Snippet{"<input>", pipeline, 1, column}, {}, loaded);
  bool ok = compiler->analyze() && loaded;
  if (ok && compiler->program().main->stmts.size() != 1) {
    compiler->diagnostics().error({}, std::string("usage: ") + (llvm ? ":llvm" : ":plan") +
                                          " from <stream> | ... (one pipeline)");
    ok = false;
  }
  if (ok && !llvm::isa<PipelineStmt>(compiler->program().main->stmts.front().get())) {
    compiler->diagnostics().error(compiler->program().main->stmts.front()->range(),
                                  "expected a pipeline (from <stream> | ...)");
    ok = false;
  }
  ok = ok && compiler->buildPlan() && compiler->optimize();
  if (ok) {
    out_.flush();
    if (llvm)
      ok = printLlvm(*compiler->plan(), compiler->diagnostics(), options_.optLevel, out_);
    else
      printPlan(out_, *compiler->plan(), compiler->sources());
  }
  report(*compiler);
  if (!ok)
    fail();
}

void Repl::load(const std::string &path) {
  if (path.empty()) {
    err_ << "error: usage: :load FILE\n";
    fail();
    return;
  }
  // Parse the file (and its imports) on its own first.
  Compiler parsed(compiler_.options());
  bool loaded = parsed.load(path);
  if (!loaded) {
    report(parsed);
    fail();
    return;
  }
  std::vector<Declaration> declarations;
  std::vector<Snippet> pipelines;
  SessionCompiler::splitStatements(parsed, declarations, pipelines);

  // Check its declarations with the session: the pipelines are blanked
  // out, keeping every other character where it is.
  std::string text(parsed.sources().text(parsed.mainFile()));
  for (const StmtPtr &s : parsed.program().main->stmts)
    if (llvm::isa<PipelineStmt>(s.get()))
      for (uint32_t i = s->range().begin; i < s->range().end; ++i)
        if (text[i] != '\n')
          text[i] = ' ';
  std::set<std::string> replaced;
  for (const Declaration &d : declarations)
    if (session_.find(d.name))
      replaced.insert(d.name);
  auto checked = checkAgainstSession(Snippet{path, text}, replaced);
  if (!checked)
    return;
  size_t count = declarations.size();
  accept(std::move(declarations), *checked);
  out_ << "loaded " << count << (count == 1 ? " declaration" : " declarations") << " from " << path;
  if (!pipelines.empty())
    out_ << " (" << pipelines.size() << (pipelines.size() == 1 ? " pipeline" : " pipelines")
         << " not run)";
  out_ << '\n';
}

void Repl::save(const std::string &path) {
  if (path.empty()) {
    err_ << "error: usage: :save FILE\n";
    fail();
    return;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << session_.toStreamFile();
  file.close();
  if (!file) {
    err_ << "error: cannot write '" << path << "'\n";
    fail();
    return;
  }
  size_t count = session_.declarations().size();
  out_ << "saved " << count << (count == 1 ? " declaration" : " declarations") << " to " << path
       << '\n';
}

void Repl::setLimit(const std::string &arg) {
  if (arg.empty()) {
    out_ << "tables show at most " << countRows(static_cast<int64_t>(limit_)) << '\n';
    return;
  }
  size_t n = 0;
  auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
  if (ec != std::errc() || end != arg.data() + arg.size() || n == 0) {
    err_ << "error: :limit expects a positive number of rows, found '" << arg << "'\n";
    fail();
    return;
  }
  limit_ = n;
  out_ << "tables show at most " << countRows(static_cast<int64_t>(limit_)) << '\n';
}

} // namespace streamc::repl
