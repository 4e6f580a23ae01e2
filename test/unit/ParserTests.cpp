#include "parse/Parser.h"

#include <gtest/gtest.h>

using namespace streamc;
using llvm::cast;
using llvm::isa;

namespace {
struct Parsed {
  SourceManager sm;
  DiagnosticEngine diags{sm};
  std::unique_ptr<Module> module;
  explicit Parsed(const std::string &text) {
    FileId f = sm.addBuffer("t.stream", text);
    module = parseFile(sm, f, diags);
  }
};
} // namespace

TEST(Parser, BuildsExpressionsWithPrecedence) {
  Parsed p("param x: bool = 1 + 2 * 3 > 4 and not false or true");
  ASSERT_FALSE(p.diags.hasErrors());
  auto &param = cast<ParamDecl>(*p.module->stmts[0]);
  auto &orExpr = cast<BinaryExpr>(*param.defaultValue);
  EXPECT_EQ(orExpr.op, BinaryOp::Or);
  auto &andExpr = cast<BinaryExpr>(*orExpr.lhs);
  EXPECT_EQ(andExpr.op, BinaryOp::And);
  auto &gt = cast<BinaryExpr>(*andExpr.lhs);
  EXPECT_EQ(gt.op, BinaryOp::Gt);
  auto &add = cast<BinaryExpr>(*gt.lhs);
  EXPECT_EQ(add.op, BinaryOp::Add);
  EXPECT_TRUE(isa<BinaryExpr>(*add.rhs));
  EXPECT_TRUE(isa<UnaryExpr>(*andExpr.rhs));
}

TEST(Parser, LiteralsAreDecoded) {
  Parsed p(R"(param d: duration = 1_500ms
param s: string = "a\tb\u00e9\""
param n: i64 = -9223372036854775808)");
  ASSERT_FALSE(p.diags.hasErrors());
  EXPECT_EQ(cast<DurationLiteral>(*cast<ParamDecl>(*p.module->stmts[0]).defaultValue).millis, 1500);
  EXPECT_EQ(cast<StringLiteral>(*cast<ParamDecl>(*p.module->stmts[1]).defaultValue).value,
            "a\tb\xc3\xa9\"");
  EXPECT_EQ(cast<IntLiteral>(*cast<ParamDecl>(*p.module->stmts[2]).defaultValue).value, INT64_MIN);
}

TEST(Parser, EveryNodeHasARange) {
  Parsed p("schema S { a: i64 }\nfrom s | where a > 1");
  ASSERT_EQ(p.module->stmts.size(), 2u);
  auto &pipe = cast<PipelineStmt>(*p.module->stmts[1]);
  auto &where = cast<WhereStage>(*pipe.pipeline->stages[0]);
  LineCol lc = p.sm.lineCol(where.cond->range().start());
  EXPECT_EQ(lc.line, 2u);
  EXPECT_EQ(lc.column, 16u);
  EXPECT_EQ(where.cond->range().end - where.cond->range().begin, 5u);
}

TEST(Parser, RecoversPerStatementAndRemembersBrokenNames) {
  Parsed p("schema S { a: i64\nsource s: S = stdin()\nsink o = stdout(\nfrom s | into o");
  EXPECT_EQ(p.diags.errorCount(), 2u);
  ASSERT_EQ(p.module->stmts.size(), 2u); // the source and the pipeline
  EXPECT_EQ(p.module->brokenNames, (std::vector<std::string>{"S", "o"}));
}

TEST(Parser, LexerCoversEveryCharacter) {
  SourceManager sm;
  DiagnosticEngine diags(sm);
  FileId f = sm.addBuffer("t.stream", "from x # y /* never closed");
  auto tokens = lexFile(sm, f, diags);
  EXPECT_EQ(diags.errorCount(), 2u); // '#' and the open comment
  ASSERT_EQ(tokens.size(), 4u);      // from, x, y, EOF
  EXPECT_EQ(tokens[0].kind, "FROM");
  EXPECT_EQ(tokens[3].kind, "EOF");
}
