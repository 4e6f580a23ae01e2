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

/// Why an operation rejects a record, in the words the run reports; the
/// compile-time evaluator uses the same words.
/// "i64 overflow in addition", "timestamp overflow in floor_time", ...
std::string overflowReason(TypeKind result, const char *operation);
/// "addition", "subtraction", ... for the arithmetic operators.
const char *operationName(BinaryOp op);
/// Why the float built-in \p id gives no finite result
/// ("sqrt of a negative number").
std::string nonFiniteReason(BuiltinId id);
/// The reason i64(x) rejects an f64 outside the i64 range.
inline constexpr const char *kNotAnI64 = "the value does not fit in i64";
/// True if the f64 \p d converts to i64 without overflow.
inline bool fitsInI64(double d) { return d >= -0x1p63 && d < 0x1p63; }

EvalResult evalUnary(UnaryOp op, Type result, const Value &operand);
/// `and`/`or` are three-valued; every other operator is null if an operand is.
EvalResult evalBinary(BinaryOp op, Type result, const Value &lhs, const Value &rhs);
EvalResult evalBuiltin(BuiltinId id, Type result, const std::vector<Value> &args);

} // namespace streamc
