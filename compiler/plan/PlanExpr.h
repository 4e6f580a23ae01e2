#pragma once
/// \file
/// Bound expressions of the logical plan. Unlike the AST, names are resolved
/// to field indexes, params and functions, so passes can rewrite them freely.

#include "ast/AST.h"
#include "sema/Builtins.h"
#include "sema/Value.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace streamc {

class PlanExpr;
using PlanExprPtr = std::unique_ptr<PlanExpr>;

class PlanExpr {
public:
  enum class Kind {
    Const,      ///< `value`
    Field,      ///< field `index` of the operator's input record (`name`)
    OtherField, ///< field `index` of a join's other side
    Param,      ///< the value of `param`, read at start-up
    FnArg,      ///< argument `index` inside an fn body (before inlining)
    AggRef,     ///< the result of aggregate `index` (window entries)
    Unary,
    Binary,
    In,     ///< children[0] in children[1..]; `negated`
    IsNull, ///< children[0] is null; `negated`
    If,     ///< children: cond, then, else
    Call,   ///< built-in `builtin` applied to children
    FnCall, ///< user function `fn` applied to children (before inlining)
    Member, ///< field `index` (`name`) of the record children[0] (`geo.city`)
  };

  PlanExpr(Kind kind, Type type, SourceRange range) : kind(kind), type(type), range(range) {}

  Kind kind;
  Type type;
  SourceRange range;

  Value value;      ///< Const
  int index = -1;   ///< Field, OtherField, FnArg, AggRef
  std::string name; ///< Field/OtherField/Param/FnCall/Call name
  const ParamDecl *param = nullptr;
  const FnDecl *fn = nullptr;
  UnaryOp unaryOp = UnaryOp::Neg;
  BinaryOp binaryOp = BinaryOp::Add;
  bool negated = false;
  BuiltinId builtin = BuiltinId::Abs;
  std::vector<PlanExprPtr> children;

  static PlanExprPtr constant(Value v, SourceRange r);
  static PlanExprPtr field(int index, std::string name, Type t, SourceRange r);

  bool isConst() const { return kind == Kind::Const; }
  PlanExprPtr clone() const;
  /// Source-like text, fully parenthesised: `((latency_ms > 500) and ...)`.
  std::string str() const;
  /// Calls \p f on this node and every descendant.
  template <typename F> void walk(F &&f) const {
    f(*this);
    for (const auto &c : children)
      c->walk(f);
  }
  /// True if evaluating this expression can reject the record (§2, §9):
  /// integer overflow or division by zero, a float result that is NaN or
  /// infinite, a built-in flagged CanFail, a call of a user function.
  bool canReject() const;
  /// Indexes of the input fields (Kind::Field) this expression reads.
  void collectFields(std::set<int> &out) const;
  void collectOtherFields(std::set<int> &out) const;
};

} // namespace streamc
