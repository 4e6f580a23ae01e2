/// \file
/// Pass `fusion`: merges each run of consecutive stateless operators
/// (`where`, `select`, `extend`) into one fused stage, which code generation
/// compiles into a single loop body with no materialised records between
/// the steps. A run ends where a stream fans out or an operator is stateful.

#include "opt/Pass.h"
#include "plan/LogicalFused.h"

#include <unordered_map>
#include <unordered_set>

namespace streamc {
namespace {

bool isStateless(const LogicalOperator *op) {
  return op->kind() == LogicalOperator::Kind::Filter ||
         op->kind() == LogicalOperator::Kind::Project;
}

class FusionPass : public Pass {
public:
  const char *name() const override { return "fusion"; }
  const char *description() const override {
    return "fuse consecutive stateless operators into one stage";
  }

  bool run(Plan &plan, const PassOptions &) override {
    // Linear in the plan: the consumers are found once, and every fused
    // operator leaves the plan in one pass at the end.
    auto consumers = plan.consumerMap();
    auto consumersOf = [&](const LogicalOperator *op) -> const std::vector<LogicalOperator *> & {
      static const std::vector<LogicalOperator *> none;
      auto it = consumers.find(op);
      return it == consumers.end() ? none : it->second;
    };
    std::unordered_set<const LogicalOperator *> fused;
    std::vector<std::pair<LogicalFused *, std::vector<LogicalOperator *>>> stages;
    for (LogicalOperator *head : plan.topologicalOrder()) {
      if (!isStateless(head) || fused.count(head))
        continue;
      // Extend the run while the current operator has exactly one consumer
      // and that consumer is stateless with this as its only input.
      std::vector<LogicalOperator *> run{head};
      for (;;) {
        const auto &next = consumersOf(run.back());
        if (next.size() != 1 || !isStateless(next[0]) || next[0]->inputs.size() != 1)
          break;
        run.push_back(next[0]);
      }
      if (run.size() < 2) {
        fused.insert(head); // considered, left alone
        continue;
      }
      auto stage = std::make_unique<LogicalFused>();
      stage->inputs = head->inputs;
      stage->output = run.back()->output;
      stage->range = head->range;
      stage->eventTime = run.back()->eventTime;
      LogicalFused *f = plan.add(std::move(stage));
      for (LogicalOperator *c : consumersOf(run.back()))
        for (LogicalOperator *&in : c->inputs)
          if (in == run.back())
            in = f;
      fused.insert(run.begin(), run.end());
      stages.emplace_back(f, std::move(run));
    }
    if (stages.empty())
      return false;
    std::unordered_set<const LogicalOperator *> moved;
    for (const auto &[f, run] : stages)
      moved.insert(run.begin(), run.end());
    std::unordered_map<const LogicalOperator *, std::unique_ptr<LogicalOperator>> owned;
    for (auto &op : plan.release(moved))
      owned.emplace(op.get(), std::move(op));
    for (const auto &[f, run] : stages)
      for (LogicalOperator *op : run) {
        std::unique_ptr<LogicalOperator> step = std::move(owned.at(op));
        step->inputs.clear();
        f->steps.push_back(std::move(step));
      }
    return true;
  }
};

} // namespace

std::unique_ptr<Pass> createFusionPass() { return std::make_unique<FusionPass>(); }

} // namespace streamc
