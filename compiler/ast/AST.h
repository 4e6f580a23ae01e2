#pragma once
/// \file
/// The abstract syntax tree of a .stream file.
///
/// A kind-tagged class hierarchy (LLVM-style `classof`, so `llvm::isa`,
/// `llvm::cast` and `llvm::dyn_cast` work), children owned through
/// `std::unique_ptr`, and a source range on every node. The AST builder
/// (parse/AstBuilder.cpp) creates it; semantic analysis fills the annotation
/// fields marked "set by sema".

#include "sema/Type.h"
#include "support/SourceManager.h"

#include <llvm/Support/Casting.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace streamc {

class FnDecl;
struct Builtin;
class AggregateFunction;

/// Base of every AST node: a source range.
class Node {
public:
  explicit Node(SourceRange range) : range_(range) {}
  virtual ~Node() = default;
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;

  SourceRange range() const { return range_; }

private:
  SourceRange range_;
};

// ============================================================== expressions

class Expr : public Node {
public:
  enum class Kind {
    IntLit,
    FloatLit,
    StringLit,
    BoolLit,
    NullLit,
    DurationLit,
    Name,
    FieldAccess,
    Unary,
    Binary,
    In,
    IsNull,
    If,
    Call,
  };

  Kind kind() const { return kind_; }

  /// Set by sema: the type of the value; Error when it could not be typed.
  Type type = Type::error();

protected:
  Expr(Kind kind, SourceRange range) : Node(range), kind_(kind) {}

private:
  Kind kind_;
};

using ExprPtr = std::unique_ptr<Expr>;

class IntLiteral : public Expr {
public:
  IntLiteral(SourceRange r, int64_t value) : Expr(Kind::IntLit, r), value(value) {}
  int64_t value;
  static bool classof(const Expr *e) { return e->kind() == Kind::IntLit; }
};

class FloatLiteral : public Expr {
public:
  FloatLiteral(SourceRange r, double value) : Expr(Kind::FloatLit, r), value(value) {}
  double value;
  static bool classof(const Expr *e) { return e->kind() == Kind::FloatLit; }
};

class StringLiteral : public Expr {
public:
  StringLiteral(SourceRange r, std::string value)
      : Expr(Kind::StringLit, r), value(std::move(value)) {}
  std::string value; ///< with escapes resolved
  static bool classof(const Expr *e) { return e->kind() == Kind::StringLit; }
};

class BoolLiteral : public Expr {
public:
  BoolLiteral(SourceRange r, bool value) : Expr(Kind::BoolLit, r), value(value) {}
  bool value;
  static bool classof(const Expr *e) { return e->kind() == Kind::BoolLit; }
};

class NullLiteral : public Expr {
public:
  explicit NullLiteral(SourceRange r) : Expr(Kind::NullLit, r) {}
  static bool classof(const Expr *e) { return e->kind() == Kind::NullLit; }
};

/// `250ms`, `5s`: the value in milliseconds.
class DurationLiteral : public Expr {
public:
  DurationLiteral(SourceRange r, int64_t millis) : Expr(Kind::DurationLit, r), millis(millis) {}
  int64_t millis;
  static bool classof(const Expr *e) { return e->kind() == Kind::DurationLit; }
};

/// What a name in an expression refers to (set by sema).
struct NameBinding {
  enum class Kind {
    Unresolved,
    Field,      ///< a field of the current record; `index` into it
    OtherField, ///< a field of a join's other side; `index` into it
    Param,      ///< a `param` declaration; `decl` points to it
    FnParam,    ///< a parameter of the enclosing `fn`; `index`
    Stream,     ///< a stream name used as a qualifier (`orders.id`)
    Member,     ///< a field of a record value (`geo.city`); `index` into its record
  };
  Kind kind = Kind::Unresolved;
  int index = -1;
  const class ParamDecl *param = nullptr;
};

/// A bare identifier: a field, a param, or an fn parameter.
class NameExpr : public Expr {
public:
  NameExpr(SourceRange r, std::string name) : Expr(Kind::Name, r), name(std::move(name)) {}
  std::string name;
  NameBinding binding; ///< set by sema
  static bool classof(const Expr *e) { return e->kind() == Kind::Name; }
};

