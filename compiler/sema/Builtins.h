#pragma once
/// \file
/// The built-in scalar functions (LANGUAGE.md §7): their names, arities and
/// typing rules. Aggregates (§6) are entries of aggregates/Aggregate.h.

#include "sema/Type.h"

#include <string>
#include <vector>

namespace streamc {

enum class BuiltinId {
  // scalar
  Abs,
  Sqrt,
  Exp,
  Ln,
  Log10,
  Pow,
  Floor,
  Ceil,
  Round,
  Min,
  Max,
  Len,
  Lower,
  Upper,
  Trim,
  Contains,
  StartsWith,
  EndsWith,
  Substr,
  Replace,
  StrPos,
  SplitPart,
  RegexpLike,
  RegexpExtract,
  RegexpReplace,
  ToI64,
  ToF64,
  ToString,
  Coalesce,
  Now,
  FloorTime,
  Year,
  Month,
  Day,
  Hour,
  Minute,
  Second,
  ParseTimestamp,
};

/// What generated code must provide for a built-in.
enum BuiltinFlags : unsigned {
  /// Builds strings in the per-record arena, or reads the record's clock: the
  /// loop must begin a record context (srt_record_begin) for every record.
  UsesRecordContext = 1u << 0,
  /// May reject the record it is evaluated for: integer overflow, a float
  /// result that is NaN or infinite, an argument out of range (§2, §9).
  CanFail = 1u << 1,
  /// Argument 2 is a regular expression (RE2 syntax): a constant string,
  /// checked by sema and compiled once when the program starts.
  PatternArg = 1u << 2,
};

/// The argument of a PatternArg built-in that holds its pattern.
inline constexpr size_t kPatternArg = 1;

struct Builtin {
  const char *name;
  BuiltinId id;
  int minArgs;
  int maxArgs;           ///< -1: any number
  const char *signature; ///< for messages: "substr(s: string, start: i64[, length: i64])"
  unsigned flags = 0;    ///< BuiltinFlags
};

/// The scalar built-in with \p id.
const Builtin &scalarBuiltin(BuiltinId id);

const Builtin *findScalarBuiltin(const std::string &name);
/// Every scalar function name, for suggestions.
std::vector<std::string> builtinNames();

/// The result of typing a call: the type, or an error naming the argument.
struct BuiltinTyping {
  Type type = Type::error();
  std::string error; ///< empty when the call is well typed
  int badArg = -1;   ///< the argument the error is about, or -1 for the call
};

/// Types a call with arguments of the given types (arity already checked).
BuiltinTyping typeBuiltinCall(const Builtin &b, const std::vector<Type> &args);

} // namespace streamc
