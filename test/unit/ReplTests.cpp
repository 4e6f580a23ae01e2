/// The REPL's parts that do not need a terminal: statement splitting, the
/// session, completion and result tables.

#include "repl/Completion.h"
#include "repl/ResultTable.h"
#include "repl/Session.h"
#include "repl/SessionCompiler.h"
#include "repl/StatementReader.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <sstream>

using namespace streamc;
using namespace streamc::repl;

namespace {

/// Feeds lines to a reader; returns whether the statement was complete after each.
std::vector<bool> completeAfterEach(const std::vector<std::string> &lines) {
  StatementReader reader;
  std::vector<bool> out;
  for (const std::string &l : lines) {
    reader.addLine(l);
    out.push_back(reader.complete());
  }
  return out;
}

std::vector<std::string> script(const std::vector<std::string> &lines) {
  ScriptReader reader;
  std::vector<std::string> out;
  for (const std::string &l : lines)
    for (std::string &s : reader.addLine(l))
      out.push_back(std::move(s));
  for (std::string &s : reader.finish())
    out.push_back(std::move(s));
  return out;
}

Declaration decl(Stmt::Kind kind, std::string name, std::string text) {
  Declaration d;
  d.kind = kind;
  d.name = std::move(name);
  d.text = std::move(text);
  return d;
}

} // namespace

TEST(StatementReader, ContinuesWhileABracketIsOpen) {
  EXPECT_EQ(completeAfterEach({"schema A {", "  x: i64,", "}"}),
            (std::vector<bool>{false, false, true}));
  EXPECT_EQ(completeAfterEach({"from s | select { a: f(", "1) }"}),
            (std::vector<bool>{false, true}));
}

TEST(StatementReader, ContinuesAfterATrailingPipeOperatorOrKeyword) {
  EXPECT_EQ(completeAfterEach({"from s |", "where a > 1"}), (std::vector<bool>{false, true}));
  EXPECT_EQ(completeAfterEach({"from s | where a > 1 and", "b < 2"}),
            (std::vector<bool>{false, true}));
  EXPECT_EQ(completeAfterEach({"let x =", "from s"}), (std::vector<bool>{false, true}));
  EXPECT_EQ(completeAfterEach({"from s | where a >", "1"}), (std::vector<bool>{false, true}));
  EXPECT_EQ(completeAfterEach({"source s: S = stdin() with", "event_time = ts"}),
            (std::vector<bool>{false, true}));
}

TEST(StatementReader, IgnoresBracketsAndPipesInStringsAndComments) {
  EXPECT_EQ(completeAfterEach({"from s | where u == \"{ |\""}), (std::vector<bool>{true}));
  EXPECT_EQ(completeAfterEach({"from s // a comment ending with |"}), (std::vector<bool>{true}));
  EXPECT_EQ(completeAfterEach({"from s /* {", "| */"}), (std::vector<bool>{false, true}));
  EXPECT_EQ(completeAfterEach({"from s | where u == \"say \\\"hi\\\" {\""}),
            (std::vector<bool>{true}));
}

TEST(StatementReader, CommandsTakeOneLineButPlanContinues) {
  EXPECT_EQ(completeAfterEach({":load file{1}.stream"}), (std::vector<bool>{true}));
  EXPECT_EQ(completeAfterEach({":plan from s |", "where a"}), (std::vector<bool>{false, true}));
  EXPECT_EQ(completeAfterEach({":plan"}), (std::vector<bool>{true}));
  StatementReader r;
  r.addLine("  :schemas");
  EXPECT_TRUE(r.isCommand());
}

TEST(StatementReader, TakeDropsLeadingCommentLines) {
  StatementReader r;
  r.addLine("// a note");
  EXPECT_TRUE(r.blank());
  r.addLine("");
  r.addLine("from s");
  EXPECT_EQ(r.take(), "from s");
  EXPECT_TRUE(r.empty());
}

TEST(StatementReader, AStatementKeywordInterruptsAnUnclosedOne) {
  StatementReader r;
  r.addLine("schema A { x: i64");
  EXPECT_TRUE(r.interruptedBy("schema B { y: i64 }"));
  EXPECT_TRUE(r.interruptedBy(":quit"));
  EXPECT_FALSE(r.interruptedBy("  y: i64 }"));
  StatementReader let;
  let.addLine("let x =");
  EXPECT_FALSE(let.interruptedBy("  from s"));
}