/// `base.field`: in a join condition, a field of one side.
class FieldAccessExpr : public Expr {
public:
  FieldAccessExpr(SourceRange r, ExprPtr base, std::string field, SourceRange fieldRange)
      : Expr(Kind::FieldAccess, r), base(std::move(base)), field(std::move(field)),
        fieldRange(fieldRange) {}
  ExprPtr base;
  std::string field;
  SourceRange fieldRange;
  NameBinding binding; ///< set by sema: Field or OtherField (`stream.field`), or Member
  static bool classof(const Expr *e) { return e->kind() == Kind::FieldAccess; }
};

enum class UnaryOp { Neg, Not };
const char *unaryOpSpelling(UnaryOp op);

class UnaryExpr : public Expr {
public:
  UnaryExpr(SourceRange r, UnaryOp op, ExprPtr operand)
      : Expr(Kind::Unary, r), op(op), operand(std::move(operand)) {}
  UnaryOp op;
  ExprPtr operand;
  static bool classof(const Expr *e) { return e->kind() == Kind::Unary; }
};

enum class BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod };
const char *binaryOpSpelling(BinaryOp op);

class BinaryExpr : public Expr {
public:
  BinaryExpr(SourceRange r, BinaryOp op, ExprPtr lhs, ExprPtr rhs, SourceRange opRange)
      : Expr(Kind::Binary, r), op(op), lhs(std::move(lhs)), rhs(std::move(rhs)), opRange(opRange) {}
  BinaryOp op;
  ExprPtr lhs, rhs;
  SourceRange opRange;
  static bool classof(const Expr *e) { return e->kind() == Kind::Binary; }
};

/// `x in [a, b]` / `x not in [a, b]`
class InExpr : public Expr {
public:
  InExpr(SourceRange r, ExprPtr operand, std::vector<ExprPtr> list, bool negated)
      : Expr(Kind::In, r), operand(std::move(operand)), list(std::move(list)), negated(negated) {}
  ExprPtr operand;
  std::vector<ExprPtr> list;
  bool negated;
  static bool classof(const Expr *e) { return e->kind() == Kind::In; }
};

/// `x is null` / `x is not null`
class IsNullExpr : public Expr {
public:
  IsNullExpr(SourceRange r, ExprPtr operand, bool negated)
      : Expr(Kind::IsNull, r), operand(std::move(operand)), negated(negated) {}
  ExprPtr operand;
  bool negated;
  static bool classof(const Expr *e) { return e->kind() == Kind::IsNull; }
};

/// `if c then a else b`, and `case when c1 then v1 [when c2 then v2 ...]
/// [else v] end` (isCase): the value of the first arm whose condition holds
/// (null counts as false), else that of `elseExpr`, or null when a `case`
/// has no `else`.
class IfExpr : public Expr {
public:
  struct Arm {
    ExprPtr cond, value;
  };
  IfExpr(SourceRange r, std::vector<Arm> arms, ExprPtr elseExpr, bool isCase)
      : Expr(Kind::If, r), arms(std::move(arms)), elseExpr(std::move(elseExpr)), isCase(isCase) {}
  std::vector<Arm> arms;   ///< one for `if`, at least one for `case`
  ExprPtr elseExpr;        ///< null: a `case` without `else`
  bool isCase;
  static bool classof(const Expr *e) { return e->kind() == Kind::If; }
};

/// What a call refers to (set by sema).
enum class CalleeKind { Unresolved, Builtin, Fn, Aggregate };

/// `f(a, b)`: a built-in, an `fn`, or (inside `aggregate {}`) an aggregate.
class CallExpr : public Expr {
public:
  CallExpr(SourceRange r, std::string callee, SourceRange calleeRange, std::vector<ExprPtr> args)
      : Expr(Kind::Call, r), callee(std::move(callee)), calleeRange(calleeRange),
        args(std::move(args)) {}
  std::string callee;
  SourceRange calleeRange;
  std::vector<ExprPtr> args;
  /// The name of each argument given by name (`alpha: 0.3`), parallel to
  /// args; empty for a positional one (and when built without names).
  struct ArgName {
    std::string name;
    SourceRange range;
  };
  std::vector<ArgName> argNames;
  /// Argument \p i's name, or "" for a positional argument.
  const std::string &argName(size_t i) const {
    static const std::string none;
    return i < argNames.size() ? argNames[i].name : none;
  }

