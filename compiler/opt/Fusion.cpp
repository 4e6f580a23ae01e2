/// \file
/// Pass `fusion`: merges each run of consecutive stateless operators
/// (`where`, `select`, `extend`) into one fused stage, which code generation
/// compiles into a single loop body with no materialised records between
/// the steps. A run ends where a stream fans out or an operator is stateful.

#include "opt/Pass.h"
#include "plan/LogicalFused.h"

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
    bool changed = false;
    for (LogicalOperator *head : plan.topologicalOrder()) {
      if (!isStateless(head) || fused_.count(head))
        continue;
      // Extend the run while the current operator has exactly one consumer
      // and that consumer is stateless with this as its only input.
      std::vector<LogicalOperator *> run{head};
      for (;;) {
        auto consumers = plan.consumersOf(run.back());
        if (consumers.size() != 1 || !isStateless(consumers[0]) || consumers[0]->inputs.size() != 1)
          break;
        run.push_back(consumers[0]);
      }
      for (LogicalOperator *op : run)
        fused_.insert(op);
      if (run.size() < 2)
        continue;

      auto fused = std::make_unique<LogicalFused>();
      fused->inputs = head->inputs;
      fused->output = run.back()->output;
      fused->range = head->range;
      fused->eventTime = run.back()->eventTime;
      LogicalFused *f = plan.add(std::move(fused));
      plan.replaceUses(run.back(), f);
      for (LogicalOperator *op : run) {
        std::unique_ptr<LogicalOperator> owned = plan.release(op);
        owned->inputs.clear();
        f->steps.push_back(std::move(owned));
      }
      changed = true;
    }
    fused_.clear();
    return changed;
  }

private:
  std::set<const LogicalOperator *> fused_;
};

} // namespace

std::unique_ptr<Pass> createFusionPass() { return std::make_unique<FusionPass>(); }

} // namespace streamc
