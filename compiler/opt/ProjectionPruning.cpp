/// \file
/// Pass `projection-pruning`: works out, backwards from the sinks, which
/// fields of each record are ever read, and records on every source the
/// fields its reader must parse. A source's event-time field is always read.

#include "opt/Pass.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalJoin.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalProject.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/LogicalUnnest.h"
#include "plan/LogicalWindowAggregate.h"

#include <map>

namespace streamc {
namespace {

using llvm::cast;
using Need = std::vector<bool>;

class ProjectionPruningPass : public Pass {
public:
  const char *name() const override { return "projection-pruning"; }
  const char *description() const override { return "find the fields each source must read"; }

  bool run(Plan &plan, const PassOptions &) override {
    needs_.clear();
    auto order = plan.topologicalOrder();
    bool changed = false;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      LogicalOperator *op = *it;
      Need out = needOf(op);
      switch (op->kind()) {
      case LogicalOperator::Kind::Source: {
        auto *src = cast<LogicalSource>(op);
        if (src->eventTimeField >= 0)
          out[src->eventTimeField] = true;
        changed |= src->readFields != out;
        src->readFields = out;
        break;
      }
      case LogicalOperator::Kind::Sink: {
        auto *sink = cast<LogicalSink>(op);
        for (size_t i = 0; i < op->inputs.size(); ++i) {
          // A sink writes every field; a late input carries the window's
          // input records.
          LogicalOperator *in = op->inputs[i];
          if (sink->lateInput[i])
            lateNeedsAll_.insert(in);
          else
            require(in, Need(in->output->fields.size(), true));
        }
        break;
      }
      case LogicalOperator::Kind::FanOut:
        require(op->inputs[0], out);
        break;
      case LogicalOperator::Kind::Union: // same fields in the same places
        for (LogicalOperator *in : op->inputs)
          require(in, out);
        break;
      case LogicalOperator::Kind::Fused: {
        auto &steps = cast<LogicalFused>(op)->steps;
        Need cur = out;
        for (auto s = steps.rbegin(); s != steps.rend(); ++s) {
          const RecordType &in =
              s + 1 != steps.rend() ? *(*(s + 1))->output : *op->inputs[0]->output;
          cur = stateless(**s, in, cur);
        }
        require(op->inputs[0], cur);
        break;
      }
      case LogicalOperator::Kind::Filter:
      case LogicalOperator::Kind::Project:
        require(op->inputs[0], stateless(*op, *op->inputs[0]->output, out));
        break;
      case LogicalOperator::Kind::WindowAggregate: {
        auto *w = cast<LogicalWindowAggregate>(op);
        LogicalOperator *in = op->inputs[0];
        Need need(in->output->fields.size(), lateNeedsAll_.count(op) != 0);
        for (const auto &k : w->keys)
          mark(*k, need);
        for (const auto &a : w->aggregates)
          for (const auto &arg : a.args)
            mark(*arg, need);
        require(in, need);
        break;
      }
      case LogicalOperator::Kind::Lookup: {
        auto *l = cast<LogicalLookup>(op);
        LogicalOperator *in = op->inputs[0];
        Need need(out.begin(), out.begin() + in->output->fields.size());
        mark(*l->key, need);
        require(in, need);
        break;
      }
      case LogicalOperator::Kind::Unnest: {
        // The input's fields in their places; the piece is not read from it.
        auto *u = cast<LogicalUnnest>(op);
        LogicalOperator *in = op->inputs[0];
        Need need(out.begin(), out.begin() + in->output->fields.size());
        if (static_cast<size_t>(u->fieldIndex) < need.size())
          need[u->fieldIndex] = false;
        mark(*u->string, need);
        require(in, need);
        break;
      }
      case LogicalOperator::Kind::Join: {
        auto *j = cast<LogicalJoin>(op);
        LogicalOperator *self = op->inputs[0], *other = op->inputs[1];
        size_t n = self->output->fields.size();
        Need selfNeed(out.begin(), out.begin() + n);
        Need otherNeed(out.begin() + n, out.end());
        mark(*j->condition, selfNeed);
        std::set<int> otherFields;
        j->condition->collectOtherFields(otherFields);
        for (int f : otherFields)
          otherNeed[f] = true;
        require(self, selfNeed);
        require(other, otherNeed);
        break;
      }
      }
    }
    lateNeedsAll_.clear();
    return changed;
  }

private:
  Need needOf(LogicalOperator *op) {
    auto it = needs_.find(op);
    if (it != needs_.end())
      return it->second;
    return Need(op->output ? op->output->fields.size() : 0, false);
  }

  void require(LogicalOperator *op, const Need &need) {
    Need &cur = needs_[op];
    if (cur.size() != need.size())
      cur.assign(need.size(), false);
    for (size_t i = 0; i < need.size(); ++i)
      cur[i] = cur[i] || need[i];
  }

  static void mark(const PlanExpr &e, Need &need) {
    std::set<int> fields;
    e.collectFields(fields);
    for (int f : fields)
      if (f >= 0 && static_cast<size_t>(f) < need.size())
        need[f] = true;
  }

  /// The input fields a filter or projection needs to produce \p out.
  static Need stateless(const LogicalOperator &op, const RecordType &in, const Need &out) {
    Need need(in.fields.size(), false);
    if (auto *f = llvm::dyn_cast<LogicalFilter>(&op)) {
      need = out;
      mark(*f->condition, need);
      return need;
    }
    auto &p = cast<LogicalProject>(op);
    for (const auto &e : p.exprs)
      mark(*e, need);
    if (p.isExtend) {
      // Input fields pass through unless an item replaces them.
      for (size_t i = 0; i < in.fields.size(); ++i) {
        bool replaced = false;
        for (const auto &n : p.names)
          replaced |= n == in.fields[i].name;
        int outIdx = op.output->indexOf(in.fields[i].name);
        if (!replaced && outIdx >= 0 && out[outIdx])
          need[i] = true;
      }
    }
    return need;
  }

  std::map<const LogicalOperator *, Need> needs_;
  std::set<const LogicalOperator *> lateNeedsAll_;
};

} // namespace

std::unique_ptr<Pass> createProjectionPruningPass() {
  return std::make_unique<ProjectionPruningPass>();
}

} // namespace streamc