  CalleeKind calleeKind = CalleeKind::Unresolved; ///< set by sema
  const Builtin *builtin = nullptr;               ///< set by sema (Builtin)
  const AggregateFunction *aggregate = nullptr;   ///< set by sema (Aggregate)
  const FnDecl *fn = nullptr;                     ///< set by sema (Fn)
  static bool classof(const Expr *e) { return e->kind() == Kind::Call; }
};

// ============================================================== pieces

/// `i64`, `string?`
class TypeRef : public Node {
public:
  TypeRef(SourceRange r, std::string name, bool nullable)
      : Node(r), name(std::move(name)), nullable(nullable) {}
  std::string name;
  bool nullable;
  Type resolved = Type::error(); ///< set by sema
};

/// `name: expr` or a bare `expr` (select items, extend items, keys,
/// aggregate entries). `name` is empty when it was not written.
class NamedExpr : public Node {
public:
  NamedExpr(SourceRange r, std::string name, SourceRange nameRange, ExprPtr expr)
      : Node(r), name(std::move(name)), nameRange(nameRange), expr(std::move(expr)) {}
  std::string name;
  SourceRange nameRange;
  ExprPtr expr;
  std::string outputName; ///< set by sema: `name`, or the field it refers to
};

/// One argument of a connector call: `format: "csv"` or a positional value.
class ConnectorArg : public Node {
public:
  ConnectorArg(SourceRange r, std::string name, SourceRange nameRange, ExprPtr value)
      : Node(r), name(std::move(name)), nameRange(nameRange), value(std::move(value)) {}
  std::string name; ///< empty for a positional argument
  SourceRange nameRange;
  ExprPtr value;
};

/// `file("x.csv", format: "csv")`
class ConnectorCall : public Node {
public:
  ConnectorCall(SourceRange r, std::string name, SourceRange nameRange,
                std::vector<std::unique_ptr<ConnectorArg>> args)
      : Node(r), name(std::move(name)), nameRange(nameRange), args(std::move(args)) {}
  std::string name;
  SourceRange nameRange;
  std::vector<std::unique_ptr<ConnectorArg>> args;

  const ConnectorArg *find(const std::string &argName) const {
    for (const auto &a : args)
      if (a->name == argName)
        return a.get();
    return nullptr;
  }
};

/// `tumbling(1m)`, `sliding(10m, 1m)`, `session(30s)`, `count(100)`
class WindowSpec : public Node {
public:
  WindowSpec(SourceRange r, std::string kind, SourceRange kindRange, std::vector<ExprPtr> args,
             bool parenthesised)
      : Node(r), kind(std::move(kind)), kindRange(kindRange), args(std::move(args)),
        parenthesised(parenthesised) {}
  std::string kind;
  SourceRange kindRange;
  std::vector<ExprPtr> args;
  bool parenthesised; ///< `count(n)`; `all` has no parentheses
};

// ============================================================== stages

class Stage : public Node {
public:
  enum class Kind {
    Where,
    Select,
    Extend,
    ExtendOver,
    Window,
    Lookup,
    Join,
    Union,
    Unnest,
    Distinct,
    Top,
    Into
  };
  Kind kind() const { return kind_; }

  /// Set by sema: the type of the records this stage emits.
  RecordTypeRef outputType;

protected:
  Stage(Kind kind, SourceRange r) : Node(r), kind_(kind) {}

private:
  Kind kind_;
};

using StagePtr = std::unique_ptr<Stage>;

class WhereStage : public Stage {
public:
  WhereStage(SourceRange r, ExprPtr cond) : Stage(Kind::Where, r), cond(std::move(cond)) {}
  ExprPtr cond;
  static bool classof(const Stage *s) { return s->kind() == Kind::Where; }
};

