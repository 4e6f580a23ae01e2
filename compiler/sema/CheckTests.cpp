/// \file
/// The checks of `test` statements (LANGUAGE.md §8), after every other
/// statement: a `given` names a source (or a table) and a connector that can
/// feed it records of its schema; an `expect` names a sink some pipeline
/// writes and a connector its expected records are read from (a file of
/// records of the type the sink is written). Test names are their own:
/// they do not clash with the program's names, only with other tests.

#include "sema/Connectors.h"
#include "sema/Sema.h"

#include <map>
#include <set>

namespace streamc {

using llvm::dyn_cast;
using llvm::isa;

void Sema::checkTests(Module &module) {
  for (StmtPtr &s : module.stmts)
    if (auto *t = dyn_cast<TestDecl>(s.get()))
      checkTest(*t);
}

void Sema::checkTest(TestDecl &t) {
  auto [it, first] = tests_.emplace(t.name, &t);
  if (!first) {
    Diagnostic &d = diags_.error(t.nameRange, "test '" + t.name + "' is already declared");
    d.notes.push_back({it->second->nameRange, "previous test '" + t.name + "'"});
  }
  auto namesOf = [&](std::initializer_list<Stmt::Kind> kinds) {
    std::vector<std::string> names;
    for (const auto &[n, s] : symbols_)
      for (Stmt::Kind k : kinds)
        if (s->kind() == k)
          names.push_back(n);
    return names;
  };

  std::map<std::string, SourceRange> given;
  for (TestDecl::Given &g : t.given) {
    const Stmt *s = lookup(g.source);
    auto *source = s ? dyn_cast<SourceDecl>(s) : nullptr;
    auto *table = s ? dyn_cast<TableDecl>(s) : nullptr;
    if (!source && !table) {
      diags_.error(g.sourceRange,
                   s ? "'" + g.source +
                           "' is not a source or a table: 'given' replaces a "
                           "source's connector"
                     : "unknown source '" + g.source + "'" +
                           didYouMean(g.source, namesOf({Stmt::Kind::Source, Stmt::Kind::Table})));
      continue;
    }
    if (auto [at, added] = given.emplace(g.source, g.sourceRange); !added) {
      Diagnostic &d = diags_.error(g.sourceRange, "source '" + g.source + "' is given twice");
      d.notes.push_back({at->second, "first given here"});
      continue;
    }
    checkDecl(*const_cast<Stmt *>(s));
    RecordTypeRef schema = source ? source->recordType : table->recordType;
    if (schema)
      checkConnector(*g.connector,
                     static_cast<int>(source ? ConnectorRole::Source : ConnectorRole::Table),
                     schema.get());
  }

  std::map<std::string, SourceRange> expected;
  for (TestDecl::Expect &e : t.expect) {
    const Stmt *s = lookup(e.sink);
    auto *sink = s ? dyn_cast<SinkDecl>(s) : nullptr;
    if (!sink) {
      diags_.error(e.sinkRange,
                   s ? "'" + e.sink + "' is not a sink: 'expect' compares what a sink is written"
                     : "unknown sink '" + e.sink + "'" +
                           didYouMean(e.sink, namesOf({Stmt::Kind::Sink})));
      continue;
    }
    if (auto [at, added] = expected.emplace(e.sink, e.sinkRange); !added) {
      Diagnostic &d = diags_.error(e.sinkRange, "sink '" + e.sink + "' is expected twice");
      d.notes.push_back({at->second, "first expected here"});
      continue;
    }
    auto shape = sinkShapes_.find(sink);
    if (shape == sinkShapes_.end()) {
      if (testsNeedPipelines_)
        diags_.error(e.sinkRange, "no pipeline writes to sink '" + e.sink + "'");
      continue;
    }
    e.recordType = shape->second.first;
    // The expected records are read as a table is: whole, from a file.
    checkConnector(*e.connector, static_cast<int>(ConnectorRole::Table), e.recordType.get());
  }
  if (t.expect.empty())
    diags_.error(t.nameRange, "test '" + t.name +
                                  "' expects nothing, so it cannot fail: add 'expect <sink> = "
                                  "file(\"...\")'");
}

} // namespace streamc
