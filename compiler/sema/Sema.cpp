/// \file
/// Semantic analysis of declarations: schemas, params, functions,
/// connectors, sources, tables, sinks and lets, and the program's names.
/// Pipelines and their stages are checked in CheckPipelines.cpp, the stages
/// reading other streams in CheckStreams.cpp, expressions in CheckExpr.cpp.

#include "sema/Sema.h"

#include "aggregates/Aggregate.h"
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
      diags_.error({}, originOf(name) + "unknown param '" + name + "'" + didYouMean(name, names));
      ++configErrors_;
    }
  }

  for (auto &m : program.modules)
    for (StmtPtr &s : m->stmts)
      checkDecl(*s);
  for (auto &m : program.modules)
    checkTests(*m);

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
  checkTests(module);
  return diags_.errorCount() == before;
}

void Sema::declare(Module &module) {
  for (const std::string &n : module.brokenNames)
    broken_.insert(n);
  for (StmtPtr &s : module.stmts) {
    if (s->name.empty() || isa<TestDecl>(s.get())) // tests have names of their own
      continue;
    if (isa<FnDecl>(s.get()) && (findScalarBuiltin(s->name) || findAggregateNamed(s->name))) {
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
  case Stmt::Kind::Test: // checked last (checkTests)
    state_[&s] = State::Done;
    return;
  }
}

// =============================================================== declarations

Type Sema::resolveType(TypeRef &t, const char *recordsNotHere) {
  auto kind = typeKindFromName(t.name);
  if (kind)
    return t.resolved = Type(*kind, t.nullable);
  // A schema's name: its record, nested in another schema (LANGUAGE.md §4).
  if (auto *schema = llvm::dyn_cast_or_null<SchemaDecl>(const_cast<Stmt *>(lookup(t.name)))) {
    if (recordsNotHere) {
      diags_.error(t.range(), std::string(recordsNotHere) + " cannot be a record: '" + t.name +
                                  "' is a schema");
      return t.resolved = Type::error();
    }
    if (state_[schema] == State::Visiting) {
      diags_.error(t.range(), "schema '" + t.name +
                                  "' contains itself: a record cannot nest a record of its own "
                                  "schema, at any depth");
      return t.resolved = Type::error();
    }
    checkDecl(*schema);
    if (!schema->recordType)
      return t.resolved = Type::error();
    return t.resolved = Type::recordOf(schema->recordType.get(), t.nullable);
  }
  std::vector<std::string> names = allTypeNames();
  for (const auto &[n, s] : symbols_)
    if (isa<SchemaDecl>(s))
      names.push_back(n);
  diags_.error(t.range(), "unknown type '" + t.name + "'" + didYouMean(t.name, names) +
                              " (types are bool, i64, f64, string, timestamp, duration, or a "
                              "schema for a nested record)");
  return t.resolved = Type::error();
}

void Sema::checkSchema(SchemaDecl &d) {
  state_[&d] = State::Visiting; // a field of its own schema is a cycle
  auto rec = std::make_shared<RecordType>();
  rec->name = d.name;
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
  state_[&d] = State::Done;
}

RecordTypeRef Sema::schemaRecord(const std::string &name, SourceRange at, const char *role) {
  const Stmt *s = lookup(name);
  if (!s) {
    if (!isBroken(name)) {
      std::vector<std::string> schemas;
      for (const auto &[n, st] : symbols_)
        if (isa<SchemaDecl>(st))
          schemas.push_back(n);
      diags_.error(at, "unknown schema '" + name + "'" + didYouMean(name, schemas));
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
  Type t = resolveType(*d.type, "a param");
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
    resolveType(*p->type, "an fn parameter");
    if (!seen.insert(p->name).second)
      diags_.error(p->nameRange,
                   "parameter '" + p->name + "' is declared twice in fn '" + d.name + "'");
  }
  Scope scope;
  scope.fn = &d;
  Type body = checkExpr(*d.body, scope);
  if (d.returnType) {
    Type ret = resolveType(*d.returnType, "an fn's result");
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

std::optional<int64_t> Sema::positiveDuration(const Expr &e, const char *what, bool zeroAllowed) {
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
  if (v->asInt() < 0 || (v->asInt() == 0 && !zeroAllowed)) {
    diags_.error(e.range(), std::string(what) +
                                (zeroAllowed ? " must not be negative" : " must be positive") +
                                ", found " + formatDuration(v->asInt()));
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
                                  didYouMean(c.name, connectorNames()) +
                                  " (connectors: " + joined(connectorNames()) + ")");
    return;
  }
  if (!spec->plays(role)) {
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
                         didYouMean(arg->name, names) +
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
      unsigned uses = spec->formatUses(role);
      std::vector<std::string> valid = formatsFor(uses);
      if (std::find(valid.begin(), valid.end(), *fmt) == valid.end())
        diags_.error(it->second->value->range(), "unknown " + std::string(roleName) + " format '" +
                                                     *fmt + "'" + didYouMean(*fmt, valid) +
                                                     " (formats: " + joined(valid) + ")" +
                                                     formatMisuse(*fmt, uses));
    }
  } else if (spec->kind == SRT_CONNECTOR_FILE) {
    auto path = constString("path");
    if (path && formatFromExtension(*path).empty())
      diags_.error(c.range(), "cannot tell the format of \"" + *path +
                                  "\" from its extension; add format: \"csv\" or format: \"json\"");
  }

  // Generators fill the schema's fields by name.
  if (spec->kind == SRT_CONNECTOR_GENERATE) {
    if (auto kind = constString("kind")) {
      const auto *fields = generatorFields(*kind);
      if (!fields) {
        std::vector<std::string> kinds = generatorKinds();
        diags_.error(bound["kind"]->value->range(),
                     "unknown generator kind '" + *kind + "'" + didYouMean(*kind, kinds) +
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

  // A source or table in text: its schema is one string field (a Kafka
  // source's metadata fields aside), which each line fills.
  if (role != ConnectorRole::Sink && schema) {
    std::string fmt = constString("format").value_or("");
    if (fmt.empty() && spec->kind == SRT_CONNECTOR_FILE)
      if (auto path = constString("path"))
        fmt = formatFromExtension(*path);
    if (formatIsOneString(fmt)) {
      std::vector<const Field *> payload;
      for (const Field &f : schema->fields) {
        bool meta = false;
        for (const auto &m : kafkaMetadataFields())
          meta |= spec->kind == SRT_CONNECTOR_KAFKA && f.name == m.name;
        if (!meta)
          payload.push_back(&f);
      }
      if (payload.size() != 1 ||
          (payload[0]->type.kind != TypeKind::String && !payload[0]->type.isError()))
        diags_.error(c.range(), "a " + std::string(roleName) + " in format '" + fmt +
                                    "' reads each line into one string field, but the schema is " +
                                    schema->str());
    }
  }

  // Kafka metadata fields must have their documented types.
  if (spec->kind == SRT_CONNECTOR_KAFKA && schema) {
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
                                            "'" + didYouMean(name->name, rec->names()));
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
                       didYouMean(opt->name, {"event_time", "max_delay", "idle_timeout"}) +
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
    diags_.error(opt.value->range(),
                 std::string(what) + (minimum > 0 ? " must be positive" : " must not be negative"));
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
                                 "' to use as key" + didYouMean(d.key, rec->names()));
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
      diags_.error(at, "unknown stream '" + name + "'" + didYouMean(name, streams));
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
                           didYouMean(name, candidates));
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

} // namespace streamc
