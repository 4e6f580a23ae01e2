#include "plan/PlanBuilder.h"

#include "ast/AstPrinter.h"
#include "plan/LogicalDistinct.h"
#include "plan/LogicalFanOut.h"
#include "plan/LogicalFilter.h"
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
#include "sema/Connectors.h"

#include <functional>
#include <map>
#include <set>

namespace streamc {

using llvm::cast;
using llvm::dyn_cast;

PlanExprPtr coerce(PlanExprPtr e, Type target) {
  if (e->type.isNullLiteral() && !target.isNullLiteral()) {
    e->type = target.withNullable(true);
    e->value.type = e->type;
    return e;
  }
  if (e->type.kind == TypeKind::I64 && target.kind == TypeKind::F64) {
    if (e->isConst() && !e->value.isNull())
      return PlanExpr::constant(Value::f64(static_cast<double>(e->value.asInt())), e->range);
    auto cast =
        std::make_unique<PlanExpr>(PlanExpr::Kind::Call, Type::f64(e->type.nullable), e->range);
    cast->builtin = BuiltinId::ToF64;
    cast->name = "f64";
    cast->children.push_back(std::move(e));
    return cast;
  }
  return e;
}

namespace {

std::string connectorText(const ConnectorCall &c) {
  std::string s = c.name + "(";
  for (size_t i = 0; i < c.args.size(); ++i) {
    if (i)
      s += ", ";
    if (!c.args[i]->name.empty())
      s += c.args[i]->name + ": ";
    s += exprToSource(*c.args[i]->value);
  }
  return s + ")";
}

/// The spec name of each argument of a connector call: its own name, or for
/// a positional argument the name of the spec's positional argument it fills.
std::vector<std::string> connectorArgNames(const ConnectorCall &c) {
  std::vector<std::string> names;
  const ConnectorSpec *spec = findConnector(c.name);
  size_t positional = 0;
  for (const auto &arg : c.args) {
    std::string name = arg->name;
    if (name.empty() && spec) {
      size_t seen = 0;
      for (const auto &a : spec->args)
        if (a.positional && seen++ == positional)
          name = a.name;
      ++positional;
    }
    names.push_back(name);
  }
  return names;
}

/// The constant arguments of a connector call by spec name (positional ones
/// under their spec's name), with the default format filled in.
std::map<std::string, Value> connectorArgs(const ConnectorCall &c, const Sema &sema,
                                           ConnectorRole role) {
  std::map<std::string, Value> out;
  std::vector<std::string> names = connectorArgNames(c);
  for (size_t i = 0; i < c.args.size(); ++i) {
    const auto &arg = c.args[i];
    const std::string &name = names[i];
    if (auto v = sema.evalConstant(*arg->value))
      out[name] = *v;
  }
  const ConnectorSpec *spec = findConnector(c.name);
  if (!out.count("format") && spec->formatUses(role)) { // a connector with a format: its default
    std::string fmt;
    if (spec->kind == SRT_CONNECTOR_FILE && out.count("path") && !out["path"].isNull())
      fmt = formatFromExtension(out["path"].asString());
    out["format"] = Value::string(fmt.empty() ? defaultFormat() : fmt);
  }
  return out;
}

/// What names in an expression refer to while lowering it.
struct LowerScope {
  const RecordType *record = nullptr;
  const RecordType *other = nullptr;
  /// Lowering a window entry: aggregates are collected here.
  std::vector<AggregateCall> *aggregates = nullptr;
  AggregateUse aggregateUse = AggregateUse::Window;
  const RecordType *aggInput = nullptr;
};

class Builder {
public:
  Builder(Program &program, const Sema &sema, const SourceManager &sm)
      : program_(program), sema_(sema), sm_(sm) {}

