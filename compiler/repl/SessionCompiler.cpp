#include "repl/SessionCompiler.h"

#include <algorithm>

namespace streamc::repl {

std::string Snippet::positioned() const {
  std::string out(line > 1 ? line - 1 : 0, '\n');
  out.append(column > 1 ? column - 1 : 0, ' ');
  return out + text;
}

std::string SessionCompiler::bufferName(const Declaration &d) {
  if (!d.typed())
    return d.origin;
  if (d.kind == Stmt::Kind::Import)
    return "<import>";
  return "<" + std::string(kindName(d.kind)) + " " + d.name + ">";
}

std::unique_ptr<Compiler> SessionCompiler::load(const Session &session, const Snippet &input,
                                                const std::set<std::string> &replaced,
                                                bool &loaded) const {
  auto compiler = std::make_unique<Compiler>(options_);
  loaded = true;
  for (const Declaration &d : session.declarations()) {
    if (!d.name.empty() && replaced.count(d.name))
      continue;
    Snippet s{bufferName(d), d.text, d.typed() ? 1 : d.line, d.typed() ? 1 : d.column};
    loaded &= compiler->loadBuffer(s.name, s.positioned());
  }
  loaded &= compiler->loadBuffer(input.name, input.positioned());
  return compiler;
}

std::unique_ptr<Compiler> SessionCompiler::loadAlone(const Snippet &input, bool &loaded) const {
  auto compiler = std::make_unique<Compiler>(options_);
  loaded = compiler->loadBuffer(input.name, input.positioned());
  return compiler;
}

void SessionCompiler::splitStatements(Compiler &compiler, std::vector<Declaration> &declarations,
                                      std::vector<Snippet> &pipelines) {
  const SourceManager &sm = compiler.sources();
  FileId file = compiler.mainFile();
  std::string_view text = sm.text(file);
  for (const StmtPtr &s : compiler.program().main->stmts) {
    SourceRange r = s->range();
    LineCol at = sm.lineCol(r.start());
    std::string slice(text.substr(r.begin, r.end - r.begin));
    if (llvm::isa<PipelineStmt>(s.get())) {
      pipelines.push_back(Snippet{sm.name(file), std::move(slice), at.line, at.column});
      continue;
    }
    Declaration d;
    d.kind = s->kind();
    d.name = s->name;
    if (auto *import = llvm::dyn_cast<ImportDecl>(s.get()))
      d.importTarget = import->target;
    d.text = std::move(slice);
    d.origin = sm.name(file);
    d.line = at.line;
    d.column = at.column;
    declarations.push_back(std::move(d));
  }
}

void SessionCompiler::collectInfo(Compiler &compiler, std::map<std::string, RecordTypeRef> &records,
                                  std::vector<std::string> &names) {
  for (const auto &module : compiler.program().modules)
    for (const StmtPtr &s : module->stmts) {
      if (s->name.empty())
        continue;
      names.push_back(s->name);
      RecordTypeRef type;
      if (auto *schema = llvm::dyn_cast<SchemaDecl>(s.get()))
        type = schema->recordType;
      else if (auto *source = llvm::dyn_cast<SourceDecl>(s.get()))
        type = source->recordType;
      else if (auto *table = llvm::dyn_cast<TableDecl>(s.get()))
        type = table->recordType;
      else if (llvm::isa<LetDecl>(s.get()))
        type = compiler.sema().streamInfo(s.get()).type;
      if (type)
        records[s->name] = type;
    }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

} // namespace streamc::repl
