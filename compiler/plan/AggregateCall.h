#pragma once
/// \file
/// One aggregate computed by a stateful operator: the registry entry, its
/// arguments over the operator's input record, and its result type.

#include "aggregates/Aggregate.h"
#include "plan/PlanExpr.h"

#include <cstring>
#include <string>
#include <utility>

namespace streamc {

/// Where an aggregate's state lives, which decides its layout: merged
/// states can overflow only in a merging window (an integer sum then
/// remembers it), and a frame's sums are exact (its partial aggregates may
/// hold runs of records whose sum a window's state could not).
enum class AggregateUse {
  Window,        ///< tumbling, count or all: states are never merged
  MergingWindow, ///< sliding (slices) or session (sessions a record bridges)
  Frame,         ///< extend over: a running state, or a frame's partials
};

struct AggregateCall {
  const AggregateFunction *fn = nullptr;
  /// The positional arguments, then every named one in the order the entry
  /// lists them (a left-out one with its default).
  std::vector<PlanExprPtr> args;
  Type type;
  AggregateUse use = AggregateUse::Window;

  /// Where constant argument \p c is in args.
  size_t indexOf(const ConstantArg &c) const {
    if (!c.name)
      return c.index;
    size_t named = 0, position = 0;
    for (const ConstantArg &a : fn->constantArgs())
      if (a.name) {
        if (std::strcmp(a.name, c.name) == 0)
          position = named;
        ++named;
      }
    return args.size() - named + position;
  }
  /// True when argument \p i is one of the entry's constant arguments.
  bool isConstantArg(size_t i) const {
    for (const ConstantArg &c : fn->constantArgs())
      if (indexOf(c) == i)
        return true;
    return false;
  }
};

/// True when some of \p calls counts the state's records
/// (AggregateFunction::countsRows): the state then keeps that count once,
/// after the aggregates' parts.
inline bool aggregatesShareRows(const std::vector<AggregateCall> &calls) {
  for (const AggregateCall &a : calls)
    if (a.fn->countsRows(a))
      return true;
  return false;
}

/// The bytes of state \p calls need per group (each part 8-byte aligned, as
/// codegen's AggregateLayout lays them out, and the shared count of
/// records), and whether some part owns memory beyond them (string copies,
/// sketches).
inline std::pair<uint32_t, bool> aggregateStateBytes(const std::vector<AggregateCall> &calls) {
  uint32_t bytes = aggregatesShareRows(calls) ? sizeof(int64_t) : 0;
  bool owns = false;
  for (const AggregateCall &a : calls) {
    bytes += (a.fn->stateSize(a) + 7) & ~7u;
    owns |= a.fn->ownsMemory(a);
  }
  return {bytes, owns};
}

/// "state: 40 bytes per key and window" for --emit=plan.
inline std::string describeAggregateState(const std::vector<AggregateCall> &calls,
                                          const std::string &per) {
  auto [bytes, owns] = aggregateStateBytes(calls);
  return "state: " + std::to_string(bytes) + " bytes per " + per +
         (owns ? " (and the strings and sketches they own)" : "");
}

} // namespace streamc
