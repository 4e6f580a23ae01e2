#include "repl/Session.h"

#include <algorithm>

namespace streamc::repl {

const char *kindName(Stmt::Kind kind) {
  switch (kind) {
  case Stmt::Kind::Import:
    return "import";
  case Stmt::Kind::Schema:
    return "schema";
  case Stmt::Kind::Source:
    return "source";
  case Stmt::Kind::Table:
    return "table";
  case Stmt::Kind::Sink:
    return "sink";
  case Stmt::Kind::Param:
    return "param";
  case Stmt::Kind::Fn:
    return "fn";
  case Stmt::Kind::Let:
    return "let";
  case Stmt::Kind::Pipeline:
    return "pipeline";
  case Stmt::Kind::Test:
    return "test";
  }
  return "declaration";
}

const Declaration *Session::find(const std::string &name) const {
  if (name.empty())
    return nullptr;
  auto it = std::find_if(declarations_.begin(), declarations_.end(),
                         [&](const Declaration &d) { return d.name == name; });
  return it == declarations_.end() ? nullptr : &*it;
}

Session::Added Session::add(Declaration declaration, Stmt::Kind *previous) {
  if (declaration.kind == Stmt::Kind::Import) {
    for (const Declaration &d : declarations_)
      if (d.kind == Stmt::Kind::Import && d.importTarget == declaration.importTarget)
        return Added::AlreadyImported;
    declarations_.push_back(std::move(declaration));
    return Added::New;
  }
  for (Declaration &d : declarations_)
    if (d.name == declaration.name) {
      if (previous)
        *previous = d.kind;
      d = std::move(declaration);
      return Added::Replaced;
    }
  declarations_.push_back(std::move(declaration));
  return Added::New;
}

void Session::addQuery(std::string text, bool writesSink) {
  if (!writesSink) {
    queries_.push_back(std::move(text));
    return;
  }
  if (std::find(pipelines_.begin(), pipelines_.end(), text) == pipelines_.end())
    pipelines_.push_back(std::move(text));
}

std::string Session::toStreamFile() const {
  std::string out = "// Saved from a streamc REPL session.\n";
  Stmt::Kind last = Stmt::Kind::Import;
  bool first = true, lastMultiLine = false;
  for (const Declaration &d : declarations_) {
    // A blank line between groups of declarations, and around multi-line ones.
    bool multiLine = d.text.find('\n') != std::string::npos;
    if (first || d.kind != last || multiLine || lastMultiLine)
      out += '\n';
    out += d.text;
    out += '\n';
    last = d.kind;
    lastMultiLine = multiLine;
    first = false;
  }
  if (!pipelines_.empty()) {
    out += "\n// Pipelines run in the session:\n";
    for (const std::string &p : pipelines_)
      out += p + "\n";
  }
  if (!queries_.empty()) {
    out += "\n// Queries run in the session:\n";
    for (const std::string &q : queries_) {
      size_t start = 0;
      while (start <= q.size()) {
        size_t end = q.find('\n', start);
        if (end == std::string::npos)
          end = q.size();
        out += "// " + q.substr(start, end - start) + "\n";
        start = end + 1;
      }
    }
  }
  return out;
}

} // namespace streamc::repl
