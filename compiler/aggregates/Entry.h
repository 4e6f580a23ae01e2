#pragma once
/// \file
/// What the files defining aggregates share (internal to aggregates/): the
/// emitter and typing helpers.

#include "aggregates/Aggregate.h"
#include "codegen/AggregateEmitter.h"

#include <string>

namespace streamc::aggregates {

inline BuiltinTyping typed(Type t) { return {t, "", -1}; }
inline BuiltinTyping badArg(int arg, std::string message) {
  return {Type::error(), std::move(message), arg};
}

/// "argument 1 of 'avg' must be a number, found string".
inline BuiltinTyping expectedArg(const AggregateFunction &f, const std::vector<Type> &args,
                                 size_t i, const char *what) {
  return badArg(static_cast<int>(i), "argument " + std::to_string(i + 1) + " of '" + f.name +
                                         "' must be " + what + ", found " + args[i].str());
}

/// Argument \p i is a number (the null literal is not: it has no type).
inline bool numeric(const std::vector<Type> &args, size_t i) { return args[i].isNumeric(); }

/// Values of this kind have an order (min, max, arg_max's `by`).
inline bool orderable(TypeKind k) {
  return k == TypeKind::I64 || k == TypeKind::F64 || k == TypeKind::String ||
         k == TypeKind::Timestamp || k == TypeKind::Duration;
}

} // namespace streamc::aggregates
