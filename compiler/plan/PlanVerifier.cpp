/// \file
/// The plan's invariants, checked after it is built and after every pass.
/// A violation is a compiler bug, never a user error.

#include "plan/ExprWalker.h"
#include "plan/LogicalDistinct.h"
#include "plan/LogicalFanOut.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalJoin.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalOver.h"
#include "plan/LogicalProject.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/LogicalTop.h"
#include "plan/LogicalUnion.h"
#include "plan/LogicalUnnest.h"
#include "plan/LogicalWindowAggregate.h"
#include "plan/Plan.h"

#include <set>

namespace streamc {

namespace {

class Verifier {
public:
  explicit Verifier(std::vector<std::string> &problems) : problems_(problems) {}

  void op(const LogicalOperator &o, const std::set<const LogicalOperator *> &all) {
    where_ = std::string(o.name()) + " " + o.details();
    if (!o.output)
      fail("has no output type");
    for (const LogicalOperator *in : o.inputs)
      if (!in || !all.count(in))
        fail("has an input that is not in the plan");
    if (!problems_.empty())
      return;
    const RecordType *in = o.inputs.empty() ? nullptr : o.inputs[0]->output.get();
    body(o, in);
  }

private:
  void body(const LogicalOperator &o, const RecordType *in) {
    using llvm::cast;
    auto arity = [&](size_t n) {
      if (!inFusedStep_ && o.inputs.size() != n)
        fail("has " + std::to_string(o.inputs.size()) + " inputs, expected " + std::to_string(n));
    };
    switch (o.kind()) {
    case LogicalOperator::Kind::Source: {
      auto &s = cast<LogicalSource>(o);
      if (!o.inputs.empty())
        fail("a source has inputs");
      if (!s.readFields.empty() && s.readFields.size() != s.output->fields.size())
        fail("readFields does not match the schema");
      if (s.eventTimeField >= 0 && s.readFields.size() && !s.readFields[s.eventTimeField])
        fail("the event-time field is not read");
      return;
    }
    case LogicalOperator::Kind::Filter:
      if (in) {
        arity(1);
        expr(*cast<LogicalFilter>(o).condition, in, nullptr, false);
        if (cast<LogicalFilter>(o).condition->type.kind != TypeKind::Bool)
          fail("the condition is not bool");
        sameFields(*in, *o.output);
      }
      return;
    case LogicalOperator::Kind::Project: {
      auto &p = cast<LogicalProject>(o);
      if (!in)
        return;
      if (p.names.size() != p.exprs.size())
        fail("names and expressions differ in number");
      for (size_t i = 0; i < p.exprs.size(); ++i) {
        expr(*p.exprs[i], in, nullptr, false);
        const Field *f = o.output->find(p.names[i]);
        if (!f)
          fail("item '" + p.names[i] + "' is not in the output");
        else if (f->type.kind != p.exprs[i]->type.kind && !p.exprs[i]->type.isNullLiteral())
          fail("item '" + p.names[i] + "' has type " + p.exprs[i]->type.str() +
               " but the output says " + f->type.str());
      }
      if (!p.isExtend && p.names.size() != o.output->fields.size())
        fail("a select's output is not exactly its items");
      return;
    }
    case LogicalOperator::Kind::WindowAggregate: {
      auto &w = cast<LogicalWindowAggregate>(o);
      arity(1);
      for (const auto &k : w.keys)
        expr(*k, in, nullptr, false);
      for (const auto &a : w.aggregates)
        for (const auto &arg : a.args)
          expr(*arg, in, nullptr, false);
      RecordType keys;
      for (size_t i = 0; i < w.keys.size(); ++i)
        keys.fields.push_back({w.keyNames[i], w.keys[i]->type});
      for (const auto &e : w.entries) {
        expr(*e, &keys, nullptr, true);
        e->walk([&](const PlanExpr &x) {
          if (x.kind == PlanExpr::Kind::AggRef &&
              (x.index < 0 || static_cast<size_t>(x.index) >= w.aggregates.size()))
            fail("refers to a missing aggregate");
        });
      }
      if (o.output->fields.size() != 2 + w.keys.size() + w.entries.size())
        fail("the output is not window_start, window_end, keys, entries");
      return;
    }
    case LogicalOperator::Kind::Lookup: {
      auto &l = cast<LogicalLookup>(o);
      arity(1);
      expr(*l.key, in, nullptr, false);
      if (o.output->fields.size() != in->fields.size() + l.tableType->fields.size())
        fail("the output is not the input's fields then the table's");
      return;
    }
    case LogicalOperator::Kind::Over: {
      auto &v = cast<LogicalOver>(o);
      arity(1);
      for (const auto &k : v.keys)
        expr(*k, in, nullptr, false);
      for (const auto &a : v.aggregates)
        for (const auto &arg : a.args)
          expr(*arg, in, nullptr, false);
      for (size_t i = 0; i < v.entries.size(); ++i) {
        expr(*v.entries[i], in, nullptr, true);
        v.entries[i]->walk([&](const PlanExpr &x) {
          if (x.kind == PlanExpr::Kind::AggRef &&
              (x.index < 0 || static_cast<size_t>(x.index) >= v.aggregates.size()))
            fail("refers to a missing aggregate");
        });
        int at = v.entryIndex[i];
        if (at < 0 || static_cast<size_t>(at) >= o.output->fields.size() ||
            o.output->fields[at].name != v.entryNames[i])
          fail("entry '" + v.entryNames[i] + "' is not where the output has it");
      }
      return;
    }
    case LogicalOperator::Kind::Top: {
      auto &t = cast<LogicalTop>(o);
      arity(1);
      expr(*t.order, in, nullptr, false);
      for (const auto &k : t.per)
        expr(*k, in, nullptr, false);
      if (o.output->fields.size() != in->fields.size() + 1 ||
          o.output->fields.back().name != "rank")
        fail("does not append 'rank' to its input's fields");
      return;
    }
    case LogicalOperator::Kind::Distinct: {
      arity(1);
      for (const auto &k : cast<LogicalDistinct>(o).keys)
        expr(*k, in, nullptr, false);
      if (o.output->str() != in->str())
        fail("does not pass its input's records on unchanged");
      return;
    }
    case LogicalOperator::Kind::Unnest: {
      auto &u = cast<LogicalUnnest>(o);
      arity(1);
      expr(*u.string, in, nullptr, false);
      if (u.string->type.kind != TypeKind::String && !u.string->type.isNullLiteral())
        fail("splits a " + u.string->type.str());
      if (u.separator.empty())
        fail("has an empty separator");
      size_t added = u.fieldIndex == static_cast<int>(in->fields.size()) ? 1 : 0;
      if (u.fieldIndex < 0 || static_cast<size_t>(u.fieldIndex) > in->fields.size() ||
          o.output->fields.size() != in->fields.size() + added ||
          o.output->fields[u.fieldIndex].name != u.field ||
          o.output->fields[u.fieldIndex].type.kind != TypeKind::String)
        fail("the output is not the input's fields with the piece");
      return;
    }
    case LogicalOperator::Kind::Join: {
      auto &j = cast<LogicalJoin>(o);
      arity(2);
      if (o.inputs.size() == 2)
        expr(*j.condition, in, o.inputs[1]->output.get(), false);
      return;
    }
    case LogicalOperator::Kind::Union:
      if (o.inputs.size() < 2)
        fail("a union has fewer than two inputs");
      if (cast<LogicalUnion>(o).inputNames.size() != o.inputs.size())
        fail("a union's input names do not match its inputs");
      for (const LogicalOperator *input : o.inputs)
        if (input->output)
          unionInput(*input->output, *o.output);
      return;
    case LogicalOperator::Kind::FanOut:
      arity(1);
      if (in)
        sameFields(*in, *o.output);
      return;
    case LogicalOperator::Kind::Fused: {
      auto &f = cast<LogicalFused>(o);
      arity(1);
      if (f.steps.empty())
        fail("a fused stage has no steps");
      const RecordType *cur = in;
      for (const auto &step : f.steps) {
        if (!step->inputs.empty())
          fail("a fused step keeps an input");
        if (step->kind() != LogicalOperator::Kind::Filter &&
            step->kind() != LogicalOperator::Kind::Project)
          fail(std::string("a fused step is not stateless: ") + step->name());
        inFusedStep_ = true;
        body(*step, cur);
        inFusedStep_ = false;
        cur = step->output.get();
      }
      if (cur)
        sameFields(*cur, *o.output);
      return;
    }
    case LogicalOperator::Kind::Sink: {
      auto &s = cast<LogicalSink>(o);
      if (o.inputs.empty())
        fail("a sink has no input");
      if (s.lateInput.size() != o.inputs.size() || s.keys.size() != o.inputs.size())
        fail("per-input annotations do not match the inputs");
      for (size_t i = 0; i < s.keys.size() && i < o.inputs.size(); ++i) {
        if (!s.keys[i])
          continue;
        // A late input carries the window's input records.
        const LogicalOperator *in = o.inputs[i];
        const RecordType *rec =
            s.lateInput[i] && !in->inputs.empty() ? in->inputs[0]->output.get() : in->output.get();
        expr(*s.keys[i], rec, nullptr, false);
      }
      return;
    }
    }
  }

