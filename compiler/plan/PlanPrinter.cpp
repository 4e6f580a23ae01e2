/// \file
/// Text (`--emit=plan`, `--emit=plan-opt`) and graphviz (`--emit=dot`) dumps
/// of a plan. Both are deterministic: operators are numbered in topological
/// order.

#include "plan/LogicalSink.h"
#include "plan/Plan.h"

#include <map>
#include <ostream>

namespace streamc {

namespace {
std::map<const LogicalOperator *, int> numbering(const std::vector<LogicalOperator *> &order) {
  std::map<const LogicalOperator *, int> ids;
  for (size_t i = 0; i < order.size(); ++i)
    ids[order[i]] = static_cast<int>(i);
  return ids;
}

std::string dotEscape(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}
} // namespace

void printPlan(std::ostream &os, const Plan &plan, const SourceManager &sm) {
  auto order = plan.topologicalOrder();
  auto ids = numbering(order);
  os << "plan " << plan.fileName << "\n";
  for (const LogicalOperator *op : order) {
    os << "#" << ids[op] << " " << op->name();
    if (!op->inputs.empty()) {
      os << " [";
      const auto *sink = llvm::dyn_cast<LogicalSink>(op);
      for (size_t i = 0; i < op->inputs.size(); ++i) {
        os << (i ? ", " : "") << "#" << ids[op->inputs[i]];
        if (sink && sink->lateInput[i])
          os << " late";
      }
      os << "]";
    }
    os << " " << op->details();
    if (op->range.isValid())
      os << "  <" << sm.describe(op->range.start()) << ">";
    os << "\n";
    for (const std::string &line : op->extraLines())
      os << "    " << line << "\n";
    if (!llvm::isa<LogicalSink>(op))
      os << "    -> " << op->output->str() << "\n";
  }
}

void printPlanDot(std::ostream &os, const Plan &plan) {
  auto order = plan.topologicalOrder();
  auto ids = numbering(order);
  os << "digraph plan {\n"
     << "  rankdir=LR;\n"
     << "  node [shape=box, fontname=\"monospace\", fontsize=10];\n";
  for (const LogicalOperator *op : order) {
    std::string label =
        "#" + std::to_string(ids[op]) + " " + op->name() + "\\n" + dotEscape(op->details());
    for (const std::string &line : op->extraLines())
      label += "\\l  " + dotEscape(line);
    if (!op->extraLines().empty())
      label += "\\l";
    const char *shape = llvm::isa<LogicalSink>(op)                    ? "house"
                        : op->kind() == LogicalOperator::Kind::Source ? "invhouse"
                                                                      : "box";
    os << "  n" << ids[op] << " [shape=" << shape << ", label=\"" << label << "\"];\n";
  }
  for (const LogicalOperator *op : order) {
    const auto *sink = llvm::dyn_cast<LogicalSink>(op);
    for (size_t i = 0; i < op->inputs.size(); ++i) {
      os << "  n" << ids[op->inputs[i]] << " -> n" << ids[op];
      if (sink && sink->lateInput[i])
        os << " [style=dashed, label=\"late\"]";
      else if (op->kind() == LogicalOperator::Kind::Join && i == 1)
        os << " [label=\"other\"]";
      os << ";\n";
    }
  }
  os << "}\n";
}

} // namespace streamc
