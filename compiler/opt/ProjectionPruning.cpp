/// \file
/// Pass `projection-pruning`: works out, backwards from the sinks, which
/// fields of each record are ever read, and records on every source the
/// fields its reader must parse. A source's event-time field is always read.

#include "opt/Pass.h"
#include "plan/LogicalDistinct.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalJoin.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalOver.h"
#include "plan/LogicalProject.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/LogicalTop.h"
#include "plan/LogicalUnnest.h"
#include "plan/LogicalWindowAggregate.h"

#include <map>

namespace streamc {
namespace {

using llvm::cast;

/// What is read of each field of a record: nothing, some paths of a nested
/// record (`geo.city` reads "city" of geo), or the whole field.
struct Need {
  enum Level : uint8_t { None, Paths, Whole };
  std::vector<Level> level;
  std::vector<std::set<std::string>> paths; ///< Paths: the dotted paths read

  Need() = default;
  Need(size_t n, bool all) : level(n, all ? Whole : None), paths(n) {}
  size_t size() const { return level.size(); }
  bool read(size_t i) const { return level[i] != None; }
  void whole(size_t i) {
    level[i] = Whole;
    paths[i].clear();
  }
  void path(size_t i, const std::string &p) {
    if (level[i] == Whole)
      return;
    level[i] = Paths;
    paths[i].insert(p);
  }
  void drop(size_t i) {
    level[i] = None;
    paths[i].clear();
  }
  /// Adds what \p o reads of its field \p j to field \p i.
  void add(size_t i, const Need &o, size_t j) {
    if (o.level[j] == Whole)
      whole(i);
    else if (o.level[j] == Paths)
      for (const std::string &p : o.paths[j])
        path(i, p);
  }
  /// Fields [from, to) of \p o.
  static Need slice(const Need &o, size_t from, size_t to) {
    Need n(to - from, false);
    for (size_t i = from; i < to; ++i)
      n.add(i - from, o, i);
    return n;
  }
};

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
          out.whole(static_cast<size_t>(src->eventTimeField));
        std::vector<bool> read(out.size());
        std::vector<std::set<std::string>> paths(out.size());
        for (size_t i = 0; i < out.size(); ++i) {
          read[i] = out.read(i);
          if (out.level[i] == Need::Paths)
            paths[i] = out.paths[i];
        }
        changed |= src->readFields != read || src->readPaths != paths;
        src->readFields = read;
        src->readPaths = paths;
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
        Need need = Need::slice(out, 0, in->output->fields.size());
        mark(*l->key, need);
        require(in, need);
        break;
      }
      case LogicalOperator::Kind::Over: {
        // The record is buffered and passed on whole (its fields in their
        // places, the entries replacing or appended): what is needed after,
        // but the entries, and what the keys, aggregates and entries read.
        auto *v = cast<LogicalOver>(op);
        LogicalOperator *in = op->inputs[0];
        Need need = Need::slice(out, 0, in->output->fields.size());
        for (int at : v->entryIndex)
          if (static_cast<size_t>(at) < need.size())
            need.drop(static_cast<size_t>(at));
        if (lateNeedsAll_.count(op))
          need = Need(in->output->fields.size(), true);
        for (const auto &k : v->keys)
          mark(*k, need);
        for (const auto &a : v->aggregates)
          for (const auto &arg : a.args)
            mark(*arg, need);
        for (const auto &e : v->entries)
          mark(*e, need);
        require(in, need);
        break;
      }
      case LogicalOperator::Kind::Top:
        // Ties are ordered by every field of the row: all of them are read.
        require(op->inputs[0], Need(op->inputs[0]->output->fields.size(), true));
        break;
      case LogicalOperator::Kind::Distinct: {
        // The record passes through: what is needed after, and the keys.
        auto *d = cast<LogicalDistinct>(op);
        Need need = out;
        for (auto &k : d->keys)
          mark(*k, need);
        require(op->inputs[0], need);
        break;
      }
      case LogicalOperator::Kind::Unnest: {
        // The input's fields in their places; the piece is not read from it.
        auto *u = cast<LogicalUnnest>(op);
        LogicalOperator *in = op->inputs[0];
        Need need = Need::slice(out, 0, in->output->fields.size());
        if (static_cast<size_t>(u->fieldIndex) < need.size())
          need.drop(static_cast<size_t>(u->fieldIndex));
        mark(*u->string, need);
        require(in, need);
        break;
      }
      case LogicalOperator::Kind::Join: {
        auto *j = cast<LogicalJoin>(op);
        LogicalOperator *self = op->inputs[0], *other = op->inputs[1];
        size_t n = self->output->fields.size();
        Need selfNeed = Need::slice(out, 0, n);
        Need otherNeed = Need::slice(out, n, out.size());
        mark(*j->condition, selfNeed);
        std::set<int> otherFields;
        j->condition->collectOtherFields(otherFields);
        for (int f : otherFields)
          otherNeed.whole(static_cast<size_t>(f));
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
      cur = Need(need.size(), false);
    for (size_t i = 0; i < need.size(); ++i)
      cur.add(i, need, i);
  }

  /// The fields \p e reads: a field read through `a.b.c` needs only that
  /// path of it, one read as a whole needs all of it.
  static void mark(const PlanExpr &e, Need &need) {
    if (e.kind == PlanExpr::Kind::Member) {
      std::string path = e.name;
      const PlanExpr *base = e.children[0].get();
      while (base->kind == PlanExpr::Kind::Member) {
        path = base->name + "." + path;
        base = base->children[0].get();
      }
      if (base->kind == PlanExpr::Kind::Field) {
        if (base->index >= 0 && static_cast<size_t>(base->index) < need.size())
          need.path(static_cast<size_t>(base->index), path);
        return;
      }
      mark(*base, need);
      return;
    }
    if (e.kind == PlanExpr::Kind::Field && e.index >= 0 &&
        static_cast<size_t>(e.index) < need.size())
      need.whole(static_cast<size_t>(e.index));
    for (const auto &c : e.children)
      mark(*c, need);
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
        if (!replaced && outIdx >= 0)
          need.add(i, out, static_cast<size_t>(outIdx));
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