class SelectStage : public Stage {
public:
  SelectStage(SourceRange r, std::vector<std::unique_ptr<NamedExpr>> items)
      : Stage(Kind::Select, r), items(std::move(items)) {}
  std::vector<std::unique_ptr<NamedExpr>> items;
  static bool classof(const Stage *s) { return s->kind() == Kind::Select; }
};

class ExtendStage : public Stage {
public:
  ExtendStage(SourceRange r, std::vector<std::unique_ptr<NamedExpr>> items)
      : Stage(Kind::Extend, r), items(std::move(items)) {}
  std::vector<std::unique_ptr<NamedExpr>> items;
  static bool classof(const Stage *s) { return s->kind() == Kind::Extend; }
};

/// `extend over <frame> [by <key>, ...] { name: <expr>, ... } [late into s]`
/// (LANGUAGE.md §6.1): per record, aggregates over a frame of the records
/// of its key processed before it; every field kept, these added or
/// replaced. The frame is `rows(n)`, `range(d)` or `unbounded` (a
/// WindowSpec in form).
class ExtendOverStage : public Stage {
public:
  ExtendOverStage(SourceRange r, std::unique_ptr<WindowSpec> frame, std::vector<ExprPtr> keys,
                  std::vector<std::unique_ptr<NamedExpr>> items, std::string lateSink,
                  SourceRange lateSinkRange)
      : Stage(Kind::ExtendOver, r), frame(std::move(frame)), keys(std::move(keys)),
        items(std::move(items)), lateSink(std::move(lateSink)), lateSinkRange(lateSinkRange) {}
  std::unique_ptr<WindowSpec> frame;
  std::vector<ExprPtr> keys;
  std::vector<std::unique_ptr<NamedExpr>> items;
  std::string lateSink; ///< empty when there is no `late into`
  SourceRange lateSinkRange;
  int64_t rows = 0;    ///< set by sema: rows(n)
  int64_t rangeMs = 0; ///< set by sema: range(d)
  static bool classof(const Stage *s) { return s->kind() == Kind::ExtendOver; }
};

class WindowStage : public Stage {
public:
  WindowStage(SourceRange r, std::unique_ptr<WindowSpec> spec,
              std::vector<std::unique_ptr<NamedExpr>> keys,
              std::vector<std::unique_ptr<NamedExpr>> aggregates, std::string lateSink,
              SourceRange lateSinkRange)
      : Stage(Kind::Window, r), spec(std::move(spec)), keys(std::move(keys)),
        aggregates(std::move(aggregates)), lateSink(std::move(lateSink)),
        lateSinkRange(lateSinkRange) {}
  std::unique_ptr<WindowSpec> spec;
  std::vector<std::unique_ptr<NamedExpr>> keys;
  std::vector<std::unique_ptr<NamedExpr>> aggregates;
  std::string lateSink; ///< empty when there is no `late into`
  SourceRange lateSinkRange;
  static bool classof(const Stage *s) { return s->kind() == Kind::Window; }
};

class LookupStage : public Stage {
public:
  LookupStage(SourceRange r, std::string table, SourceRange tableRange, ExprPtr key, bool orNull)
      : Stage(Kind::Lookup, r), table(std::move(table)), tableRange(tableRange),
        key(std::move(key)), orNull(orNull) {}
  std::string table;
  SourceRange tableRange;
  ExprPtr key;
  bool orNull;
  static bool classof(const Stage *s) { return s->kind() == Kind::Lookup; }
};

/// `join <stream> on <cond> within <interval>`; the interval is `d` (within
/// = d), `(before, after)` (within = before, after) or `unbounded` (neither).
class JoinStage : public Stage {
public:
  JoinStage(SourceRange r, std::string stream, SourceRange streamRange, ExprPtr cond,
            ExprPtr within, ExprPtr after, SourceRange intervalRange)
      : Stage(Kind::Join, r), stream(std::move(stream)), streamRange(streamRange),
        cond(std::move(cond)), within(std::move(within)), after(std::move(after)),
        intervalRange(intervalRange) {}
  std::string stream;
  SourceRange streamRange;
  ExprPtr cond;
  ExprPtr within; ///< `within d`'s d, or `(before, after)`'s before; null: unbounded
  ExprPtr after;  ///< `(before, after)`'s after; else null
  SourceRange intervalRange;
  bool unbounded() const { return within == nullptr; }
  RecordTypeRef otherType; ///< set by sema: the other side's record type
  static bool classof(const Stage *s) { return s->kind() == Kind::Join; }
};