  std::unique_ptr<Plan> run() {
    plan_ = std::make_unique<Plan>();
    plan_->fileName = sm_.name(program_.main->file);
    for (auto &m : program_.modules)
      for (StmtPtr &s : m->stmts) {
        if (auto *p = dyn_cast<ParamDecl>(s.get())) {
          plan_->params.push_back(p);
          if (const auto &v = sema_.paramValue(p).value)
            plan_->paramValues[p] = *v;
        } else if (auto *sink = dyn_cast<SinkDecl>(s.get())) {
          plan_->declaredSinks.push_back(
              {sink->name, sink->connector->name, findConnector(sink->connector->name)->kind,
               connectorArgs(*sink->connector, sema_, ConnectorRole::Sink),
               connectorArgExprs(*sink->connector)});
        } else if (auto *fn = dyn_cast<FnDecl>(s.get())) {
          LowerScope scope;
          plan_->functions[fn] = coerce(lower(*fn->body, scope), fn->resultType);
        }
      }
    derivedParamDefaults();
    for (auto &m : program_.modules)
      for (StmtPtr &s : m->stmts)
        if (auto *p = dyn_cast<PipelineStmt>(s.get()))
          pipeline(*p->pipeline, nullptr);
    insertFanOuts();
    return std::move(plan_);
  }

private:
  // ------------------------------------------------------------- params
  /// The defaults computed from other params (`param b = a * 2`), in an
  /// order where every param comes after those its default reads: a built
  /// executable computes them at start-up, after `--param` set the others.
  void derivedParamDefaults() {
    std::map<const ParamDecl *, PlanExprPtr> defaults;
    for (const ParamDecl *p : plan_->params) {
      if (!p->defaultValue)
        continue;
      LowerScope none;
      PlanExprPtr e = coerce(lower(*p->defaultValue, none), p->type->resolved);
      bool readsParam = false;
      e->walk([&](const PlanExpr &x) { readsParam |= x.kind == PlanExpr::Kind::Param; });
      if (readsParam)
        defaults[p] = std::move(e);
    }
    std::set<const ParamDecl *> placed;
    // Sema rejected cycles, so the depth-first walk ends.
    std::function<void(const ParamDecl *)> place = [&](const ParamDecl *p) {
      auto it = defaults.find(p);
      if (it == defaults.end() || !placed.insert(p).second)
        return;
      it->second->walk([&](const PlanExpr &x) {
        if (x.kind == PlanExpr::Kind::Param)
          place(x.param);
      });
      plan_->paramDefaults.emplace_back(p, std::move(it->second));
    };
    for (const ParamDecl *p : plan_->params)
      place(p);
  }

  // ------------------------------------------------------------ streams
  LogicalOperator *stream(const std::string &name) {
    const Stmt *s = sema_.lookup(name);
    auto it = streams_.find(s);
    if (it != streams_.end())
      return it->second;
    LogicalOperator *op = nullptr;
    if (auto *src = dyn_cast<SourceDecl>(s)) {
      auto o = std::make_unique<LogicalSource>();
      o->decl = src;
      o->sourceName = src->name;
      o->connector = connectorText(*src->connector);
      o->connectorName = src->connector->name;
      o->connectorKind = findConnector(src->connector->name)->kind;
      o->args = connectorArgs(*src->connector, sema_, ConnectorRole::Source);
      o->argExprs = connectorArgExprs(*src->connector);
      o->eventTimeField = src->eventTimeField;
      o->maxDelayMs = src->maxDelayMs;
      o->idleTimeoutMs = src->idleTimeoutMs;
      for (const auto &opt : src->options)
        if (opt->name == "max_delay") {
          LowerScope none;
          o->maxDelay = lower(*opt->value, none);
        }
      o->output = src->recordType;
      o->range = src->range();
      o->eventTime = src->eventTimeField >= 0;
      o->readFields.assign(src->recordType->fields.size(), true);
      op = plan_->add(std::move(o));
    } else {
      auto *let = cast<LetDecl>(s);
      op = pipeline(*let->pipeline, let);
    }
    streams_[s] = op;
    return op;
  }

