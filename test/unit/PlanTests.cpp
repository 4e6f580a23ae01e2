#include "driver/Compiler.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalSource.h"
#include "plan/Plan.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace streamc;

namespace {
/// Compiles a program from text through the optimiser.
std::unique_ptr<Compiler> compile(const std::string &text, std::vector<std::string> disabled = {}) {
  std::string path = ::testing::TempDir() + "plan_test.stream";
  std::ofstream(path) << text;
  CompilerOptions options;
  options.stdlibDir = STREAMC_SOURCE_STDLIB;
  options.disabledPasses = std::move(disabled);
  auto c = std::make_unique<Compiler>(options);
  EXPECT_TRUE(c->load(path));
  EXPECT_TRUE(c->analyze());
  EXPECT_TRUE(c->buildPlan());
  EXPECT_TRUE(c->optimize());
  return c;
}

const char *kProgram = R"(
schema Click { ts: timestamp, user: string, url: string, latency_ms: i64, region: string? }
param threshold: i64 = 500
fn slow(ms: i64) -> bool = ms > threshold
source clicks: Click = file("c.csv") with event_time = ts
from clicks | where slow(latency_ms) | extend { s: latency_ms / 1000.0 } | select { url, s }
)";
} // namespace

TEST(Plan, FusesStatelessOperatorsAndPrunesFields) {
  auto c = compile(kProgram);
  const Plan &plan = *c->plan();
  int fused = 0;
  for (const auto &op : plan.operators()) {
    if (auto *f = llvm::dyn_cast<LogicalFused>(op.get())) {
      ++fused;
      EXPECT_EQ(f->steps.size(), 3u);
    }
    if (auto *s = llvm::dyn_cast<LogicalSource>(op.get()))
      EXPECT_EQ(s->readFields, (std::vector<bool>{true, false, true, true, false}));
  }
  EXPECT_EQ(fused, 1);
  EXPECT_TRUE(verifyPlan(plan).empty());
}

TEST(Plan, DisabledFusionLeavesOperatorsApart) {
  auto c = compile(kProgram, {"fusion"});
  for (const auto &op : c->plan()->operators())
    EXPECT_NE(op->kind(), LogicalOperator::Kind::Fused);
}

TEST(Plan, VerifierCatchesABrokenPlan) {
  auto c = compile(kProgram, {"fusion"});
  Plan &plan = *c->plan();
  // Make a filter read a field that does not exist.
  for (const auto &op : plan.operators())
    if (op->kind() == LogicalOperator::Kind::Filter) {
      auto bad = PlanExpr::field(42, "nope", Type::boolean(), {});
      static_cast<LogicalFilter *>(op.get())->condition = std::move(bad);
    }
  auto problems = verifyPlan(plan);
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].find("field 'nope' is out of range"), std::string::npos);
}
