#pragma once
/// \file
/// Semantic analysis: name resolution, the type rules of LANGUAGE.md §2 and
/// §7 (with nullability), built-in signatures, `fn` checks, connector
/// arguments, window and aggregate rules, and the output record type of
/// every stage. Annotates the AST in place and reports every error.

#include "ast/Program.h"
#include "sema/Evaluate.h"
#include "sema/InlineCost.h"
#include "sema/Value.h"
#include "support/Diagnostics.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace streamc {

/// What a stream (a source or a `let`) carries.
struct StreamInfo {
  RecordTypeRef type;
  bool eventTime = false; ///< false: processing time
  /// The window whose results the records are (through where, select,
  /// extend and top), or null: what `top` ranks.
  const WindowStage *window = nullptr;
};

/// A param's value for this compilation: from `--param`/YAML, else the default.
struct ParamValue {
  std::optional<Value> value; ///< nullopt: no default and not given
  bool overridden = false;
};

class Sema {
public:
  Sema(const SourceManager &sm, DiagnosticEngine &diags) : sm_(sm), diags_(diags) {}

  /// Values given on the command line or in YAML, as text; typed against the
  /// declarations during check().
  void setParamOverrides(std::map<std::string, std::string> overrides) {
    overrides_ = std::move(overrides);
  }
  /// Where each override came from ("app.yaml:3"), for messages; absent for
  /// the command line.
  void setParamOrigins(std::map<std::string, std::string> origins) {
    origins_ = std::move(origins);
  }

  /// Whether a `let` of the main module that no pipeline reads gets a
  /// warning (the default).
  void setWarnUnusedLets(bool warn) { warnUnusedLets_ = warn; }
  void setTestsNeedPipelines(bool need) { testsNeedPipelines_ = need; }

  /// Checks the whole program. Returns false if any error was reported.
  bool check(Program &program);

  /// How many of the errors were about `--param` values (configuration
  /// errors, exit status 2, rather than errors in the program).
  unsigned configErrorCount() const { return configErrors_; }

  /// Checks statements added to an already-checked program (the REPL).
  bool checkMore(Program &program, Module &module);

  // --- results, for the plan builder and the driver
  const Stmt *lookup(const std::string &name) const;
  const ParamValue &paramValue(const ParamDecl *p) const { return params_.at(p); }
  const StreamInfo &streamInfo(const Stmt *sourceOrLet) const { return streams_.at(sourceOrLet); }
  /// The value of a constant expression (literals, params, arithmetic on
  /// them), or nullopt if it is not constant.
  std::optional<Value> evalConstant(const Expr &e) const;
  /// The same, with the reason when there is no value (a param without a
  /// value, division by zero, ...).
  EvalResult evaluate(const Expr &e) const;

private:
  struct Scope;
  enum class State { Unvisited, Visiting, Done };

  void declare(Module &module);
  void checkDecl(Stmt &s);
  void checkSchema(SchemaDecl &d);
  /// The type \p t names: a value type, or (in a schema) another schema's
  /// record; \p recordsNotHere names where a record may not be ("a param").
  Type resolveType(TypeRef &t, const char *recordsNotHere = nullptr);
  RecordTypeRef schemaRecord(const std::string &name, SourceRange at, const char *role);
  void checkParam(ParamDecl &d);
  void checkFn(FnDecl &d);
  void checkSource(SourceDecl &d);
  void checkTable(TableDecl &d);
  /// A source option that is a constant duration of at least \p minimum
  /// ms (0 after reporting an error).
  int64_t sourceDuration(SourceOption &opt, const char *what, int64_t minimum);
  void checkSink(SinkDecl &d);
  void checkConnector(ConnectorCall &c, int role, const RecordType *schema);
  const StreamInfo *checkLet(LetDecl &d);
  StreamInfo checkPipeline(Pipeline &p, bool isLet);
  const StreamInfo *streamFor(const std::string &name, SourceRange at);
  /// `union`: the inputs have this stream's field names and types in order
  /// (`T` with `T?` gives `T?`) and the same time domain.
  RecordTypeRef checkUnion(const UnionStage &u, const RecordTypeRef &in, StreamInfo &info,
                           const std::string &fromName);
  RecordTypeRef checkStage(Stage &s, const RecordTypeRef &in, StreamInfo &info,
                           const std::string &fromName, bool last, bool isLet);
  /// `unnest name = split(s, sep)`: the input's fields and `name: string`.
  RecordTypeRef checkUnnest(UnnestStage &u, const RecordTypeRef &in, const Scope &scope);
  RecordTypeRef checkDistinct(DistinctStage &d, const RecordTypeRef &in, const Scope &scope);
  RecordTypeRef checkExtendOver(ExtendOverStage &o, const RecordTypeRef &in, const Scope &scope);
  void checkLateSink(const std::string &name, SourceRange at, const RecordTypeRef &in,
                     const Scope &scope);
  bool checkItems(std::vector<std::unique_ptr<NamedExpr>> &items, const Scope &scope,
                  RecordType &out, bool isSelect);
  RecordTypeRef checkTop(TopStage &t, const RecordTypeRef &in, const StreamInfo &info,
                         const Scope &scope);
  bool groupableKey(const Expr &e, const Type &t, const std::string &name);
  /// A window's spec: a known kind, its arguments (constant sizes, a
  /// positive count); false after reporting what is wrong.
  bool checkWindowSpec(WindowSpec &spec);
  RecordTypeRef checkWindow(WindowStage &w, const RecordTypeRef &in, StreamInfo &info);
  /// Set by a stage check that failed but knows its output but for the bad
  /// fields (which have the error type): the pipeline's later stages are
  /// checked on it.
  RecordTypeRef recovered_;
  /// The value of constant duration \p e, which must be positive (or, with
  /// \p zeroAllowed, not negative); reported and nullopt when it is not.
  std::optional<int64_t> positiveDuration(const Expr &e, const char *what,
                                          bool zeroAllowed = false);
  /// Reports why an expression that must be constant is not (or cannot be
  /// computed: division by zero, a param without a value).
  void reportNotConstant(const Expr &e, const std::string &what);
  /// After a stage fails, the later stages cannot be typed, but the names
  /// they use (sinks, tables, streams) are still checked.
  void checkStageNames(Stage &s);
  void checkSinkKey(const SinkDecl &sink, const Scope &scope);
  void checkSinkShape(const SinkDecl &sink, const RecordTypeRef &type, SourceRange at);
  const Stmt *findSymbol(const std::string &name, SourceRange at, Stmt::Kind kind,
                         const char *what);