  /// Builds a pipeline's operators; returns the last one (for a let).
  LogicalOperator *pipeline(Pipeline &p, const LetDecl *let) {
    LogicalOperator *cur = stream(p.from);
    for (StagePtr &st : p.stages) {
      from_ = p.from; // a let a stage reads builds its own pipeline
      cur = stage(*st, cur);
    }
    if (!let && (p.stages.empty() || !llvm::isa<IntoStage>(*p.stages.back())))
      addToSink(stdoutSink(), cur, nullptr, false);
    return cur;
  }

  template <typename Op> Op *make(LogicalOperator *input, const Stage &st, RecordTypeRef output) {
    auto op = std::make_unique<Op>();
    if (input)
      op->inputs.push_back(input);
    op->output = std::move(output);
    op->range = st.range();
    op->eventTime = input && input->eventTime;
    return plan_->add(std::move(op));
  }

  LogicalOperator *stage(Stage &st, LogicalOperator *in) {
    LowerScope scope;
    scope.record = in->output.get();
    switch (st.kind()) {
    case Stage::Kind::Where: {
      auto *op = make<LogicalFilter>(in, st, in->output);
      op->condition = lower(*cast<WhereStage>(st).cond, scope);
      if (op->condition->type.isNullLiteral())
        op->condition->type = Type::boolean(true);
      return op;
    }
    case Stage::Kind::Select:
    case Stage::Kind::Extend: {
      bool isSelect = st.kind() == Stage::Kind::Select;
      auto &items = isSelect ? cast<SelectStage>(st).items : cast<ExtendStage>(st).items;
      auto *op = make<LogicalProject>(in, st, st.outputType);
      op->isExtend = !isSelect;
      for (auto &item : items) {
        op->names.push_back(item->outputName);
        const Field *f = st.outputType->find(item->outputName);
        op->exprs.push_back(coerce(lower(*item->expr, scope), f->type));
      }
      return op;
    }
    case Stage::Kind::Window:
      return window(cast<WindowStage>(st), in);
    case Stage::Kind::Lookup: {
      auto &l = cast<LookupStage>(st);
      auto *table = cast<TableDecl>(sema_.lookup(l.table));
      auto *op = make<LogicalLookup>(in, st, st.outputType);
      op->table = table;
      op->tableName = table->name;
      op->connector = connectorText(*table->connector);
      op->args = connectorArgs(*table->connector, sema_, ConnectorRole::Table);
      op->argExprs = connectorArgExprs(*table->connector);
      op->tableType = table->recordType;
      op->tableKeyField = table->keyField;
      op->key = lower(*l.key, scope);
      op->keepUnmatched = l.orNull;
      return op;
    }
    case Stage::Kind::Join: {
      auto &j = cast<JoinStage>(st);
      LogicalOperator *other = stream(j.stream);
      auto *op = make<LogicalJoin>(in, st, st.outputType);
      op->inputs.push_back(other);
      op->otherName = j.stream;
      scope.other = other->output.get();
      op->condition = lower(*j.cond, scope);
      if (j.unbounded()) {
        op->beforeMs = op->afterMs = LogicalJoin::kUnbounded;
      } else {
        op->beforeMs = sema_.evalConstant(*j.within)->asInt();
        op->afterMs = j.after ? sema_.evalConstant(*j.after)->asInt() : op->beforeMs;
      }
      op->where = sm_.describe(op->range.start());
      op->eventTime = true;
      return op;
    }
    case Stage::Kind::ExtendOver:
      return extendOver(cast<ExtendOverStage>(st), in);
    case Stage::Kind::Top: {
      auto &t = cast<TopStage>(st);
      auto *op = make<LogicalTop>(in, st, st.outputType);
      LowerScope none;
      op->count = lower(*t.count, none);
      op->n = t.n;
      op->order = lower(*t.order, scope);
      op->descending = t.descending;
      for (const auto &k : t.per)
        op->per.push_back(lower(*k, scope));
      op->wholeInput = t.wholeInput;
      op->where = sm_.describe(op->range.start());
      int start = in->output->indexOf("window_start");
      if (start >= 0 && in->output->fields[start].type.kind == TypeKind::Timestamp)
        op->startField = start;
      return op;
    }
    case Stage::Kind::Distinct: {
      auto &d = cast<DistinctStage>(st);
      auto *op = make<LogicalDistinct>(in, st, st.outputType);
      for (const auto &k : d.keys)
        op->keys.push_back(lower(*k, scope));
      op->withinMs = d.withinMs;
      LowerScope none;
      op->within = lower(*d.within, none);
      op->where = sm_.describe(op->range.start());
      return op;
    }
    case Stage::Kind::Unnest: {
      auto &u = cast<UnnestStage>(st);
      auto *op = make<LogicalUnnest>(in, st, st.outputType);
      op->string = lower(*cast<CallExpr>(*u.split).args[0], scope);
      if (op->string->type.isNullLiteral())
        op->string->type = Type::string(true);
      op->separator = u.separator;
      op->field = u.name;
      op->fieldIndex = st.outputType->indexOf(u.name);
      return op;
    }
    case Stage::Kind::Union: {
      auto &u = cast<UnionStage>(st);
      auto *op = make<LogicalUnion>(in, st, st.outputType);
      op->inputNames.push_back(from_);
      for (const UnionStage::Input &i : u.inputs) {
        op->inputs.push_back(stream(i.name));
        op->inputNames.push_back(i.name);
      }
      return op;
    }
    case Stage::Kind::Into: {
      auto &into = cast<IntoStage>(st);
      LogicalSink *sink = namedSink(into.sink);
      PlanExprPtr key;
      if (const ConnectorArg *k = sink->decl->connector->find("key"))
        key = lower(*k->value, scope);
      addToSink(sink, in, std::move(key), false);
      return in;
    }
    }
    return in;
  }

