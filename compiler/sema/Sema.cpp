/// \file
/// Semantic analysis of declarations and pipelines. Expressions are checked
/// in CheckExpr.cpp.

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

namespace {
const char *stmtKindName(Stmt::Kind k) {
  switch (k) {
  case Stmt::Kind::Schema:
    return "a schema";
  case Stmt::Kind::Source:
    return "a source";
  case Stmt::Kind::Table:
    return "a table";
  case Stmt::Kind::Sink:
    return "a sink";
  case Stmt::Kind::Param:
    return "a param";
  case Stmt::Kind::Fn:
    return "a function";
  case Stmt::Kind::Let:
    return "a let stream";
  default:
    return "a statement";
  }
}

std::string suggestion(const std::string &name, const std::vector<std::string> &candidates) {
  std::string best = closestMatch(name, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}
} // namespace

const Stmt *Sema::lookup(const std::string &name) const {
  auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : it->second;
}

// ===================================================================== driver

bool Sema::check(Program &program) {
  unsigned before = diags_.errorCount();
  for (auto &m : program.modules)
    declare(*m);

  // Every --param must name a declared param.
  for (const auto &[name, text] : overrides_) {
    const Stmt *s = lookup(name);
    if (!s || !isa<ParamDecl>(s)) {
      std::vector<std::string> names;
      for (const auto &[n, st] : symbols_)
        if (isa<ParamDecl>(st))
          names.push_back(n);
      diags_.error({}, originOf(name) + "unknown param '" + name + "'" + suggestion(name, names));
      ++configErrors_;
    }
  }

  for (auto &m : program.modules)
    for (StmtPtr &s : m->stmts)
      checkDecl(*s);

  // A let that no pipeline reads is almost always a mistake.
  for (auto &m : program.modules)
    for (StmtPtr &s : m->stmts)
      if (auto *let = dyn_cast<LetDecl>(s.get()))
        if (warnUnusedLets_ && !usedStreams_.count(let) && m.get() == program.main)
          diags_.warning(let->nameRange, "let '" + let->name + "' is never used");
  return diags_.errorCount() == before;
}

bool Sema::checkMore(Program &program, Module &module) {
  unsigned before = diags_.errorCount();
  declare(module);
  for (StmtPtr &s : module.stmts)
    checkDecl(*s);
  return diags_.errorCount() == before;
}

void Sema::declare(Module &module) {
  for (const std::string &n : module.brokenNames)
    broken_.insert(n);
  for (StmtPtr &s : module.stmts) {
    if (s->name.empty())
      continue;
    if (isa<FnDecl>(s.get()) && (findScalarBuiltin(s->name) || isAggregateName(s->name))) {
      diags_.error(s->nameRange,
                   "'" + s->name + "' is a built-in function and cannot be redefined");
      broken_.insert(s->name);
      continue;
    }
    auto [it, inserted] = symbols_.emplace(s->name, s.get());
    if (!inserted) {
      Diagnostic &d = diags_.error(s->nameRange, "'" + s->name + "' is already declared");
      d.notes.push_back({it->second->nameRange, "previous declaration of '" + s->name + "' (" +
                                                    stmtKindName(it->second->kind()) + ")"});
    }
  }
}

void Sema::checkDecl(Stmt &s) {
  if (state_[&s] != State::Unvisited)
    return;
  switch (s.kind()) {
  case Stmt::Kind::Import:
    state_[&s] = State::Done;
    return;
  case Stmt::Kind::Schema:
    checkSchema(cast<SchemaDecl>(s));
    return;
  case Stmt::Kind::Param:
    checkParam(cast<ParamDecl>(s));
    return;
  case Stmt::Kind::Fn:
    checkFn(cast<FnDecl>(s));
    return;
  case Stmt::Kind::Source:
    checkSource(cast<SourceDecl>(s));
    return;
  case Stmt::Kind::Table:
    checkTable(cast<TableDecl>(s));
    return;
  case Stmt::Kind::Sink:
    checkSink(cast<SinkDecl>(s));
    return;
  case Stmt::Kind::Let:
    checkLet(cast<LetDecl>(s));
    return;
  case Stmt::Kind::Pipeline:
    state_[&s] = State::Done;
    checkPipeline(*cast<PipelineStmt>(s).pipeline, /*isLet=*/false);
    return;
  }
}

// =============================================================== declarations

Type Sema::resolveType(TypeRef &t) {
  auto kind = typeKindFromName(t.name);
  if (!kind) {
    diags_.error(t.range(), "unknown type '" + t.name + "'" + suggestion(t.name, allTypeNames()) +
                                " (types are bool, i64, f64, string, timestamp, duration)");
    return t.resolved = Type::error();
  }
  return t.resolved = Type(*kind, t.nullable);
}

void Sema::checkSchema(SchemaDecl &d) {
  state_[&d] = State::Done;
  auto rec = std::make_shared<RecordType>();
  std::map<std::string, const FieldDecl *> seen;
  for (auto &f : d.fields) {
    Type t = resolveType(*f->type);
    auto [it, inserted] = seen.emplace(f->name, f.get());
    if (!inserted) {
      Diagnostic &diag = diags_.error(
          f->nameRange, "field '" + f->name + "' is declared twice in schema '" + d.name + "'");
      diag.notes.push_back({it->second->nameRange, "first declared here"});
      continue;
    }
    rec->fields.push_back({f->name, t});
  }
  if (d.fields.empty())
    diags_.error(d.nameRange, "schema '" + d.name + "' has no fields");
  d.recordType = rec;
}

RecordTypeRef Sema::schemaRecord(const std::string &name, SourceRange at, const char *role) {
  const Stmt *s = lookup(name);
  if (!s) {
    if (!isBroken(name)) {
      std::vector<std::string> schemas;
      for (const auto &[n, st] : symbols_)
        if (isa<SchemaDecl>(st))
          schemas.push_back(n);
      diags_.error(at, "unknown schema '" + name + "'" + suggestion(name, schemas));
    }
    return nullptr;
  }
  auto *schema = dyn_cast<SchemaDecl>(s);
  if (!schema) {
    Diagnostic &d =
        diags_.error(at, "the " + std::string(role) + "'s type must be a schema, but '" + name +
                             "' is " + stmtKindName(s->kind()));
    d.notes.push_back({s->nameRange, "'" + name + "' declared here"});
    return nullptr;
  }
  checkDecl(*const_cast<SchemaDecl *>(schema));
  return schema->recordType;
}

void Sema::checkParam(ParamDecl &d) {
  state_[&d] = State::Visiting;
  Type t = resolveType(*d.type);
  ParamValue pv;
  if (d.defaultValue) {
    Scope scope;
    scope.constWhat = "a param's default value";
    paramStack_.push_back(&d);
    unsigned errorsBefore = diags_.errorCount();
    Type dt = checkExpr(*d.defaultValue, scope);
    paramStack_.pop_back();
    // Errors inside the default (a cycle through another param) are enough.
    if (!t.isError() && !dt.isError() && diags_.errorCount() == errorsBefore) {
      auto u = unifyTypes(t, dt);
      EvalResult v = evaluate(*d.defaultValue);
      // A nullable expression is fine when its constant value is not null
      // (parse_timestamp("2025-01-01T00:00:00Z") for a timestamp param).
      bool nullValue = v.value && v.value->isNull();
      if (!u || u->kind != t.kind || (nullValue && !t.nullable) ||
          (dt.kind == TypeKind::F64 && t.kind == TypeKind::I64)) {
        diags_.error(d.defaultValue->range(), "default value of param '" + d.name + "' has type " +
                                                  dt.str() + ", but the param is " + t.str());
      } else if (v.value) {
        Value val = *v.value;
        if (t.kind == TypeKind::F64 && !val.isNull())
          val = Value::f64(val.asDouble());
        val.type = val.isNull() ? t : Type(t.kind);
        pv.value = val;
      } else {
        reportNotConstant(*d.defaultValue, "the default value of param '" + d.name + "'");
      }
    }
  }
  auto it = overrides_.find(d.name);
  if (it != overrides_.end() && !t.isError()) {
    Value v;
    std::string why;
    if (parseValue(it->second, t, v, why)) {
      pv.value = v;
      pv.overridden = true;
    } else {
      Diagnostic &diag =
          diags_.error({}, originOf(d.name) + "invalid value '" + it->second + "' for param '" +
                               d.name + "' of type " + t.str() + ": " + why);
      diag.notes.push_back({d.nameRange, "param '" + d.name + "' declared here"});
      ++configErrors_;
    }
  }
  params_[&d] = pv;
  state_[&d] = State::Done;
}

void Sema::checkFn(FnDecl &d) {
  state_[&d] = State::Visiting;
  fnStack_.push_back(&d);
  std::set<std::string> seen;
  for (auto &p : d.params) {
    resolveType(*p->type);
    if (!seen.insert(p->name).second)
      diags_.error(p->nameRange,
                   "parameter '" + p->name + "' is declared twice in fn '" + d.name + "'");
  }
  Scope scope;
  scope.fn = &d;
  Type body = checkExpr(*d.body, scope);
  if (d.returnType) {
    Type ret = resolveType(*d.returnType);
    if (!ret.isError() && !body.isError()) {
      auto u = unifyTypes(ret, body);
      bool fits = u && u->kind == ret.kind && (ret.nullable || !body.nullable) &&
                  !(body.kind == TypeKind::F64 && ret.kind == TypeKind::I64);
      if (!fits) {
        Diagnostic &diag =
            diags_.error(d.body->range(), "fn '" + d.name + "' is declared to return " + ret.str() +
                                              ", but its body has type " + body.str());
        diag.notes.push_back({d.returnType->range(), "return type declared here"});
      }
    }
    d.resultType = ret;
  } else {
    if (body.isNullLiteral()) {
      diags_.error(d.body->range(), "cannot infer the return type of fn '" + d.name +
                                        "' from 'null'; declare it: fn " + d.name + "(...) -> T");
      body = Type::error();
    }
    d.resultType = body;
  }
  fnStack_.pop_back();
  state_[&d] = State::Done;
}

void Sema::reportNotConstant(const Expr &e, const std::string &what) {
  EvalResult r = evaluate(e);
  if (!r.error.empty())
    diags_.error(e.range(), what + " cannot be computed at compile time: " + r.error);
  else
    diags_.error(e.range(), what + " must be a constant (literals and params)");
}

std::optional<int64_t> Sema::positiveDuration(const Expr &e, const char *what) {
  if (e.type.isError())
    return std::nullopt;
  if (e.type.kind != TypeKind::Duration) {
    diags_.error(e.range(),
                 std::string(what) + " must be a duration such as 5s or 1m, found " + e.type.str());
    return std::nullopt;
  }
  auto v = evalConstant(e);
  if (!v) {
    reportNotConstant(e, what);
    return std::nullopt;
  }
  if (v->isNull()) {
    diags_.error(e.range(), std::string(what) + " must not be null");
    return std::nullopt;
  }
  if (v->asInt() <= 0) {
    diags_.error(e.range(),
                 std::string(what) + " must be positive, found " + formatDuration(v->asInt()));
    return std::nullopt;
  }
  return v->asInt();
}

void Sema::checkConnector(ConnectorCall &c, int roleInt, const RecordType *schema) {
  auto role = static_cast<ConnectorRole>(roleInt);
  const ConnectorSpec *spec = findConnector(c.name);
  const char *roleName = connectorRoleName(role);
  if (!spec) {
    diags_.error(c.nameRange, "unknown connector '" + c.name + "'" +
                                  suggestion(c.name, connectorNames()) +
                                  " (connectors: file, stdin, stdout, kafka, generate, null)");
    return;
  }
  bool allowed = role == ConnectorRole::Source  ? spec->source
                 : role == ConnectorRole::Table ? spec->table
                                                : spec->sink;
  if (!allowed) {
    std::string hint = role == ConnectorRole::Table ? " (a table is loaded from a file)" : "";
    diags_.error(c.nameRange, "'" + c.name + "' cannot be used as a " + roleName + hint);
    return;
  }

  // Bind arguments to the spec: positional ones first, then by name.
  std::map<std::string, ConnectorArg *> bound;
  size_t positional = 0;
  for (auto &arg : c.args) {
    const ConnectorArgSpec *as = nullptr;
    if (arg->name.empty()) {
      std::vector<const ConnectorArgSpec *> pos;
      for (const auto &a : spec->args)
        if (a.positional)
          pos.push_back(&a);
      if (positional < pos.size()) {
        as = pos[positional++];
      } else {
        diags_.error(arg->range(),
                     "'" + c.name + "' takes no positional argument here; name it (name: value)");
        continue;
      }
    } else {
      for (const auto &a : spec->args)
        if (arg->name == a.name)
          as = &a;
      if (!as) {
        std::vector<std::string> names;
        for (const auto &a : spec->args)
          names.push_back(a.name);
        std::string list;
        for (size_t i = 0; i < names.size(); ++i)
          list += (i ? ", " : "") + names[i];
        diags_.error(arg->nameRange,
                     "'" + c.name + "' has no argument '" + arg->name + "'" +
                         suggestion(arg->name, names) +
                         (list.empty() ? " (it takes none)" : " (arguments: " + list + ")"));
        continue;
      }
    }
    if (as->sinkOnly && role != ConnectorRole::Sink) {
      diags_.error(arg->range(), "argument '" + std::string(as->name) + "' of '" + c.name +
                                     "' is only for sinks");
      continue;
    }
    if (!bound.emplace(as->name, arg.get()).second) {
      diags_.error(arg->range(),
                   "argument '" + std::string(as->name) + "' of '" + c.name + "' is given twice");
      continue;
    }
    if (as->kind == ArgKind::RecordExpr)
      continue; // checked against each pipeline's record at its `into`
    Scope scope;
    scope.constWhat = "a connector argument";
    Type t = checkExpr(*arg->value, scope);
    if (t.isError())
      continue;
    bool ok = as->kind == ArgKind::String ? t.kind == TypeKind::String
              : as->kind == ArgKind::Int  ? t.kind == TypeKind::I64
                                          : t.isNumeric();
    const char *want = as->kind == ArgKind::String ? "a string"
                       : as->kind == ArgKind::Int  ? "an integer"
                                                   : "a number";
    if (!ok) {
      diags_.error(arg->value->range(), "argument '" + std::string(as->name) + "' of '" + c.name +
                                            "' must be " + want + ", found " + t.str());
      continue;
    }
    if (!evalConstant(*arg->value))
      reportNotConstant(*arg->value,
                        "argument '" + std::string(as->name) + "' of '" + c.name + "'");
  }
  for (const auto &a : spec->args)
    if (a.required && !bound.count(a.name))
      diags_.error(c.range(),
                   "'" + c.name + "' needs the argument '" + a.name + "'" +
                       (a.positional ? " (first, or as " + std::string(a.name) + ": ...)" : ""));

  auto constString = [&](const char *name) -> std::optional<std::string> {
    auto it = bound.find(name);
    if (it == bound.end() || it->second->value->type.kind != TypeKind::String)
      return std::nullopt;
    auto v = evalConstant(*it->second->value);
    if (!v || v->isNull())
      return std::nullopt;
    return v->asString();
  };

  // Formats.
  if (auto it = bound.find("format"); it != bound.end()) {
    if (auto fmt = constString("format")) {
      const auto &valid = role == ConnectorRole::Sink ? sinkFormats() : sourceFormats();
      if (std::find(valid.begin(), valid.end(), *fmt) == valid.end()) {
        std::string list;
        for (size_t i = 0; i < valid.size(); ++i)
          list += (i ? ", " : "") + valid[i];
        std::string extra = *fmt == "table" ? " ('table' is for sinks only)" : "";
        diags_.error(it->second->value->range(), "unknown " + std::string(roleName) + " format '" +
                                                     *fmt + "'" + suggestion(*fmt, valid) +
                                                     " (formats: " + list + ")" + extra);
      }
    }
  } else if (c.name == "file") {
    auto path = constString("path");
    if (path && formatFromExtension(*path).empty())
      diags_.error(c.range(), "cannot tell the format of \"" + *path +
                                  "\" from its extension; add format: \"csv\" or format: \"json\"");
  }

  // Generators fill the schema's fields by name.
  if (c.name == "generate") {
    if (auto kind = constString("kind")) {
      const auto *fields = generatorFields(*kind);
      if (!fields) {
        std::vector<std::string> kinds = generatorKinds();
        diags_.error(bound["kind"]->value->range(),
                     "unknown generator kind '" + *kind + "'" + suggestion(*kind, kinds) +
                         " (kinds: sequence, ysb, nexmark_person, nexmark_auction, nexmark_bid)");
      } else if (schema) {
        for (const Field &f : schema->fields) {
          const GeneratorField *g = nullptr;
          for (const auto &gf : *fields)
            if (f.name == gf.name)
              g = &gf;
          if (!g) {
            std::string list;
            for (size_t i = 0; i < fields->size(); ++i)
              list += (i ? ", " : "") + std::string((*fields)[i].name);
            diags_.error(c.range(), "generator '" + *kind + "' has no field '" + f.name +
                                        "' (it provides " + list + ")");
          } else if (f.type.kind != g->type && !f.type.isError()) {
            diags_.error(c.range(), "generator '" + *kind + "' provides field '" + f.name +
                                        "' as " + typeKindName(g->type) + ", but the schema says " +
                                        f.type.str());
          }
        }
      }
    }
    for (const char *n : {"events", "rate"}) {
      auto it = bound.find(n);
      if (it == bound.end() || !it->second->value->type.isNumeric())
        continue;
      auto v = evalConstant(*it->second->value);
      if (!v || v->isNull())
        continue;
      bool isEvents = std::string(n) == "events";
      if (isEvents ? v->asDouble() < 0 : v->asDouble() <= 0)
        diags_.error(it->second->value->range(),
                     isEvents ? "'events' must not be negative"
                              : "'rate' must be positive (events per second)");
    }
  }

  // Kafka metadata fields must have their documented types.
  if (c.name == "kafka" && schema) {
    for (const Field &f : schema->fields)
      for (const auto &m : kafkaMetadataFields())
        if (f.name == m.name && f.type.kind != m.type && !f.type.isError())
          diags_.error(c.range(), "Kafka metadata field '" + f.name + "' must be " +
                                      typeKindName(m.type) + ", but the schema says " +
                                      f.type.str());
  }
}

void Sema::checkSource(SourceDecl &d) {
  state_[&d] = State::Done;
  RecordTypeRef rec = schemaRecord(d.schema, d.schemaRange, "source");
  d.recordType = rec;
  checkConnector(*d.connector, static_cast<int>(ConnectorRole::Source), rec.get());
  std::set<std::string> seen;
  for (auto &opt : d.options) {
    if (!seen.insert(opt->name).second) {
      diags_.error(opt->nameRange, "option '" + opt->name + "' is given twice");
      continue;
    }
    if (opt->name == "event_time") {
      auto *name = dyn_cast<NameExpr>(opt->value.get());
      if (!name) {
        diags_.error(opt->value->range(),
                     "event_time must name a timestamp field of schema '" + d.schema + "'");
        continue;
      }
      if (!rec)
        continue;
      int idx = rec->indexOf(name->name);
      if (idx < 0) {
        Diagnostic &diag =
            diags_.error(name->range(), "schema '" + d.schema + "' has no field '" + name->name +
                                            "'" + suggestion(name->name, rec->names()));
        if (const Stmt *s = lookup(d.schema))
          diag.notes.push_back({s->nameRange, "'" + d.schema + "' declared here"});
        continue;
      }
      const Field &f = rec->fields[idx];
      name->type = f.type;
      name->binding.kind = NameBinding::Kind::Field;
      name->binding.index = idx;
      if (f.type.isError())
        continue;
      if (f.type.kind != TypeKind::Timestamp)
        diags_.error(name->range(), "event_time field '" + f.name +
                                        "' must be a timestamp, but it is " + f.type.str());
      else if (f.type.nullable)
        diags_.error(name->range(), "event_time field '" + f.name +
                                        "' must not be nullable: every record needs an event time");
      else
        d.eventTimeField = idx;
    } else if (opt->name == "max_delay") {
      Scope scope;
      scope.constWhat = "max_delay";
      Type t = checkExpr(*opt->value, scope);
      if (t.isError())
        continue;
      if (t.kind != TypeKind::Duration) {
        diags_.error(opt->value->range(),
                     "max_delay must be a duration such as 5s, found " + t.str());
        continue;
      }
      auto v = evalConstant(*opt->value);
      if (!v || v->isNull())
        reportNotConstant(*opt->value, "max_delay");
      else if (v->asInt() < 0)
        diags_.error(opt->value->range(), "max_delay must not be negative");
      else
        d.maxDelayMs = v->asInt();
    } else if (opt->name == "idle_timeout") {
      d.idleTimeoutMs = sourceDuration(*opt, "idle_timeout", 1);
    } else {
      diags_.error(opt->nameRange,
                   "unknown source option '" + opt->name + "'" +
                       suggestion(opt->name, {"event_time", "max_delay", "idle_timeout"}) +
                       " (options: event_time, max_delay, idle_timeout)");
    }
  }
  bool hasMaxDelay = seen.count("max_delay") != 0;
  if (hasMaxDelay && !seen.count("event_time"))
    for (auto &opt : d.options)
      if (opt->name == "max_delay")
        diags_.error(opt->nameRange,
                     "max_delay needs event_time: without it the source runs on processing time");
  if (rec)
    streams_[&d] = StreamInfo{rec, d.eventTimeField >= 0};
}

int64_t Sema::sourceDuration(SourceOption &opt, const char *what, int64_t minimum) {
  Scope scope;
  scope.constWhat = what;
  Type t = checkExpr(*opt.value, scope);
  if (t.isError())
    return 0;
  if (t.kind != TypeKind::Duration) {
    diags_.error(opt.value->range(),
                 std::string(what) + " must be a duration such as 30s, found " + t.str());
    return 0;
  }
  auto v = evalConstant(*opt.value);
  if (!v || v->isNull()) {
    reportNotConstant(*opt.value, what);
    return 0;
  }
  if (v->asInt() < minimum) {
    diags_.error(opt.value->range(), std::string(what) +
                                         (minimum > 0 ? " must be positive" : " must not be negative"));
    return 0;
  }
  return v->asInt();
}

void Sema::checkTable(TableDecl &d) {
  state_[&d] = State::Done;
  RecordTypeRef rec = schemaRecord(d.schema, d.schemaRange, "table");
  d.recordType = rec;
  checkConnector(*d.connector, static_cast<int>(ConnectorRole::Table), rec.get());
  if (!rec)
    return;
  d.keyField = rec->indexOf(d.key);
  if (d.keyField < 0) {
    diags_.error(d.keyRange, "schema '" + d.schema + "' has no field '" + d.key +
                                 "' to use as key" + suggestion(d.key, rec->names()));
    return;
  }
  Type kt = rec->fields[d.keyField].type;
  if (kt.kind == TypeKind::F64 && !kt.isError())
    diags_.error(d.keyRange,
                 "table key '" + d.key + "' is f64; floating-point keys are not allowed");
}

void Sema::checkSink(SinkDecl &d) {
  state_[&d] = State::Done;
  checkConnector(*d.connector, static_cast<int>(ConnectorRole::Sink), nullptr);
}

// ================================================================== pipelines

const StreamInfo *Sema::checkLet(LetDecl &d) {
  State &st = state_[&d];
  if (st == State::Visiting)
    return nullptr; // a cycle: reported where it closes (streamFor)
  if (st == State::Unvisited) {
    st = State::Visiting;
    letStack_.push_back(&d);
    StreamInfo info = checkPipeline(*d.pipeline, /*isLet=*/true);
    letStack_.pop_back();
    state_[&d] = State::Done;
    if (info.type)
      streams_[&d] = info;
  }
  auto it = streams_.find(&d);
  return it == streams_.end() ? nullptr : &it->second;
}

const StreamInfo *Sema::streamFor(const std::string &name, SourceRange at) {
  const Stmt *s = lookup(name);
  if (!s) {
    if (!isBroken(name)) {
      std::vector<std::string> streams;
      for (const auto &[n, st] : symbols_)
        if (isa<SourceDecl>(st) || isa<LetDecl>(st))
          streams.push_back(n);
      diags_.error(at, "unknown stream '" + name + "'" + suggestion(name, streams));
    }
    return nullptr;
  }
  if (auto *src = dyn_cast<SourceDecl>(s)) {
    usedStreams_.insert(s);
    checkDecl(*const_cast<SourceDecl *>(src));
    auto it = streams_.find(s);
    return it == streams_.end() ? nullptr : &it->second;
  }
  if (auto *let = dyn_cast<LetDecl>(s)) {
    usedStreams_.insert(s);
    if (state_[let] == State::Visiting) {
      diags_.error(at, letStack_.back() == let
                           ? "let '" + name + "' reads from itself"
                           : "lets read from each other: " + cycleChain(letStack_, let));
      return nullptr;
    }
    return checkLet(*const_cast<LetDecl *>(let));
  }
  std::string hint =
      isa<TableDecl>(s) ? "; a table is read with 'lookup " + name + " on <key>'" : "";
  Diagnostic &d = diags_.error(at, "'" + name + "' is " + stmtKindName(s->kind()) +
                                       ", not a stream (a source or a let)" + hint);
  d.notes.push_back({s->nameRange, "'" + name + "' declared here"});
  return nullptr;
}

const Stmt *Sema::findSymbol(const std::string &name, SourceRange at, Stmt::Kind kind,
                             const char *what) {
  const Stmt *t = lookup(name);
  if (!t) {
    if (!isBroken(name)) {
      std::vector<std::string> candidates;
      for (const auto &[n, st] : symbols_)
        if (st->kind() == kind)
          candidates.push_back(n);
      diags_.error(at, "unknown " + std::string(what) + " '" + name + "'" +
                           suggestion(name, candidates));
    }
    return nullptr;
  }
  if (t->kind() != kind) {
    Diagnostic &d = diags_.error(at, "'" + name + "' is " + stmtKindName(t->kind()) + ", not a" +
                                         (std::string(what) == "sink" ? " " : " ") + what);
    d.notes.push_back({t->nameRange, "'" + name + "' declared here"});
    return nullptr;
  }
  checkDecl(*const_cast<Stmt *>(t));
  return t;
}

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
  std::string format = "json";
  if (const ConnectorArg *f = sink.connector->find("format")) {
    if (auto v = evalConstant(*f->value); v && !v->isNull() && v->type.kind == TypeKind::String)
      format = v->asString();
  } else if (sink.connector->name == "file" && !sink.connector->args.empty() &&
             sink.connector->args[0]->name.empty()) {
    if (auto v = evalConstant(*sink.connector->args[0]->value);
        v && v->type.kind == TypeKind::String)
      format = formatFromExtension(v->asString());
  }
  auto [it, first] = sinkShapes_.emplace(&sink, std::make_pair(type, at));
  if (first || (format != "csv" && format != "table") || it->second.first->str() == type->str())
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
  for (size_t i = 0; i < p.stages.size(); ++i) {
    Stage &s = *p.stages[i];
    RecordTypeRef out = checkStage(s, cur, info, p.from, i + 1 == p.stages.size(), isLet);
    s.outputType = out;
    if (!out) {
      // The rest cannot be typed, but its names can still be checked.
      for (size_t j = i + 1; j < p.stages.size(); ++j)
        checkStageNames(*p.stages[j]);
      return StreamInfo{};
    }
    if (!isa<IntoStage>(s))
      cur = out;
  }
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
    std::map<std::string, const NamedExpr *> seen;
    bool ok = true;
    if (items.empty()) {
      diags_.error(s.range(), std::string("'") + (isSelect ? "select" : "extend") +
                                  "' needs at least one item");
      return nullptr;
    }
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
        continue;
      }
      if (t.isError()) {
        ok = false;
        continue;
      }
      int idx = out->indexOf(name);
      if (idx >= 0)
        out->fields[idx].type = t; // extend replaces in place
      else
        out->fields.push_back({name, t});
    }
    return ok ? out : nullptr;
  }
  case Stage::Kind::Window:
    return checkWindow(cast<WindowStage>(s), in, info);
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
    Scope cscope;
    cscope.constWhat = "the join's 'within'";
    checkExpr(*j.within, cscope);
    positiveDuration(*j.within, "the join's 'within'");
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

