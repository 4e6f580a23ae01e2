#include "plan/Plan.h"

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
  std::map<const LogicalOperator *, int> state; // 0 new, 1 visiting, 2 done
  std::vector<LogicalOperator *> order;
  // Depth-first from each operator in creation order, inputs first.
  std::function<void(LogicalOperator *)> visit = [&](LogicalOperator *op) {
    int &s = state[op];
    if (s != 0)
      return;
    s = 1;
    for (LogicalOperator *in : op->inputs)
      visit(in);
    s = 2;
    order.push_back(op);
  };
  for (const auto &op : operators_)
    visit(op.get());
  return order;
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