  LogicalOperator *window(WindowStage &w, LogicalOperator *in) {
    auto *op = make<LogicalWindowAggregate>(in, w, w.outputType);
    op->where = sm_.describe(op->range.start());
    const WindowSpec &spec = *w.spec;
    auto constInt = [&](size_t i) { return sema_.evalConstant(*spec.args[i])->asInt(); };
    for (const auto &arg : spec.args) {
      LowerScope none;
      op->specArgs.push_back(lower(*arg, none));
    }
    if (spec.kind == "tumbling") {
      op->window = LogicalWindowAggregate::WindowKind::Tumbling;
      op->sizeMs = constInt(0);
    } else if (spec.kind == "sliding") {
      op->window = LogicalWindowAggregate::WindowKind::Sliding;
      op->sizeMs = constInt(0);
      op->slideMs = constInt(1);
    } else if (spec.kind == "session") {
      op->window = LogicalWindowAggregate::WindowKind::Session;
      op->sizeMs = constInt(0);
    } else if (spec.kind == "all") { // a count window that never fills (§6)
      op->window = LogicalWindowAggregate::WindowKind::All;
      op->count = INT64_MAX;
    } else {
      op->window = LogicalWindowAggregate::WindowKind::Count;
      op->count = constInt(0);
    }
    LowerScope scope;
    scope.record = in->output.get();
    RecordType keys;
    for (auto &k : w.keys) {
      op->keyNames.push_back(k->outputName);
      op->keys.push_back(lower(*k->expr, scope));
      keys.fields.push_back({k->outputName, k->expr->type});
    }
    LowerScope entry;
    entry.record = &keys;
    entry.aggregates = &op->aggregates;
    using WK = LogicalWindowAggregate::WindowKind;
    if (op->window == WK::Sliding || op->window == WK::Session)
      entry.aggregateUse = AggregateUse::MergingWindow;
    entry.aggInput = in->output.get();
    for (auto &a : w.aggregates) {
      op->entryNames.push_back(a->outputName);
      op->entries.push_back(coerce(lower(*a->expr, entry), a->expr->type));
    }
    // A window's results carry window_end - 1ms in the time domain of its
    // input: event time, or processing time.
    op->eventTime = in->eventTime;
    if (!w.lateSink.empty())
      op->lateSink = addLateSink(w.lateSink, op, scope);
    return op;
  }