RecordTypeRef Sema::checkWindow(WindowStage &w, const RecordTypeRef &in, StreamInfo &info) {
  bool ok = true;
  // The spec.
  WindowSpec &spec = *w.spec;
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
                                 {"count", 1, "count(n)"}};
  const Shape *shape = nullptr;
  for (const Shape &sh : shapes)
    if (spec.kind == sh.kind)
      shape = &sh;
  if (!shape) {
    diags_.error(spec.kindRange,
                 "unknown window '" + spec.kind + "'" +
                     suggestion(spec.kind, {"tumbling", "sliding", "session", "count"}) +
                     " (windows: tumbling(size), sliding(size, slide), session(gap), count(n))");
    ok = false;
  } else if (spec.args.size() != shape->args) {
    diags_.error(spec.range(), "'" + spec.kind + "' takes " + std::to_string(shape->args) +
                                   (shape->args == 1 ? " argument" : " arguments") + ": " +
                                   shape->usage);
    ok = false;
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
    if (t.isError()) {
      ok = false;
      continue;
    }
    if (t.kind == TypeKind::F64 || t.isNullLiteral()) {
      diags_.error(k->expr->range(),
                   "cannot group by '" + name + "' of type " + t.str() +
                       (t.kind == TypeKind::F64
                            ? ": floating-point keys are not allowed; use i64(...) or round it"
                            : ""));
      ok = false;
      continue;
    }
    if (!addName(name, k->nameRange.isValid() ? k->nameRange : k->range()))
      continue;
    keys->fields.push_back({name, t});
    out->fields.push_back({name, t});
  }

  // Aggregates.
  if (w.aggregates.empty()) {
    diags_.error(w.range(), "the aggregate block needs at least one entry, e.g. n: count()");
    ok = false;
  }
  Scope ascope;
  ascope.record = keys.get();
  ascope.agg = Scope::Agg::Entry;
  ascope.aggInput = in.get();
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
    if (t.isError()) {
      ok = false;
      continue;
    }
    if (t.isNullLiteral()) {
      diags_.error(a->expr->range(), "the type of '" + name + "' is unknown (null)");
      ok = false;
      continue;
    }
    if (!addName(name, a->nameRange.isValid() ? a->nameRange : a->range()))
      continue;
    out->fields.push_back({name, t});
  }

  // Late records.
  if (!w.lateSink.empty()) {
    if (auto *sink = llvm::dyn_cast_or_null<SinkDecl>(
            findSymbol(w.lateSink, w.lateSinkRange, Stmt::Kind::Sink, "sink")))
      checkSinkKey(*sink, scope); // late records are the window's input
    if (spec.kind == "count")
      diags_.error(w.lateSinkRange,
                   "a count window has no late records; 'late into' needs a time window");
  }

  // A window result carries window_end - 1ms, in its input's time domain.
  return ok ? out : nullptr;
}

} // namespace streamc