TEST(ScriptReader, JoinsLinesThatDoNotStartAStatement) {
  EXPECT_EQ(script({"source s: S = stdin()", "  with event_time = ts", "from s", "| where a",
                    "// CHECK: a comment", "", "from s"}),
            (std::vector<std::string>{"source s: S = stdin()\n  with event_time = ts",
                                      "from s\n| where a", "from s"}));
}

TEST(ScriptReader, CommandsEndStatementsAndRunAtOnce) {
  EXPECT_EQ(script({"from s", ":limit 3", "schema A {", "x: i64", "}", ":quit"}),
            (std::vector<std::string>{"from s", ":limit 3", "schema A {\nx: i64\n}", ":quit"}));
  EXPECT_EQ(script({"schema A { x: i64", "schema B { y: i64 }"}),
            (std::vector<std::string>{"schema A { x: i64", "schema B { y: i64 }"}));
  EXPECT_EQ(script({"// only comments", "/* and", "more */"}), (std::vector<std::string>{}));
}

TEST(ScriptReader, AnUnterminatedCommentIsAStatementOfItsOwn) {
  // From the line of its `/*`, so that compiling it reports the comment;
  // the complete statement before it stays apart.
  EXPECT_EQ(script({"/* never closed", "schema A { x: i64 }"}),
            (std::vector<std::string>{"/* never closed\nschema A { x: i64 }"}));
  EXPECT_EQ(script({"schema A { x: i64 }", "", "  /* never closed", "from s"}),
            (std::vector<std::string>{"schema A { x: i64 }", "  /* never closed\nfrom s"}));
  // A closed comment before code on its last line belongs to the statement.
  EXPECT_EQ(script({"/* two", "  lines */ schema A { x: i64 }"}),
            (std::vector<std::string>{"/* two\n  lines */ schema A { x: i64 }"}));
}

TEST(Session, ReplacesByNameInPlace) {
  Session s;
  Stmt::Kind previous = Stmt::Kind::Import;
  EXPECT_EQ(s.add(decl(Stmt::Kind::Schema, "A", "schema A { x: i64 }")), Session::Added::New);
  EXPECT_EQ(s.add(decl(Stmt::Kind::Param, "p", "param p: i64 = 1")), Session::Added::New);
  EXPECT_EQ(s.add(decl(Stmt::Kind::Sink, "A", "sink A = stdout()"), &previous),
            Session::Added::Replaced);
  EXPECT_EQ(previous, Stmt::Kind::Schema);
  ASSERT_EQ(s.declarations().size(), 2u);
  EXPECT_EQ(s.declarations()[0].text, "sink A = stdout()");
  EXPECT_EQ(s.find("p")->kind, Stmt::Kind::Param);
  EXPECT_EQ(s.find("q"), nullptr);
}

TEST(Session, ImportsOnceAndSavesInOrder) {
  Session s;
  Declaration imp = decl(Stmt::Kind::Import, "", "import std.stats");
  imp.importTarget = "std.stats";
  EXPECT_EQ(s.add(imp), Session::Added::New);
  EXPECT_EQ(s.add(imp), Session::Added::AlreadyImported);
  s.add(decl(Stmt::Kind::Schema, "A", "schema A {\n  x: i64,\n}"));
  s.add(decl(Stmt::Kind::Source, "a", "source a: A = stdin()"));
  s.add(decl(Stmt::Kind::Source, "b", "source b: A = stdin()"));
  s.addQuery("from a\n| where x > 1");
  EXPECT_EQ(s.toStreamFile(), "// Saved from a streamc REPL session.\n"
                              "\n"
                              "import std.stats\n"
                              "\n"
                              "schema A {\n  x: i64,\n}\n"
                              "\n"
                              "source a: A = stdin()\n"
                              "source b: A = stdin()\n"
                              "\n"
                              "// Queries run in the session:\n"
                              "// from a\n"
                              "// | where x > 1\n");
  s.clear();
  EXPECT_TRUE(s.declarations().empty());
  EXPECT_TRUE(s.queries().empty());
}