  /// \p op's `late into` sink, whose input is \p op's late input records;
  /// a Kafka key is computed over them (\p scope: the input record).
  LogicalSink *addLateSink(const std::string &name, LogicalOperator *op, const LowerScope &scope) {
    LogicalSink *sink = namedSink(name);
    PlanExprPtr key;
    if (const ConnectorArg *k = sink->decl->connector->find("key"))
      key = lower(*k->value, scope);
    addToSink(sink, op, std::move(key), /*late=*/true);
    return sink;
  }

  LogicalOperator *extendOver(const ExtendOverStage &o, LogicalOperator *in) {
    auto *op = make<LogicalOver>(in, o, o.outputType);
    op->where = sm_.describe(op->range.start());
    const std::string &kind = o.frame->kind;
    op->frame = kind == "rows"    ? LogicalOver::FrameKind::Rows
                : kind == "range" ? LogicalOver::FrameKind::Range
                                  : LogicalOver::FrameKind::Unbounded;
    op->rows = o.rows;
    op->rangeMs = o.rangeMs;
    if (!o.frame->args.empty()) {
      LowerScope none;
      op->size = lower(*o.frame->args[0], none);
    }
    LowerScope scope;
    scope.record = in->output.get();
    for (const auto &k : o.keys)
      op->keys.push_back(lower(*k, scope));
    LowerScope entry;
    entry.record = in->output.get();
    entry.aggregates = &op->aggregates;
    entry.aggregateUse = AggregateUse::Frame;
    entry.aggInput = in->output.get();
    for (const auto &item : o.items) {
      op->entryNames.push_back(item->outputName);
      op->entries.push_back(coerce(lower(*item->expr, entry), item->expr->type));
      op->entryIndex.push_back(o.outputType->indexOf(item->outputName));
    }
    op->eventTime = in->eventTime;
    if (!o.lateSink.empty())
      op->lateSink = addLateSink(o.lateSink, op, scope);
    return op;
  }

  /// The constant arguments of a connector as plan expressions, by spec
  /// name (the record-level `key:` of a Kafka sink is not one of them).
  std::map<std::string, PlanExprPtr> connectorArgExprs(const ConnectorCall &c) {
    std::map<std::string, PlanExprPtr> out;
    std::vector<std::string> names = connectorArgNames(c);
    for (size_t i = 0; i < c.args.size(); ++i) {
      const auto &arg = c.args[i];
      const std::string &name = names[i];
      if (name == "key")
        continue;
      LowerScope none;
      out[name] = lower(*arg->value, none);
    }
    return out;
  }

  // -------------------------------------------------------------- sinks
  LogicalSink *namedSink(const std::string &name) {
    auto *decl = cast<SinkDecl>(sema_.lookup(name));
    auto it = sinks_.find(decl);
    if (it != sinks_.end())
      return it->second;
    auto op = std::make_unique<LogicalSink>();
    op->decl = decl;
    op->sinkName = decl->name;
    op->connector = connectorText(*decl->connector);
    op->connectorName = decl->connector->name;
    op->connectorKind = findConnector(decl->connector->name)->kind;
    op->args = connectorArgs(*decl->connector, sema_, ConnectorRole::Sink);
    op->argExprs = connectorArgExprs(*decl->connector);
    op->range = decl->range();
    return sinks_[decl] = plan_->add(std::move(op));
  }