  // Expressions (CheckExpr.cpp).
  Type checkExpr(Expr &e, const Scope &scope);
  Type checkName(NameExpr &e, const Scope &scope);
  Type checkFieldAccess(FieldAccessExpr &e, const Scope &scope);
  /// `a.b` on a record a (a nested record's field).
  Type checkMemberAccess(FieldAccessExpr &e, const Scope &scope);
  /// False, with an error naming \p what (an operator, "if"), when \p t is
  /// a record: records are read through their fields.
  bool notRecord(const Expr &e, const Type &t, const char *what);
  /// Checks a built-in's or an aggregate's arguments into \p args: false
  /// (after reporting it) when one is a record.
  bool checkCallArgs(CallExpr &e, const Scope &scope, std::vector<Type> &args);
  Type checkBinary(BinaryExpr &e, const Scope &scope);
  Type checkCall(CallExpr &e, const Scope &scope);
  Type checkAggregateCall(CallExpr &e, const Scope &scope);
  bool noNamedArgs(const CallExpr &e);
  bool checkAggregateConstants(const CallExpr &e, const AggregateFunction &agg,
                               const std::map<std::string, const Expr *> &named);
  /// The pattern (and group, replacement) of a regular-expression built-in
  /// (CheckPatterns.cpp): false, with an error at the argument, when RE2
  /// rejects them.
  bool checkPatternCall(const CallExpr &e);
  /// The `test` statements of \p module (CheckTests.cpp), after every
  /// other statement: they refer to what the sinks are written.
  void checkTests(Module &module);
  void checkTest(TestDecl &t);
  /// False, with an error at the call unless one is reported closer to its
  /// cause, when the call expands to more than kMaxInlinedSize nodes.
  bool checkInlinedSize(const CallExpr &e, const FnDecl &fn);
  Type checkFnCall(CallExpr &e, FnDecl &fn, const Scope &scope);
  bool expectBool(Expr &e, const Scope &scope, const char *what);
  /// "a -> b -> a": the part of \p stack from \p closing, then \p closing.
  template <typename Decl>
  static std::string cycleChain(const std::vector<const Decl *> &stack, const Decl *closing) {
    std::string chain;
    bool on = false;
    for (const Decl *d : stack) {
      on |= d == closing;
      if (on)
        chain += d->name + " -> ";
    }
    return chain + closing->name;
  }
  bool isBroken(const std::string &name) const { return broken_.count(name) != 0; }
  std::vector<std::string> visibleNames(const Scope &scope) const;

  const SourceManager &sm_;
  DiagnosticEngine &diags_;
  std::map<std::string, std::string> overrides_;
  std::map<std::string, std::string> origins_;
  std::string originOf(const std::string &param) const {
    auto it = origins_.find(param);
    return it == origins_.end() ? "" : it->second + ": ";
  }
  unsigned configErrors_ = 0;
  bool warnUnusedLets_ = true;
  bool testsNeedPipelines_ = true;

  std::unordered_map<std::string, Stmt *> symbols_;
  std::set<std::string> broken_;
  std::map<const ParamDecl *, ParamValue> params_;
  std::map<const Stmt *, StreamInfo> streams_;
  std::map<const Stmt *, State> state_;
  std::set<const Stmt *> usedStreams_;
  /// The first record type written to each sink, and where.
  std::map<const SinkDecl *, std::pair<RecordTypeRef, SourceRange>> sinkShapes_;
  /// The tests checked so far, by name (CheckTests.cpp).
  std::map<std::string, const TestDecl *> tests_;
  std::vector<const FnDecl *> fnStack_;
  /// What fn calls expand to once inlined (checkInlinedSize).
  InlineCost inlineCost_;
  std::vector<const ParamDecl *> paramStack_;
  std::vector<const LetDecl *> letStack_;
};

} // namespace streamc