/// `union a, b`: this stream's records and the named streams'.
class UnionStage : public Stage {
public:
  /// A stream the union reads, as written.
  struct Input {
    std::string name;
    SourceRange range;
  };
  UnionStage(SourceRange r, std::vector<Input> inputs)
      : Stage(Kind::Union, r), inputs(std::move(inputs)) {}
  std::vector<Input> inputs;
  static bool classof(const Stage *s) { return s->kind() == Kind::Union; }
};

/// `unnest <name> = split(<string>, <separator>)`: one record per piece of
/// the string, each with field `name` set to the piece.
class UnnestStage : public Stage {
public:
  UnnestStage(SourceRange r, std::string name, SourceRange nameRange, ExprPtr split)
      : Stage(Kind::Unnest, r), name(std::move(name)), nameRange(nameRange),
        split(std::move(split)) {}
  std::string name;
  SourceRange nameRange;
  ExprPtr split;          ///< the `split(...)` call, as written
  std::string separator;  ///< set by sema: the separator's (constant) value
  static bool classof(const Stage *s) { return s->kind() == Kind::Unnest; }
};

/// `distinct by <key>, ... within <duration>`: drops a record when a kept
/// record with the same key values is at most the duration away.
class DistinctStage : public Stage {
public:
  DistinctStage(SourceRange r, std::vector<ExprPtr> keys, ExprPtr within)
      : Stage(Kind::Distinct, r), keys(std::move(keys)), within(std::move(within)) {}
  std::vector<ExprPtr> keys;
  ExprPtr within;
  int64_t withinMs = 0; ///< set by sema
  static bool classof(const Stage *s) { return s->kind() == Kind::Distinct; }
};

/// `top <n> by <expr> [asc|desc] [per <key>, ...]`: of a window's results,
/// the n rows with the largest (smallest) values per window (and keys),
/// ranked.
class TopStage : public Stage {
public:
  TopStage(SourceRange r, ExprPtr count, ExprPtr order, bool descending, std::vector<ExprPtr> per)
      : Stage(Kind::Top, r), count(std::move(count)), order(std::move(order)),
        descending(descending), per(std::move(per)) {}
  ExprPtr count;
  ExprPtr order;
  bool descending = true;
  std::vector<ExprPtr> per;
  int64_t n = 0;           ///< set by sema
  bool wholeInput = false; ///< set by sema: over `window all` (one group per key values)
  static bool classof(const Stage *s) { return s->kind() == Kind::Top; }
};

class IntoStage : public Stage {
public:
  IntoStage(SourceRange r, std::string sink, SourceRange sinkRange)
      : Stage(Kind::Into, r), sink(std::move(sink)), sinkRange(sinkRange) {}
  std::string sink;
  SourceRange sinkRange;
  static bool classof(const Stage *s) { return s->kind() == Kind::Into; }
};

/// `from x | stage | stage ...`
class Pipeline : public Node {
public:
  Pipeline(SourceRange r, std::string from, SourceRange fromRange, std::vector<StagePtr> stages)
      : Node(r), from(std::move(from)), fromRange(fromRange), stages(std::move(stages)) {}
  std::string from;
  SourceRange fromRange;
  std::vector<StagePtr> stages;

  RecordTypeRef inputType;  ///< set by sema: the type of `from`'s records
  RecordTypeRef outputType; ///< set by sema: after the last non-`into` stage
};

// ============================================================== statements

/// A top-level statement. Every kind but Import and Pipeline declares a name.
class Stmt : public Node {
public:
  enum class Kind { Import, Schema, Source, Table, Sink, Param, Fn, Let, Pipeline, Test };
  Kind kind() const { return kind_; }