  void expr(const PlanExpr &e, const RecordType *in, const RecordType *other, bool entry) {
    e.walk([&](const PlanExpr &x) {
      switch (x.kind) {
      case PlanExpr::Kind::Field:
        if (!in || x.index < 0 || static_cast<size_t>(x.index) >= in->fields.size())
          fail("field '" + x.name + "' is out of range");
        else if (in->fields[x.index].type != x.type)
          fail("field '" + x.name + "' has type " + x.type.str() + " but the record says " +
               in->fields[x.index].type.str());
        break;
      case PlanExpr::Kind::OtherField:
        if (!other || x.index < 0 || static_cast<size_t>(x.index) >= other->fields.size())
          fail("other-side field '" + x.name + "' is out of range");
        break;
      case PlanExpr::Kind::FnArg:
        fail("an fn argument outside an fn body");
        break;
      case PlanExpr::Kind::AggRef:
        if (!entry)
          fail("an aggregate result outside a window's entries");
        break;
      case PlanExpr::Kind::Binary:
      case PlanExpr::Kind::If:
        if (x.children.size() != (x.kind == PlanExpr::Kind::If ? 3u : 2u)) {
          fail("wrong number of operands");
          break;
        }
        // Logic is over bools: a null literal there was typed bool?.
        if (x.kind == PlanExpr::Kind::If ||
            (x.binaryOp == BinaryOp::And || x.binaryOp == BinaryOp::Or))
          for (size_t i = 0; i < (x.kind == PlanExpr::Kind::If ? 1u : 2u); ++i)
            if (x.children[i]->type.kind != TypeKind::Bool)
              fail("operand of " + x.str() + " is not bool but " + x.children[i]->type.str());
        break;
      case PlanExpr::Kind::Unary:
        if (x.unaryOp == UnaryOp::Not && x.children[0]->type.kind != TypeKind::Bool)
          fail("operand of " + x.str() + " is not bool but " + x.children[0]->type.str());
        break;
      default:
        break;
      }
    });
  }

