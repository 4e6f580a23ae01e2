#pragma once
/// \file
/// Value-level evaluation of operators and built-ins, with the language's
/// null semantics. Shared by sema (constants the program needs at compile
/// time) and the constant-folding pass, so both agree on every result.

#include "ast/AST.h"
#include "sema/Builtins.h"
#include "sema/Value.h"

#include <optional>
#include <string>
#include <vector>

namespace streamc {

/// A computed value, or why there is none: `error` names a failure the run
/// would report (division by zero, overflow); both empty means the operation
/// is not evaluated at compile time (e.g. `now()`).
struct EvalResult {
  std::optional<Value> value;
  std::string error;

  static EvalResult of(Value v) { return {std::move(v), {}}; }
  static EvalResult fail(std::string why) { return {std::nullopt, std::move(why)}; }
  static EvalResult notConstant() { return {}; }
};

EvalResult evalUnary(UnaryOp op, Type result, const Value &operand);
/// `and`/`or` are three-valued; every other operator is null if an operand is.
EvalResult evalBinary(BinaryOp op, Type result, const Value &lhs, const Value &rhs);
EvalResult evalBuiltin(BuiltinId id, Type result, const std::vector<Value> &args);

} // namespace streamc