  LogicalSink *stdoutSink() {
    if (!stdout_) {
      auto op = std::make_unique<LogicalSink>();
      op->sinkName = "<stdout>";
      op->connector = "stdout(format: \"" + defaultFormat() + "\")";
      op->connectorKind = SRT_CONNECTOR_STDOUT;
      op->connectorName = connectorOfKind(op->connectorKind).name;
      op->args["format"] = Value::string(defaultFormat());
      stdout_ = plan_->add(std::move(op));
    }
    return stdout_;
  }

  void addToSink(LogicalSink *sink, LogicalOperator *in, PlanExprPtr key, bool late) {
    // A late input sends the window's input records, not its results.
    RecordTypeRef type = late ? in->inputs[0]->output : in->output;
    sink->inputs.push_back(in);
    sink->lateInput.push_back(late);
    sink->keys.push_back(std::move(key));
    if (!sink->output)
      sink->output = type;
  }

  /// Where several operators read one stream, they read it through a
  /// fan-out. (Sinks are fan-in, not fan-out, and are left alone.)
  void insertFanOuts() {
    std::vector<LogicalOperator *> ops;
    for (const auto &op : plan_->operators())
      ops.push_back(op.get());
    // Found once: inserting a fan-out changes only its own stream's readers.
    auto consumers = plan_->consumerMap();
    for (LogicalOperator *op : ops) {
      // Every input slot that reads op's records counts, so a self-join
      // (both sides one stream) is two readers. A window's late port is not
      // a reader of its results.
      std::vector<std::pair<LogicalOperator *, size_t>> readers;
      for (LogicalOperator *c : consumers[op]) {
        auto *sink = dyn_cast<LogicalSink>(c);
        for (size_t i = 0; i < c->inputs.size(); ++i)
          if (c->inputs[i] == op && !(sink && sink->lateInput[i]))
            readers.push_back({c, i});
      }
      if (readers.size() < 2)
        continue;
      auto fan = std::make_unique<LogicalFanOut>();
      fan->inputs.push_back(op);
      fan->output = op->output;
      fan->range = op->range;
      fan->eventTime = op->eventTime;
      fan->consumers = static_cast<int>(readers.size());
      if (auto *src = dyn_cast<LogicalSource>(op))
        fan->streamName = src->sourceName;
      else
        for (const auto &[stmt, o] : streams_)
          if (o == op)
            fan->streamName = stmt->name;
      LogicalFanOut *f = plan_->add(std::move(fan));
      for (auto [c, i] : readers)
        c->inputs[i] = f;
    }
  }

