#pragma once
/// \file
/// The aggregate registry (LANGUAGE.md §6, §6.2). Every aggregate is one
/// AggregateFunction entry, defined in a file of this folder with all it
/// takes: its name and signature, its typing (sema), the constant arguments
/// it checks, its state's layout and the code that initialises (zero
/// bytes), updates, merges, reads and frees that state (codegen, through an
/// AggregateEmitter). Sema, the plan and codegen only ever go through the
/// entry; the runtime sees the state as bytes and calls the merge and free
/// functions generated from the entries (srt_window_desc).
///
/// Adding an aggregate: docs/architecture.md, "An aggregate".

#include "sema/Builtins.h"
#include "sema/Type.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class Value;
}

namespace streamc {

struct Val;             // codegen/ExprCodeGen.h
class AggregateEmitter; // codegen/AggregateEmitter.h
struct AggregateCall;   // plan/AggregateCall.h

/// Where an aggregate may be used.
enum AggregateFlags : unsigned {
  /// Two states can be merged exactly: the aggregate may be used in sliding
  /// windows (whose slices are merged) and session windows (which merge).
  Mergeable = 1u << 0,
  /// Only in `extend over` (LANGUAGE.md §6.2): the result is computed from
  /// the frame's records before the current one (emitResult sees the
  /// current record's arguments), then the current record enters the frame.
  TestThenTrain = 1u << 1,
  /// Only in `extend over unbounded` (logreg_predict, kmeans_assign).
  UnboundedFrameOnly = 1u << 2,
  /// Merging two states gives exactly the state folding all their records
  /// would, with no rounding and no overflow (count, min, max, first, last,
  /// arg_max, arg_min): an `extend over rows(n)` or `range(d)` whose
  /// aggregates all merge exactly keeps partial aggregates (two stacks)
  /// rather than folding its frame for every record.
  ExactMerge = 1u << 3,
  /// Merging two states costs O(1) and gives what folding their records
  /// would, up to floating-point rounding (sum, avg, the moments): an
  /// `extend over rows(n)` or `range(d)` whose aggregates all merge
  /// exactly or cheaply keeps them in two stacks too.
  CheapMerge = 1u << 5,
  /// Merged states may overflow (an integer sum of a sliding window's
  /// panes, of sessions a record bridges): the result is then null, so in
  /// sliding and session windows it is typed nullable.
  NullWhenMergeOverflows = 1u << 4,
};

/// An argument that must be a constant (or a param) in a range: a
/// positional one (percentile's p) or a named one (`ewma(x, alpha: 0.3)`).
/// Named ones follow the positional arguments, by name, in any order.
struct ConstantArg {
  const char *name;  ///< the argument's name, or null: positional `index`
  size_t index;      ///< a positional one's index
  const char *what;  ///< "percentile's p", for a param's start-up check
  double min, max;   ///< the bounds, inclusive but for minExclusive
  bool minExclusive; ///< (min, max]
  /// A named one's value when it is left out; NaN: it must be given.
  double defaultValue;
  /// The error when it is out of range or not a constant: "the percentile
  /// must be a constant between 0 and 1, as in percentile(x, 0.95)".
  const char *message;
};

class AggregateFunction {
public:
  AggregateFunction(const char *name, int minArgs, int maxArgs, const char *signature,
                    unsigned flags)
      : name(name), minArgs(minArgs), maxArgs(maxArgs), signature(signature), flags(flags) {}
  virtual ~AggregateFunction() = default;

  const char *name;
  int minArgs, maxArgs;
  const char *signature; ///< for messages: "avg(x: number) -> f64"
  unsigned flags;        ///< AggregateFlags

  // ------------------------------------------------------------ sema
  /// The call's type for positional arguments of these types (arity
  /// already checked), or an error naming the argument.
  virtual BuiltinTyping type(const std::vector<Type> &args) const = 0;
  /// The arguments that are constants rather than per-record values; they
  /// are checked by sema (and at start-up when they read a param) and
  /// evaluated only where the state is read. minArgs and maxArgs count the
  /// positional arguments (positional constants included, named ones not).
  virtual std::vector<ConstantArg> constantArgs() const { return {}; }

  // --------------------------------------------------------- codegen
  /// The size of the state (8-byte aligned), which starts as zero bytes.
  virtual uint32_t stateSize(const AggregateCall &call) const = 0;
  /// True when the number of values the aggregate has seen is the number
  /// of records its state holds (its arguments are never null): it then
  /// keeps no count of its own but reads the one every stage's state keeps
  /// for all such aggregates (AggregateEmitter::rows), incremented once per
  /// record and added up by merges.
  virtual bool countsRows(const AggregateCall &call) const { return false; }
  /// True when the state owns memory (string copies, sketches) that
  /// emitFree must release.
  virtual bool ownsMemory(const AggregateCall &call) const { return false; }
  /// The first half of an update: what may reject the record (an overflow)
  /// is computed and checked, nothing is stored. Every aggregate's check is
  /// emitted before any update, so a rejected record is in none of them.
  /// What it returns is handed to emitUpdate.
  virtual std::vector<llvm::Value *> emitCheck(AggregateEmitter &e) const { return {}; }
  /// Folds the record's arguments into the state.
  virtual void emitUpdate(AggregateEmitter &e, const std::vector<llvm::Value *> &checked) const = 0;
  /// Folds state e.other() into e.state() (needed with Mergeable).
  virtual void emitMerge(AggregateEmitter &e) const = 0;
  /// The aggregate's value (with TestThenTrain: for the current record,
  /// whose arguments are in e.args, from the state before it entered).
  virtual Val emitResult(AggregateEmitter &e) const = 0;
  /// Frees what the state owns (with ownsMemory).
  virtual void emitFree(AggregateEmitter &e) const {}
};

/// The aggregate called \p name taking \p arity arguments, if any.
const AggregateFunction *findAggregate(const std::string &name, size_t arity);
/// Any aggregate called \p name, whatever its arity (for messages).
const AggregateFunction *findAggregateNamed(const std::string &name);
/// Every aggregate's name, for suggestions and completion.
std::vector<std::string> aggregateNames();

} // namespace streamc