  /// The declared name ("" for imports and pipelines) and where it is written.
  std::string name;
  SourceRange nameRange;

protected:
  Stmt(Kind kind, SourceRange r, std::string name, SourceRange nameRange)
      : Node(r), name(std::move(name)), nameRange(nameRange), kind_(kind) {}

private:
  Kind kind_;
};

using StmtPtr = std::unique_ptr<Stmt>;

/// `import std.stats` or `import "lib/common.stream"`
class ImportDecl : public Stmt {
public:
  ImportDecl(SourceRange r, std::string target, bool isPath)
      : Stmt(Kind::Import, r, "", {}), target(std::move(target)), isPath(isPath) {}
  std::string target; ///< "std.stats" or the path as written
  bool isPath;
  static bool classof(const Stmt *s) { return s->kind() == Kind::Import; }
};

class FieldDecl : public Node {
public:
  FieldDecl(SourceRange r, std::string name, SourceRange nameRange, std::unique_ptr<TypeRef> type)
      : Node(r), name(std::move(name)), nameRange(nameRange), type(std::move(type)) {}
  std::string name;
  SourceRange nameRange;
  std::unique_ptr<TypeRef> type;
};

class SchemaDecl : public Stmt {
public:
  SchemaDecl(SourceRange r, std::string name, SourceRange nameRange,
             std::vector<std::unique_ptr<FieldDecl>> fields)
      : Stmt(Kind::Schema, r, std::move(name), nameRange), fields(std::move(fields)) {}
  std::vector<std::unique_ptr<FieldDecl>> fields;
  RecordTypeRef recordType; ///< set by sema
  static bool classof(const Stmt *s) { return s->kind() == Kind::Schema; }
};

/// `event_time = ts`, `max_delay = 5s`
class SourceOption : public Node {
public:
  SourceOption(SourceRange r, std::string name, SourceRange nameRange, ExprPtr value)
      : Node(r), name(std::move(name)), nameRange(nameRange), value(std::move(value)) {}
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

class SourceDecl : public Stmt {
public:
  SourceDecl(SourceRange r, std::string name, SourceRange nameRange, std::string schema,
             SourceRange schemaRange, std::unique_ptr<ConnectorCall> connector,
             std::vector<std::unique_ptr<SourceOption>> options)
      : Stmt(Kind::Source, r, std::move(name), nameRange), schema(std::move(schema)),
        schemaRange(schemaRange), connector(std::move(connector)), options(std::move(options)) {}
  std::string schema;
  SourceRange schemaRange;
  std::unique_ptr<ConnectorCall> connector;
  std::vector<std::unique_ptr<SourceOption>> options;

  // Set by sema.
  RecordTypeRef recordType;
  int eventTimeField = -1; ///< index of the event-time field, -1: processing time
  int64_t maxDelayMs = 0;
  int64_t idleTimeoutMs = 0; ///< `idle_timeout` (0: none)
  static bool classof(const Stmt *s) { return s->kind() == Kind::Source; }
};

class TableDecl : public Stmt {
public:
  TableDecl(SourceRange r, std::string name, SourceRange nameRange, std::string schema,
            SourceRange schemaRange, std::unique_ptr<ConnectorCall> connector, std::string key,
            SourceRange keyRange)
      : Stmt(Kind::Table, r, std::move(name), nameRange), schema(std::move(schema)),
        schemaRange(schemaRange), connector(std::move(connector)), key(std::move(key)),
        keyRange(keyRange) {}
  std::string schema;
  SourceRange schemaRange;
  std::unique_ptr<ConnectorCall> connector;
  std::string key;
  SourceRange keyRange;