  /// A union's input: the output's names and kinds in order, `T` where the
  /// output may have `T?` (never the reverse).
  void unionInput(const RecordType &in, const RecordType &out) {
    bool ok = in.fields.size() == out.fields.size();
    for (size_t i = 0; ok && i < in.fields.size(); ++i) {
      const Type &a = in.fields[i].type, &b = out.fields[i].type;
      ok = in.fields[i].name == out.fields[i].name && a.kind == b.kind &&
           (!a.nullable || b.nullable);
    }
    if (!ok)
      fail("a union input's records " + in.str() + " do not fit its output " + out.str());
  }

  void sameFields(const RecordType &a, const RecordType &b) {
    if (a.str() != b.str())
      fail("changes the record type from " + a.str() + " to " + b.str());
  }

  void fail(const std::string &msg) { problems_.push_back(where_ + ": " + msg); }

  std::vector<std::string> &problems_;
  std::string where_;
  bool inFusedStep_ = false;
};

} // namespace

std::vector<std::string> verifyPlan(const Plan &plan) {
  std::vector<std::string> problems;
  std::set<const LogicalOperator *> all;
  for (const auto &op : plan.operators())
    all.insert(op.get());
  // Acyclic: every input comes before its consumer in the topological order.
  auto order = plan.topologicalOrder();
  std::set<const LogicalOperator *> seen;
  for (const LogicalOperator *op : order) {
    for (const LogicalOperator *in : op->inputs)
      if (all.count(in) && !seen.count(in))
        problems.push_back(std::string(op->name()) + ": the plan has a cycle");
    seen.insert(op);
  }
  Verifier v(problems);
  for (const auto &op : plan.operators())
    v.op(*op, all);
  // What a program computes at start-up has no record to read.
  forEachExpr(
      plan,
      [&](const PlanExpr &root, ExprPhase) {
        root.walk([&](const PlanExpr &x) {
          if (x.kind == PlanExpr::Kind::Field || x.kind == PlanExpr::Kind::OtherField ||
              x.kind == PlanExpr::Kind::AggRef)
            problems.push_back("start-up expression " + root.str() + ": reads a record");
        });
      },
      ExprSet::StartUp);
  return problems;
}

} // namespace streamc
