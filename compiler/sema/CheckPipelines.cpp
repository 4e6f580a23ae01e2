/// \file
/// Semantic analysis of pipelines: each stage's typing (where, select,
/// extend, window, lookup, join, into), the names later stages use when an
/// earlier one failed, and what sinks require of the records they receive.

#include "sema/Sema.h"

#include "ast/AstPrinter.h"
#include "sema/Builtins.h"
#include "sema/Connectors.h"
#include "sema/Scope.h"

#include <algorithm>

namespace streamc {

using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

void Sema::checkSinkKey(const SinkDecl &sink, const Scope &scope) {
  // A Kafka sink's key is an expression over the records written to it.
  if (const ConnectorArg *key = sink.connector->find("key")) {
    Type kt = checkExpr(*key->value, scope);
    if (!kt.isError() && kt.kind != TypeKind::String && kt.kind != TypeKind::I64)
      diags_.error(key->value->range(),
                   "a Kafka key must be a string or an i64, found " + kt.str());
  }
}

void Sema::checkSinkShape(const SinkDecl &sink, const RecordTypeRef &type, SourceRange at) {
  // CSV and tables have one header: every pipeline into such a sink must
  // write the same fields. JSON lines may differ from line to line.
  std::string format = defaultFormat();
  if (const ConnectorArg *f = sink.connector->find("format")) {
    if (auto v = evalConstant(*f->value); v && !v->isNull() && v->type.kind == TypeKind::String)
      format = v->asString();
  } else if (const ConnectorSpec *spec = findConnector(sink.connector->name);
             spec && spec->kind == SRT_CONNECTOR_FILE && !sink.connector->args.empty() &&
             sink.connector->args[0]->name.empty()) {
    if (auto v = evalConstant(*sink.connector->args[0]->value);
        v && v->type.kind == TypeKind::String)
      format = formatFromExtension(v->asString());
  }
  for (const Field &f : type->fields)
    if (f.type.isError())
      return; // reported where the field is defined
  if (formatIsOneString(format) &&
      (type->fields.size() != 1 || type->fields[0].type.kind != TypeKind::String)) {
    diags_.error(at, "sink '" + sink.name + "' writes " + format +
                         ": each record is one line, so it needs exactly one field, a string, "
                         "but this pipeline's records are " +
                         type->str() + " (select { line: ... })");
    return;
  }
  auto [it, first] = sinkShapes_.emplace(&sink, std::make_pair(type, at));
  if (first || !formatHasOneHeader(format) || it->second.first->str() == type->str())
    return;
  Diagnostic &d =
      diags_.error(at, "sink '" + sink.name + "' writes " + format +
                           " with one header, but this pipeline's records are " + type->str() +
                           " and another's are " + it->second.first->str());
  d.notes.push_back({it->second.second, "the other pipeline writes to '" + sink.name + "' here"});
}

void Sema::checkStageNames(Stage &s) {
  switch (s.kind()) {
  case Stage::Kind::Into:
    findSymbol(cast<IntoStage>(s).sink, cast<IntoStage>(s).sinkRange, Stmt::Kind::Sink, "sink");
    return;
  case Stage::Kind::Lookup:
    findSymbol(cast<LookupStage>(s).table, cast<LookupStage>(s).tableRange, Stmt::Kind::Table,
               "table");
    return;
  case Stage::Kind::Join:
    streamFor(cast<JoinStage>(s).stream, cast<JoinStage>(s).streamRange);
    return;
  case Stage::Kind::Union:
    for (const UnionStage::Input &i : cast<UnionStage>(s).inputs)
      streamFor(i.name, i.range);
    return;
  case Stage::Kind::Window: {
    auto &w = cast<WindowStage>(s);
    if (!w.lateSink.empty())
      findSymbol(w.lateSink, w.lateSinkRange, Stmt::Kind::Sink, "sink");
    return;
  }
  case Stage::Kind::ExtendOver: {
    auto &o = cast<ExtendOverStage>(s);
    if (!o.lateSink.empty())
      findSymbol(o.lateSink, o.lateSinkRange, Stmt::Kind::Sink, "sink");
    return;
  }
  default:
    return;
  }
}

StreamInfo Sema::checkPipeline(Pipeline &p, bool isLet) {
  StreamInfo info;
  const StreamInfo *from = streamFor(p.from, p.fromRange);
  if (!from) {
    for (StagePtr &st : p.stages)
      checkStageNames(*st);
    return info;
  }
  info = *from;
  p.inputType = info.type;
  RecordTypeRef cur = info.type;
  bool failed = false;
  for (size_t i = 0; i < p.stages.size(); ++i) {
    Stage &s = *p.stages[i];
    recovered_ = nullptr;
    RecordTypeRef out = checkStage(s, cur, info, p.from, i + 1 == p.stages.size(), isLet);
    s.outputType = out;
    // What `top` may rank: a window's results, through stateless stages.
    if (auto *w = dyn_cast<WindowStage>(&s))
      info.window = w;
    else if (!isa<WhereStage>(s) && !isa<SelectStage>(s) && !isa<ExtendStage>(s) &&
             !isa<TopStage>(s) && !isa<IntoStage>(s))
      info.window = nullptr;
    if (!out && recovered_) {
      // A bad stage whose output is known but for its bad fields (of no
      // type, so no knock-on errors): the later stages are checked on it.
      failed = true;
      cur = recovered_;
      continue;
    }
    if (!out) {
      // The rest cannot be typed, but its names can still be checked.
      for (size_t j = i + 1; j < p.stages.size(); ++j)
        checkStageNames(*p.stages[j]);
      return StreamInfo{};
    }
    if (!isa<IntoStage>(s))
      cur = out;
  }
  if (failed)
    return StreamInfo{};
  p.outputType = cur;
  info.type = cur;
  return info;
}

namespace {
/// The name an other-side field gets after lookup or join: its own, or
/// `<other>_<field>` when taken, or `<other>_<field>_2`, `_3`, ... when that
/// is taken too (joining the same stream twice).
std::string uniqueName(const RecordType &rec, const std::string &other, const std::string &field) {
  if (rec.indexOf(field) < 0)
    return field;
  std::string base = other + "_" + field;
  std::string name = base;
  for (int n = 2; rec.indexOf(name) >= 0; ++n)
    name = base + "_" + std::to_string(n);
  return name;
}

/// The output name of a select item / key: its name, or the field it names.
std::string implicitName(const NamedExpr &n) {
  if (!n.name.empty())
    return n.name;
  if (auto *name = dyn_cast<NameExpr>(n.expr.get()))
    return name->name;
  if (auto *fa = dyn_cast<FieldAccessExpr>(n.expr.get()))
    return fa->field;
  return "";
}
} // namespace

/// The items of a select, an extend or an extend over: each named (a
/// select's bare field takes its name), once; an extend's replaces the
/// field of its name in place or is appended to \p out. False when one is
/// bad (still a field of no type, so the later stages are checked).
bool Sema::checkItems(std::vector<std::unique_ptr<NamedExpr>> &items, const Scope &scope,
                      RecordType &out, bool isSelect) {
  bool ok = true;
  std::map<std::string, const NamedExpr *> seen;
  for (auto &item : items) {
    Type t = checkExpr(*item->expr, scope);
    std::string name = implicitName(*item);
    if (name.empty() || (!isSelect && item->name.empty())) {
      diags_.error(item->expr->range(),
                   std::string(isSelect ? "a computed select item" : "an extend item") +
                       " needs a name: write 'name: " + exprToSourceUnparenthesised(*item->expr) +
                       "'");
      ok = false;
      continue;
    }
    item->outputName = name;
    auto [it, inserted] = seen.emplace(name, item.get());
    if (!inserted) {
      Diagnostic &d = diags_.error(item->nameRange.isValid() ? item->nameRange : item->range(),
                                   "field '" + name + "' is defined twice");
      d.notes.push_back({it->second->range(), "first defined here"});
      ok = false;
      continue;
    }
    if (t.isNullLiteral()) {
      diags_.error(item->expr->range(),
                   "the type of '" + name + "' is unknown (null); convert it, e.g. string(null)");
      ok = false;
      t = Type::error();
    }
    if (t.isError())
      ok = false; // still a field, of no type: the later stages are checked
    int idx = out.indexOf(name);
    if (idx >= 0)
      out.fields[idx].type = t; // extend replaces in place
    else
      out.fields.push_back({name, t});
  }
  return ok;
}

RecordTypeRef Sema::checkStage(Stage &s, const RecordTypeRef &in, StreamInfo &info,
                               const std::string &fromName, bool last, bool isLet) {
  Scope scope;
  scope.record = in.get();
  scope.selfName = fromName;
  switch (s.kind()) {
  case Stage::Kind::Where: {
    auto &w = cast<WhereStage>(s);
    expectBool(*w.cond, scope, "the 'where' condition");
    return in;
  }
  case Stage::Kind::Select:
  case Stage::Kind::Extend: {
    bool isSelect = s.kind() == Stage::Kind::Select;
    auto &items = isSelect ? cast<SelectStage>(s).items : cast<ExtendStage>(s).items;
    auto out = std::make_shared<RecordType>();
    if (!isSelect)
      *out = *in;
    if (items.empty()) {
      diags_.error(s.range(), std::string("'") + (isSelect ? "select" : "extend") +
                                  "' needs at least one item");
      return nullptr;
    }
    bool ok = checkItems(items, scope, *out, isSelect);
    if (!ok)
      recovered_ = out;
    return ok ? out : nullptr;
  }
  case Stage::Kind::Window:
    return checkWindow(cast<WindowStage>(s), in, info);
  case Stage::Kind::ExtendOver:
    return checkExtendOver(cast<ExtendOverStage>(s), in, scope);
  case Stage::Kind::Lookup: {
    auto &l = cast<LookupStage>(s);
    Type kt = checkExpr(*l.key, scope);
    auto *table = llvm::dyn_cast_or_null<TableDecl>(
        findSymbol(l.table, l.tableRange, Stmt::Kind::Table, "table"));
    if (!table)
      return nullptr;
    checkDecl(*const_cast<TableDecl *>(table));
    if (!table->recordType || table->keyField < 0 || kt.isError())
      return nullptr;
    Type tableKey = table->recordType->fields[table->keyField].type;
    if (tableKey.isError())
      return nullptr;
    if (kt.kind != tableKey.kind) {
      Diagnostic &d = diags_.error(l.key->range(),
                                   "lookup key has type " + kt.str() + ", but table '" + l.table +
                                       "' is keyed by " + table->key + ": " + tableKey.str());
      d.notes.push_back({table->keyRange, "key declared here"});
      return nullptr;
    }
    auto out = std::make_shared<RecordType>(*in);
    for (const Field &f : table->recordType->fields)
      out->fields.push_back(
          {uniqueName(*out, l.table, f.name), f.type.withNullable(f.type.nullable || l.orNull)});
    return out;
  }
  case Stage::Kind::Join: {
    auto &j = cast<JoinStage>(s);
    const StreamInfo *other = streamFor(j.stream, j.streamRange);
    Scope jscope = scope;
    jscope.otherName = j.stream; // even when unknown: no knock-on errors
    if (other) {
      j.otherType = other->type;
      jscope.other = other->type.get();
    }
    expectBool(*j.cond, jscope, "the join condition");
    // `within 0s` pairs records of the same instant; `unbounded` has no bound.
    auto bound = [&](Expr *e, const char *what) {
      if (!e)
        return;
      Scope cscope;
      cscope.constWhat = what;
      checkExpr(*e, cscope);
      positiveDuration(*e, what, /*zeroAllowed=*/true);
    };
    bound(j.within.get(), j.after ? "the join's 'before'" : "the join's 'within'");
    bound(j.after.get(), "the join's 'after'");
    if (!other)
      return nullptr;
    if (!info.eventTime)
      diags_.error(
          s.range(),
          "join needs event time on both sides, but '" + fromName +
              "' runs on processing time (declare 'with event_time = <field>' on its source)");
    else if (!other->eventTime)
      diags_.error(
          j.streamRange,
          "join needs event time on both sides, but '" + j.stream +
              "' runs on processing time (declare 'with event_time = <field>' on its source)");
    auto out = std::make_shared<RecordType>(*in);
    for (const Field &f : other->type->fields)
      out->fields.push_back({uniqueName(*out, j.stream, f.name), f.type});
    return out;
  }
  case Stage::Kind::Union:
    return checkUnion(cast<UnionStage>(s), in, info, fromName);
  case Stage::Kind::Unnest:
    return checkUnnest(cast<UnnestStage>(s), in, scope);
  case Stage::Kind::Distinct:
    return checkDistinct(cast<DistinctStage>(s), in, scope);
  case Stage::Kind::Top:
    return checkTop(cast<TopStage>(s), in, info, scope);
  case Stage::Kind::Into: {
    auto &into = cast<IntoStage>(s);
    if (isLet) {
      diags_.error(
          s.range(),
          "a 'let' pipeline cannot end with 'into'; use the let in a pipeline: from <let> | into " +
              into.sink);
      return nullptr;
    }
    if (!last)
      diags_.error(s.range(), "'into' must be the last stage of a pipeline");
    if (auto *sink = llvm::dyn_cast_or_null<SinkDecl>(
            findSymbol(into.sink, into.sinkRange, Stmt::Kind::Sink, "sink"))) {
      checkSinkKey(*sink, scope);
      checkSinkShape(*sink, in, s.range());
    }
    return in;
  }
  }
  return nullptr;
}

RecordTypeRef Sema::checkUnnest(UnnestStage &u, const RecordTypeRef &in, const Scope &scope) {
  auto *split = dyn_cast<CallExpr>(u.split.get());
  if (!split || split->callee != "split" || split->args.size() != 2) {
    if (split && split->callee == "split")
      for (auto &a : split->args)
        checkExpr(*a, scope);
    diags_.error(u.split->range(), "unnest takes 'split(<string>, <separator>)', as in "
                                   "'unnest word = split(line, \" \")'");
    return nullptr;
  }
  bool ok = true;
  Type t = checkExpr(*split->args[0], scope);
  if (!t.isError() && t.kind != TypeKind::String && !t.isNullLiteral()) {
    diags_.error(split->args[0]->range(), "unnest splits a string, found " + t.str());
    ok = false;
  }
  Type sepType = checkExpr(*split->args[1], scope);
  auto sep = sepType.isError() ? std::nullopt : evalConstant(*split->args[1]);
  if (!sepType.isError() &&
      (!sep || sep->isNull() || sep->type.kind != TypeKind::String || sep->asString().empty())) {
    diags_.error(split->args[1]->range(),
                 "the separator of split must be a constant, non-empty string");
    ok = false;
  }
  if (!ok || t.isError() || sepType.isError())
    return nullptr;
  u.separator = sep->asString();
  // The piece replaces a field of the same name (as extend does), or is
  // added after the record's fields.
  auto out = std::make_shared<RecordType>(*in);
  int idx = out->indexOf(u.name);
  if (idx >= 0)
    out->fields[idx].type = Type::string();
  else
    out->fields.push_back({u.name, Type::string()});
  return out;
}

bool Sema::checkWindowSpec(WindowSpec &spec) {
  bool ok = true;
  Scope cscope;
  cscope.constWhat = "a window size";
  for (auto &a : spec.args)
    checkExpr(*a, cscope);
  struct Shape {
    const char *kind;
    size_t args;
    const char *usage;
  };
  static const Shape shapes[] = {{"tumbling", 1, "tumbling(size)"},
                                 {"sliding", 2, "sliding(size, slide)"},
                                 {"session", 1, "session(gap)"},
                                 {"count", 1, "count(n)"},
                                 {"all", 0, "all"}};
  const Shape *shape = nullptr;
  for (const Shape &sh : shapes)
    if (spec.kind == sh.kind)
      shape = &sh;
  if (!shape) {
    diags_.error(spec.kindRange,
                 "unknown window '" + spec.kind + "'" +
                     didYouMean(spec.kind, {"tumbling", "sliding", "session", "count", "all"}) +
                     " (windows: tumbling(size), sliding(size, slide), session(gap), count(n), "
                     "all)");
    ok = false;
  } else if (spec.parenthesised == (shape->args == 0)) {
    // `window all`, but `tumbling(1m)`: the parentheses go with arguments.
    diags_.error(spec.range(), shape->args == 0
                                   ? "write 'window all', without parentheses"
                                   : "'" + spec.kind + "' takes " + std::to_string(shape->args) +
                                         (shape->args == 1 ? " argument" : " arguments") + ": " +
                                         shape->usage);
    ok = false;
  } else if (spec.args.size() != shape->args) {
    diags_.error(spec.range(), "'" + spec.kind + "' takes " + std::to_string(shape->args) +
                                   (shape->args == 1 ? " argument" : " arguments") + ": " +
                                   shape->usage);
    ok = false;
  } else if (spec.kind == "all") {
    // One window per key over the whole input: nothing to check.
  } else if (spec.kind == "count") {
    Expr &n = *spec.args[0];
    if (!n.type.isError()) {
      auto v = evalConstant(n);
      if (n.type.kind != TypeKind::I64) {
        diags_.error(n.range(), "count(n) needs an integer, found " + n.type.str());
        ok = false;
      } else if (!v || v->isNull()) {
        reportNotConstant(n, "the count of count(n)");
        ok = false;
      } else if (v->asInt() <= 0) {
        diags_.error(n.range(), "count(n) needs a positive number of records, found " +
                                    std::to_string(v->asInt()));
        ok = false;
      }
    }
  } else {
    const char *what = spec.kind == "session" ? "the session gap" : "the window size";
    auto size = positiveDuration(*spec.args[0], what);
    ok &= size.has_value();
    if (spec.kind == "sliding") {
      auto slide = positiveDuration(*spec.args[1], "the slide");
      ok &= slide.has_value();
      if (size && slide && *slide > *size)
        diags_.warning(
            spec.args[1]->range(),
            "the slide is larger than the window size: events between windows belong to no window");
    }
  }
  return ok;
}

/// A key of a window or a distinct stage: not an f64 (equal values may
/// differ in their last bits), a record or null. False, reported, if not.
bool Sema::groupableKey(const Expr &e, const Type &t, const std::string &name) {
  if (t.isError() || !(t.kind == TypeKind::F64 || t.isNullLiteral() || t.isRecord()))
    return true;
  diags_.error(e.range(),
               "cannot group by '" + name + "' of type " + t.str() +
                   (t.kind == TypeKind::F64
                        ? ": floating-point keys are not allowed; use i64(...) or round it"
                    : t.isRecord() ? ": a record is not a key; group by its fields"
                                   : ""));
  return false;
}

/// `distinct by <keys> within <d>`: the keys are record expressions, the
/// duration a constant (0s: only records of the same instant are
/// duplicates). The record passes through unchanged.
RecordTypeRef Sema::checkDistinct(DistinctStage &d, const RecordTypeRef &in, const Scope &scope) {
  bool ok = true;
  for (auto &k : d.keys) {
    Type t = checkExpr(*k, scope);
    ok &= !t.isError() && groupableKey(*k, t, exprToSourceUnparenthesised(*k));
  }
  Scope constant;
  constant.constWhat = "the distinct's 'within'";
  checkExpr(*d.within, constant);
  auto within = positiveDuration(*d.within, constant.constWhat, /*zeroAllowed=*/true);
  if (!within || !ok) {
    recovered_ = in; // the later stages are checked on the same record
    return nullptr;
  }
  d.withinMs = *within;
  return in;
}

/// A stage's `late into` sink: it exists, and takes the stage's input
/// records (\p in, which \p scope reads) as they are.
void Sema::checkLateSink(const std::string &name, SourceRange at, const RecordTypeRef &in,
                         const Scope &scope) {
  if (auto *sink =
          llvm::dyn_cast_or_null<SinkDecl>(findSymbol(name, at, Stmt::Kind::Sink, "sink"))) {
    checkSinkKey(*sink, scope);
    checkSinkShape(*sink, in, at);
  }
}

/// `extend over <frame> [by <keys>] { items } [late into <sink>]`: the
/// frame is rows(n) (n a positive constant), range(d) (a constant
/// duration) or unbounded; the items are expressions over the frame's
/// aggregates and the current record's fields.
RecordTypeRef Sema::checkExtendOver(ExtendOverStage &o, const RecordTypeRef &in,
                                    const Scope &scope) {
  bool ok = true;
  WindowSpec &frame = *o.frame;
  Scope constant;
  constant.constWhat = "a frame's size";
  for (auto &a : frame.args)
    checkExpr(*a, constant);
  bool known = frame.kind == "rows" || frame.kind == "range" || frame.kind == "unbounded";
  size_t arity = frame.kind == "unbounded" ? 0 : 1;
  if (!known) {
    diags_.error(frame.kindRange, "unknown frame '" + frame.kind +
                                      "': a frame is rows(n), range(d) or unbounded" +
                                      didYouMean(frame.kind, {"rows", "range", "unbounded"}));
    ok = false;
  } else if (frame.args.size() != arity || frame.parenthesised != (arity == 1)) {
    diags_.error(frame.range(), frame.kind == "unbounded"
                                    ? "'unbounded' takes no arguments"
                                    : frame.kind + " takes one argument: " +
                                          (frame.kind == "rows" ? "rows(10)" : "range(5m)"));
    ok = false;
  } else if (frame.kind == "rows") {
    const Expr &n = *frame.args[0];
    auto v = evalConstant(n);
    if (!n.type.isError() &&
        (n.type.kind != TypeKind::I64 || !v || v->isNull() || v->asInt() < 1)) {
      diags_.error(n.range(), "rows(n) needs a positive integer constant, as in rows(10)");
      ok = false;
    } else if (v && !v->isNull()) {
      o.rows = v->asInt();
    }
  } else if (frame.kind == "range") {
    auto d = positiveDuration(*frame.args[0], "the range of a frame", /*zeroAllowed=*/true);
    ok &= d.has_value();
    o.rangeMs = d.value_or(0);
  }
  for (auto &k : o.keys) {
    Type t = checkExpr(*k, scope);
    ok &= !t.isError() && groupableKey(*k, t, exprToSourceUnparenthesised(*k));
  }
  auto out = std::make_shared<RecordType>(*in);
  if (o.items.empty()) {
    diags_.error(o.range(), "'extend over' needs at least one item");
    ok = false;
  }
  Scope items;
  items.record = in.get();
  items.agg = Scope::Agg::Entry;
  items.aggInput = in.get();
  items.frame = known ? frame.kind.c_str() : "unbounded";
  ok &= checkItems(o.items, items, *out, /*isSelect=*/false);
  if (!o.lateSink.empty())
    checkLateSink(o.lateSink, o.lateSinkRange, in, scope);
  if (!ok)
    recovered_ = out;
  return ok ? out : nullptr;
}

/// `top <n> by <expr> [asc|desc] [per <keys>]`: only over a window's
/// results; n a positive constant, the order an ordered value, the `per`
/// values groupable. The output is the input and `rank: i64`.
RecordTypeRef Sema::checkTop(TopStage &t, const RecordTypeRef &in, const StreamInfo &info,
                             const Scope &scope) {
  bool ok = true;
  if (!info.window) {
    diags_.error(t.range(), "top ranks the results of a window: put it after 'window ... "
                            "aggregate { }' (possibly after where, select or extend)");
    ok = false;
  }
  Scope constant;
  constant.constWhat = "top's count";
  Type countType = checkExpr(*t.count, constant);
  if (!countType.isError()) {
    auto v = evalConstant(*t.count);
    if (countType.kind != TypeKind::I64 || !v || v->isNull() || v->asInt() < 1) {
      diags_.error(t.count->range(), "top's count must be a positive integer constant, as in "
                                     "'top 10 by views'");
      ok = false;
    } else {
      t.n = v->asInt();
    }
  }
  Type order = checkExpr(*t.order, scope);
  if (!order.isError() && order.kind != TypeKind::I64 && order.kind != TypeKind::F64 &&
      order.kind != TypeKind::String && order.kind != TypeKind::Timestamp &&
      order.kind != TypeKind::Duration) {
    diags_.error(t.order->range(), "top cannot order values of type " + order.str());
    ok = false;
  }
  for (auto &k : t.per) {
    Type kt = checkExpr(*k, scope);
    ok &= !kt.isError() && groupableKey(*k, kt, exprToSourceUnparenthesised(*k));
  }
  if (in->indexOf("rank") >= 0) {
    diags_.error(t.range(), "top adds a field 'rank', which the record already has: rename it "
                            "first (select or extend)");
    ok = false;
  }
  if (!ok)
    return nullptr;
  t.wholeInput = info.window->spec->kind == "all";
  auto out = std::make_shared<RecordType>(*in);
  out->fields.push_back({"rank", Type::i64()});
  return out;
}

RecordTypeRef Sema::checkWindow(WindowStage &w, const RecordTypeRef &in, StreamInfo &info) {
  // The spec.
  WindowSpec &spec = *w.spec;
  bool ok = checkWindowSpec(spec);

  // Keys.
  Scope scope;
  scope.record = in.get();
  auto keys = std::make_shared<RecordType>();
  auto out = std::make_shared<RecordType>();
  out->fields.push_back({"window_start", Type::timestamp()});
  out->fields.push_back({"window_end", Type::timestamp()});
  std::map<std::string, SourceRange> names = {{"window_start", {}}, {"window_end", {}}};
  auto addName = [&](const std::string &name, SourceRange at) {
    auto [it, inserted] = names.emplace(name, at);
    if (inserted)
      return true;
    Diagnostic &d = diags_.error(
        at, it->second.isValid() ? "field '" + name + "' is defined twice in the window's output"
                                 : "'" + name + "' is reserved in a window's output");
    if (it->second.isValid())
      d.notes.push_back({it->second, "first defined here"});
    ok = false;
    return false;
  };
  for (auto &k : w.keys) {
    Type t = checkExpr(*k->expr, scope);
    std::string name = implicitName(*k);
    if (name.empty()) {
      diags_.error(k->expr->range(), "a computed window key needs a name: write 'by name: " +
                                         exprToSourceUnparenthesised(*k->expr) + "'");
      ok = false;
      continue;
    }
    k->outputName = name;
    if (!groupableKey(*k->expr, t, name))
      t = Type::error();
    if (t.isError())
      ok = false; // still a key, of no type: the later stages are checked
    if (!addName(name, k->nameRange.isValid() ? k->nameRange : k->range()))
      continue;
    keys->fields.push_back({name, t});
    out->fields.push_back({name, t});
  }

  // Aggregates (none: one row per window and key, the distinct keys).
  Scope ascope;
  ascope.record = keys.get();
  ascope.agg = Scope::Agg::Entry;
  ascope.aggInput = in.get();
  if (spec.kind == "sliding")
    ascope.mergingWindow = "a sliding window";
  else if (spec.kind == "session")
    ascope.mergingWindow = "a session window";
  for (auto &a : w.aggregates) {
    Type t = checkExpr(*a->expr, ascope);
    std::string name = a->name.empty() ? implicitName(*a) : a->name;
    if (name.empty()) {
      diags_.error(a->expr->range(), "an aggregate needs a name: write 'name: " +
                                         exprToSourceUnparenthesised(*a->expr) + "'");
      ok = false;
      continue;
    }
    a->outputName = name;
    if (t.isNullLiteral()) {
      diags_.error(a->expr->range(), "the type of '" + name + "' is unknown (null)");
      t = Type::error();
    }
    if (t.isError())
      ok = false; // still a field, of no type: the later stages are checked
    if (!addName(name, a->nameRange.isValid() ? a->nameRange : a->range()))
      continue;
    out->fields.push_back({name, t});
  }

  // Late records.
  if (!w.lateSink.empty()) {
    checkLateSink(w.lateSink, w.lateSinkRange, in, scope);
    if (spec.kind == "count" || spec.kind == "all")
      diags_.error(w.lateSinkRange, "a" + std::string(spec.kind == "all" ? "n 'all'" : " count") +
                                        " window has no late records; 'late into' needs a time "
                                        "window");
  }

  // A window result carries window_end - 1ms, in its input's time domain.
  if (!ok)
    recovered_ = out;
  return ok ? out : nullptr;
}

} // namespace streamc