TEST(SessionCompiler, PositionsSnippetsWhereTheyWereWritten) {
  Snippet s{"<input>", "from x", 3, 5};
  EXPECT_EQ(s.positioned(), "\n\n    from x");
  Declaration typed = decl(Stmt::Kind::Source, "clicks", "source clicks: C = stdin()");
  EXPECT_EQ(SessionCompiler::bufferName(typed), "<source clicks>");
  typed.origin = "lib/app.stream";
  EXPECT_EQ(SessionCompiler::bufferName(typed), "lib/app.stream");
}

TEST(Completion, KeywordsNamesAndFields) {
  Session s;
  auto click = std::make_shared<RecordType>();
  click->fields = {{"latency_ms", Type::i64()}, {"url", Type::string()}};
  s.setCheckedInfo({{"clicks", click}}, {"clicks", "threshold"});
  EXPECT_EQ(complete("from cl", s).candidates, (std::vector<std::string>{"clicks"}));
  Completions c = complete("from clicks | where lat", s);
  EXPECT_EQ(c.wordStart, 20u);
  EXPECT_EQ(c.candidates, (std::vector<std::string>{"late", "latency_ms"}));
  // Context-free: `when` (of case) is offered too.
  EXPECT_EQ(complete("from clicks | wh", s).candidates,
            (std::vector<std::string>{"when", "where"}));
  EXPECT_EQ(complete("from clicks | where x > thr", s).candidates,
            (std::vector<std::string>{"threshold"}));
  // Type names and built-in functions too.
  EXPECT_EQ(complete("schema A { t: timest", s).candidates,
            (std::vector<std::string>{"timestamp"}));
  EXPECT_EQ(complete("from clicks | select { l: low", s).candidates,
            (std::vector<std::string>{"lower"}));
}

TEST(Completion, CommandsAndTheirArguments) {
  Session s;
  auto rec = std::make_shared<RecordType>();
  s.setCheckedInfo({{"Click", rec}, {"clicks", rec}}, {"Click", "clicks", "p"});
  EXPECT_EQ(complete(":sch", s).candidates, (std::vector<std::string>{":schema", ":schemas"}));
  EXPECT_EQ(complete(":schema c", s).candidates, (std::vector<std::string>{"clicks"}));
  EXPECT_EQ(complete(":q", s).candidates, (std::vector<std::string>{":quit"}));
  EXPECT_EQ(commonPrefix({":schema", ":schemas"}), ":schema");
}

TEST(ResultTable, BoundedTableKeepsTheFirstRowsAndCountsTheRest) {
  struct Row {
    int64_t n;
    srt_str s;
  };
  srt_field fields[] = {{"n", SRT_I64, offsetof(Row, n), -1, 1},
                        {"word", SRT_STRING, offsetof(Row, s), -1, 1}};
  srt_layout layout{2, sizeof(Row), fields};
  RecordType type;
  type.fields = {{"n", Type::i64()}, {"word", Type::string()}};
  std::ostringstream out;
  ResultTable table(out, type, 2, /*streaming=*/false);
  Row rows[] = {{7, {"a\tb", 3}}, {1234, {"x", 1}}, {5, {"ignored", 7}}};
  for (const Row &r : rows)
    table.add(layout, &r);
  EXPECT_EQ(out.str(), ""); // nothing until the query ends
  table.finish();
  EXPECT_EQ(table.rows(), 3);
  EXPECT_EQ(out.str(), "n     word\n"
                       "----  ----\n"
                       "   7  a\\tb\n"
                       "1234  x\n"
                       "\u2026 1 more row\n");
}

TEST(ResultTable, StreamingTablePrintsRowsAsTheyCome) {
  struct Row {
    int64_t n;
  };
  srt_field fields[] = {{"n", SRT_I64, 0, -1, 1}};
  srt_layout layout{1, sizeof(Row), fields};
  RecordType type;
  type.fields = {{"n", Type::i64()}};
  std::ostringstream out;
  ResultTable table(out, type, 1, /*streaming=*/true);
  EXPECT_EQ(out.str(), "n\n--------\n"); // the header at once
  Row a{1}, b{123456789012};
  table.add(layout, &a);
  EXPECT_EQ(out.str(), "n\n--------\n       1\n");
  table.add(layout, &b);
  table.add(layout, &a);
  table.finish();
  EXPECT_EQ(out.str(), "n\n--------\n       1\n123456789012\n           1\n");
  EXPECT_EQ(countRows(1), "1 row");
  EXPECT_EQ(countRows(0), "0 rows");
}