  // -------------------------------------------------------- expressions
  PlanExprPtr lower(const Expr &e, const LowerScope &scope) {
    auto node = [&](PlanExpr::Kind k) { return std::make_unique<PlanExpr>(k, e.type, e.range()); };
    switch (e.kind()) {
    case Expr::Kind::IntLit:
      return PlanExpr::constant(Value::i64(cast<IntLiteral>(e).value), e.range());
    case Expr::Kind::FloatLit:
      return PlanExpr::constant(Value::f64(cast<FloatLiteral>(e).value), e.range());
    case Expr::Kind::StringLit:
      return PlanExpr::constant(Value::string(cast<StringLiteral>(e).value), e.range());
    case Expr::Kind::BoolLit:
      return PlanExpr::constant(Value::boolean(cast<BoolLiteral>(e).value), e.range());
    case Expr::Kind::NullLit:
      return PlanExpr::constant(Value::null(), e.range());
    case Expr::Kind::DurationLit:
      return PlanExpr::constant(Value::duration(cast<DurationLiteral>(e).millis), e.range());
    case Expr::Kind::Name: {
      auto &n = cast<NameExpr>(e);
      switch (n.binding.kind) {
      case NameBinding::Kind::FnParam: {
        auto a = node(PlanExpr::Kind::FnArg);
        a->index = n.binding.index;
        a->name = n.name;
        return a;
      }
      case NameBinding::Kind::Param: {
        auto p = node(PlanExpr::Kind::Param);
        p->param = n.binding.param;
        p->name = n.name;
        return p;
      }
      default:
        return fieldRef(scope.record, n.name, e);
      }
    }
    case Expr::Kind::FieldAccess: {
      auto &f = cast<FieldAccessExpr>(e);
      if (f.binding.kind == NameBinding::Kind::Member) {
        auto m = node(PlanExpr::Kind::Member);
        m->index = f.binding.index;
        m->name = f.field;
        m->children.push_back(lower(*f.base, scope));
        return m;
      }
      if (f.binding.kind == NameBinding::Kind::OtherField) {
        auto o = node(PlanExpr::Kind::OtherField);
        o->index = scope.other->indexOf(f.field);
        o->name = f.field;
        return o;
      }
      return fieldRef(scope.record, f.field, e);
    }
    case Expr::Kind::Unary: {
      auto &u = cast<UnaryExpr>(e);
      auto out = node(PlanExpr::Kind::Unary);
      out->unaryOp = u.op;
      out->children.push_back(coerce(lower(*u.operand, scope), e.type));
      return out;
    }
    case Expr::Kind::Binary: {
      auto &b = cast<BinaryExpr>(e);
      auto out = node(PlanExpr::Kind::Binary);
      out->binaryOp = b.op;
      auto l = lower(*b.lhs, scope), r = lower(*b.rhs, scope);
      // Mixed i64/f64 operands are promoted explicitly.
      if (l->type.kind == TypeKind::F64 || r->type.kind == TypeKind::F64) {
        l = coerce(std::move(l), Type::f64());
        r = coerce(std::move(r), Type::f64());
      }
      // `b and null`: the null literal is a null bool.
      if (b.op == BinaryOp::And || b.op == BinaryOp::Or) {
        l = coerce(std::move(l), Type::boolean());
        r = coerce(std::move(r), Type::boolean());
      }
      out->children.push_back(std::move(l));
      out->children.push_back(std::move(r));
      return out;
    }
    case Expr::Kind::In: {
      auto &in = cast<InExpr>(e);
      auto out = node(PlanExpr::Kind::In);
      out->negated = in.negated;
      Type common = in.operand->type;
      for (const auto &item : in.list)
        if (auto u = unifyTypes(common, item->type))
          common = *u;
      out->children.push_back(coerce(lower(*in.operand, scope), common));
      for (const auto &item : in.list)
        out->children.push_back(coerce(lower(*item, scope), common));
      return out;
    }
    case Expr::Kind::IsNull: {
      auto &n = cast<IsNullExpr>(e);
      auto out = node(PlanExpr::Kind::IsNull);
      out->negated = n.negated;
      out->children.push_back(lower(*n.operand, scope));
      return out;
    }
    case Expr::Kind::If: {
      // `case` arms nest from the last: `when c1 then v1 else (when c2
      // then v2 else ...)`; a `case` without `else` ends in null.
      auto &i = cast<IfExpr>(e);
      PlanExprPtr rest = i.elseExpr ? lower(*i.elseExpr, scope)
                                    : PlanExpr::constant(Value::null(), e.range());
      rest = coerce(std::move(rest), e.type);
      for (size_t k = i.arms.size(); k-- > 0;) {
        auto out = node(PlanExpr::Kind::If);
        out->children.push_back(coerce(lower(*i.arms[k].cond, scope), Type::boolean()));
        out->children.push_back(coerce(lower(*i.arms[k].value, scope), e.type));
        out->children.push_back(std::move(rest));
        rest = std::move(out);
      }
      return rest;
    }
    case Expr::Kind::Call:
      return call(cast<CallExpr>(e), scope);
    }
    return nullptr;
  }

  PlanExprPtr fieldRef(const RecordType *record, const std::string &name, const Expr &e) {
    int idx = record ? record->indexOf(name) : -1;
    Type t = idx >= 0 ? record->fields[idx].type : e.type;
    return PlanExpr::field(idx, name, t, e.range());
  }

