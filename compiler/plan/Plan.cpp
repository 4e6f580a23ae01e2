#include "plan/Plan.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <algorithm>
#include <functional>
#include <map>

namespace streamc {

void Plan::remove(LogicalOperator *op) {
  operators_.erase(std::remove_if(operators_.begin(), operators_.end(),
                                  [&](const auto &p) { return p.get() == op; }),
                   operators_.end());
}

std::unique_ptr<LogicalOperator> Plan::release(LogicalOperator *op) {
  for (auto it = operators_.begin(); it != operators_.end(); ++it)
    if (it->get() == op) {
      std::unique_ptr<LogicalOperator> out = std::move(*it);
      operators_.erase(it);
      return out;
    }
  return nullptr;
}

void Plan::replaceUses(LogicalOperator *from, LogicalOperator *to) {
  for (auto &op : operators_)
    for (auto *&in : op->inputs)
      if (in == from)
        in = to;
}

std::vector<LogicalOperator *> Plan::topologicalOrder() const {
  // Depth-first from each operator in creation order, inputs first; with an
  // explicit stack, as a pipeline may have any number of stages.
  std::unordered_map<const LogicalOperator *, bool> visited; // true: done
  std::vector<LogicalOperator *> order;
  order.reserve(operators_.size());
  struct Frame {
    LogicalOperator *op;
    size_t next; ///< the next input to visit
  };
  std::vector<Frame> stack;
  for (const auto &root : operators_) {
    if (visited.count(root.get()))
      continue;
    visited[root.get()] = false;
    stack.push_back({root.get(), 0});
    while (!stack.empty()) {
      Frame &f = stack.back();
      if (f.next < f.op->inputs.size()) {
        LogicalOperator *in = f.op->inputs[f.next++];
        if (!visited.count(in)) { // a cycle (the verifier reports it) is cut
          visited[in] = false;
          stack.push_back({in, 0});
        }
        continue;
      }
      visited[f.op] = true;
      order.push_back(f.op);
      stack.pop_back();
    }
  }
  return order;
}

std::unordered_map<const LogicalOperator *, std::vector<LogicalOperator *>>
Plan::consumerMap() const {
  std::unordered_map<const LogicalOperator *, std::vector<LogicalOperator *>> out;
  for (const auto &o : operators_)
    for (size_t i = 0; i < o->inputs.size(); ++i)
      // An operator reading one input twice (a self-union) consumes it once.
      if (std::find(o->inputs.begin(), o->inputs.begin() + i, o->inputs[i]) ==
          o->inputs.begin() + i)
        out[o->inputs[i]].push_back(o.get());
  return out;
}

std::vector<std::unique_ptr<LogicalOperator>>
Plan::release(const std::unordered_set<const LogicalOperator *> &ops) {
  std::vector<std::unique_ptr<LogicalOperator>> out;
  std::vector<std::unique_ptr<LogicalOperator>> kept;
  for (auto &op : operators_)
    (ops.count(op.get()) ? out : kept).push_back(std::move(op));
  operators_ = std::move(kept);
  return out;
}

std::vector<LogicalOperator *> Plan::consumersOf(const LogicalOperator *op) const {
  std::vector<LogicalOperator *> out;
  for (const auto &o : operators_)
    for (LogicalOperator *in : o->inputs)
      if (in == op) {
        out.push_back(o.get());
        break;
      }
  return out;
}

std::string namedExprList(const std::vector<std::string> &names,
                          const std::vector<PlanExprPtr> &exprs) {
  std::string s = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i)
      s += ", ";
    if (exprs[i]->kind == PlanExpr::Kind::Field && exprs[i]->name == names[i])
      s += names[i];
    else
      s += names[i] + ": " + exprs[i]->str();
  }
  return s + "}";
}

} // namespace streamc