  RecordTypeRef recordType; ///< set by sema
  int keyField = -1;        ///< set by sema
  static bool classof(const Stmt *s) { return s->kind() == Kind::Table; }
};

class SinkDecl : public Stmt {
public:
  SinkDecl(SourceRange r, std::string name, SourceRange nameRange,
           std::unique_ptr<ConnectorCall> connector)
      : Stmt(Kind::Sink, r, std::move(name), nameRange), connector(std::move(connector)) {}
  std::unique_ptr<ConnectorCall> connector;
  static bool classof(const Stmt *s) { return s->kind() == Kind::Sink; }
};

/// `test <name> { given <source> = <connector> ... expect [ordered] <sink> =
/// <connector> ... }` (LANGUAGE.md §8): run by `streamc test` with each
/// given source reading the given connector instead of its own, and each
/// expected sink's records compared with the connector's. A test's name is
/// not a name of the program (tests have their own).
class TestDecl : public Stmt {
public:
  struct Given {
    std::string source; ///< a source or a table
    SourceRange sourceRange;
    std::unique_ptr<ConnectorCall> connector;
  };
  struct Expect {
    std::string sink;
    SourceRange sinkRange;
    bool ordered;
    std::unique_ptr<ConnectorCall> connector;
    RecordTypeRef recordType = nullptr; ///< set by sema: what the sink is written
  };
  TestDecl(SourceRange r, std::string name, SourceRange nameRange)
      : Stmt(Kind::Test, r, std::move(name), nameRange) {}
  std::vector<Given> given;
  std::vector<Expect> expect;
  static bool classof(const Stmt *s) { return s->kind() == Kind::Test; }
};

class ParamDecl : public Stmt {
public:
  ParamDecl(SourceRange r, std::string name, SourceRange nameRange, std::unique_ptr<TypeRef> type,
            ExprPtr defaultValue)
      : Stmt(Kind::Param, r, std::move(name), nameRange), type(std::move(type)),
        defaultValue(std::move(defaultValue)) {}
  std::unique_ptr<TypeRef> type;
  ExprPtr defaultValue; ///< may be null: the value must then be supplied
  static bool classof(const Stmt *s) { return s->kind() == Kind::Param; }
};

class FnParam : public Node {
public:
  FnParam(SourceRange r, std::string name, SourceRange nameRange, std::unique_ptr<TypeRef> type)
      : Node(r), name(std::move(name)), nameRange(nameRange), type(std::move(type)) {}
  std::string name;
  SourceRange nameRange;
  std::unique_ptr<TypeRef> type;
};

class FnDecl : public Stmt {
public:
  FnDecl(SourceRange r, std::string name, SourceRange nameRange,
         std::vector<std::unique_ptr<FnParam>> params, std::unique_ptr<TypeRef> returnType,
         ExprPtr body)
      : Stmt(Kind::Fn, r, std::move(name), nameRange), params(std::move(params)),
        returnType(std::move(returnType)), body(std::move(body)) {}
  std::vector<std::unique_ptr<FnParam>> params;
  std::unique_ptr<TypeRef> returnType; ///< may be null: inferred
  ExprPtr body;
  Type resultType = Type::error(); ///< set by sema
  static bool classof(const Stmt *s) { return s->kind() == Kind::Fn; }
};

class LetDecl : public Stmt {
public:
  LetDecl(SourceRange r, std::string name, SourceRange nameRange,
          std::unique_ptr<Pipeline> pipeline)
      : Stmt(Kind::Let, r, std::move(name), nameRange), pipeline(std::move(pipeline)) {}
  std::unique_ptr<Pipeline> pipeline;
  static bool classof(const Stmt *s) { return s->kind() == Kind::Let; }
};

/// A pipeline statement `from ... | into sink` (or to standard output).
class PipelineStmt : public Stmt {
public:
  PipelineStmt(SourceRange r, std::unique_ptr<Pipeline> pipeline)
      : Stmt(Kind::Pipeline, r, "", {}), pipeline(std::move(pipeline)) {}
  std::unique_ptr<Pipeline> pipeline;
  static bool classof(const Stmt *s) { return s->kind() == Kind::Pipeline; }
};

/// One parsed file: its statements in source order.
class Module {
public:
  FileId file = 0;
  std::vector<StmtPtr> stmts;
  /// Names declared by statements that failed to parse, so that later uses
  /// do not cascade into "unknown name" errors.
  std::vector<std::string> brokenNames;
};

} // namespace streamc