  PlanExprPtr call(const CallExpr &c, const LowerScope &scope) {
    if (c.calleeKind == CalleeKind::Aggregate) {
      LowerScope inside;
      inside.record = scope.aggInput;
      AggregateCall agg{c.aggregate, {}, c.type, scope.aggregateUse};
      for (size_t i = 0; i < c.args.size(); ++i)
        if (c.argName(i).empty())
          agg.args.push_back(lower(*c.args[i], inside));
      // Then the named constants in the entry's order, defaults filled in.
      for (const ConstantArg &k : c.aggregate->constantArgs()) {
        if (!k.name)
          continue;
        PlanExprPtr value;
        for (size_t i = 0; i < c.args.size(); ++i)
          if (c.argName(i) == k.name)
            value = lower(*c.args[i], inside);
        if (!value)
          value = PlanExpr::constant(Value::f64(k.defaultValue), c.range());
        agg.args.push_back(std::move(value));
      }
      // The same aggregate written twice is computed once.
      auto &aggs = *scope.aggregates;
      int index = -1;
      for (size_t i = 0; i < aggs.size(); ++i) {
        bool same = aggs[i].fn == agg.fn && aggs[i].args.size() == agg.args.size();
        for (size_t j = 0; same && j < agg.args.size(); ++j)
          same = aggs[i].args[j]->str() == agg.args[j]->str();
        if (same)
          index = static_cast<int>(i);
      }
      if (index < 0) {
        index = static_cast<int>(aggs.size());
        aggs.push_back(std::move(agg));
      }
      auto ref = std::make_unique<PlanExpr>(PlanExpr::Kind::AggRef, c.type, c.range());
      ref->index = index;
      return ref;
    }
    auto out = std::make_unique<PlanExpr>(c.calleeKind == CalleeKind::Fn ? PlanExpr::Kind::FnCall
                                                                         : PlanExpr::Kind::Call,
                                          c.type, c.range());
    out->name = c.callee;
    if (c.calleeKind == CalleeKind::Fn) {
      out->fn = c.fn;
      for (size_t i = 0; i < c.args.size(); ++i)
        out->children.push_back(coerce(lower(*c.args[i], scope), c.fn->params[i]->type->resolved));
      return out;
    }
    out->builtin = c.builtin->id;
    // Arguments that unify to a common type (min, max, coalesce) are
    // promoted to it.
    BuiltinId id = c.builtin->id;
    bool common = id == BuiltinId::Min || id == BuiltinId::Max || id == BuiltinId::Coalesce;
    // The floating-point functions compute on f64 (round's digits stay i64).
    bool floating =
        id == BuiltinId::Sqrt || id == BuiltinId::Exp || id == BuiltinId::Ln ||
        id == BuiltinId::Log10 || id == BuiltinId::Pow || id == BuiltinId::Round ||
        ((id == BuiltinId::Floor || id == BuiltinId::Ceil) && c.type.kind == TypeKind::F64);
    for (size_t i = 0; i < c.args.size(); ++i) {
      PlanExprPtr arg = lower(*c.args[i], scope);
      if (common)
        arg = coerce(std::move(arg), c.type);
      else if (floating && !(id == BuiltinId::Round && i == 1))
        arg = coerce(std::move(arg), Type::f64());
      out->children.push_back(std::move(arg));
    }
    return out;
  }

  Program &program_;
  const Sema &sema_;
  const SourceManager &sm_;
  std::unique_ptr<Plan> plan_;
  std::map<const Stmt *, LogicalOperator *> streams_;
  /// The `from` of the pipeline whose stage is being built.
  std::string from_;
  std::map<const SinkDecl *, LogicalSink *> sinks_;
  LogicalSink *stdout_ = nullptr;
};

} // namespace

std::unique_ptr<Plan> buildPlan(Program &program, const Sema &sema, const SourceManager &sm) {
  return Builder(program, sema, sm).run();
}

} // namespace streamc
