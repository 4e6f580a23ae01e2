#pragma once
/// \file
/// Code generation for a window's aggregates and keys: the fixed-size
/// aggregate state the compiler lays out (each aggregate's part from its
/// registry entry), its inline update per record, its final values when the
/// window fires, the functions that merge and free it, and the byte
/// encoding of a key that the runtime hashes and compares.

#include "codegen/ExprCodeGen.h"
#include "plan/LogicalWindowAggregate.h"

namespace streamc {

/// Where each aggregate lives in the state.
struct AggregateLayout {
  std::vector<uint32_t> offsets; ///< byte offset per aggregate
  uint32_t size = 0;
  bool ownsMemory = false; ///< some aggregate's state must be freed
  /// The records the state holds, shared by the aggregates that count them
  /// (AggregateFunction::countsRows), or -1.
  int32_t rowsOffset = -1;

  static AggregateLayout of(const std::vector<AggregateCall> &aggregates);
};

class AggregateEmitter;

/// Generates the aggregates of a window or an extend over through their
/// registry entries (aggregates/Aggregate.h).
class AggregateCodeGen {
public:
  /// The aggregates and keys of a window or an extend over.
  AggregateCodeGen(llvm::IRBuilder<> &b, RuntimeDecls &rt, llvm::Function *fn,
                   const std::vector<AggregateCall> &aggregates,
                   const std::vector<PlanExprPtr> &keys, const AggregateLayout &layout)
      : b_(b), rt_(rt), fn_(fn), aggregates_(aggregates), keys_(keys), layout_(layout) {}

  /// Evaluates every aggregate's per-record arguments for the record
  /// \p exprs reads, all aggregates' in one list. Done before the record's
  /// group is looked up, so a record an argument rejects creates no group.
  std::vector<Val> emitArguments(ExprCodeGen &exprs);
  /// Folds the record's \p args into \p state; \p seq is the record's
  /// arrival number (for first and last). Every check that may reject the
  /// record (an overflowing sum) comes before any aggregate changes, so a
  /// rejected record is in none of them.
  void emitUpdate(ExprCodeGen &exprs, const std::vector<Val> &args, llvm::Value *state,
                  llvm::Value *seq);
  /// Which aggregates emitResults computes: the test-then-train ones are
  /// computed before the record enters the state (extend over).
  enum class Results { All, TestThenTrain, Others };
  /// The value of the aggregates \p which selects of \p state (the others'
  /// are empty); \p consts evaluates constant arguments (a percentile's p),
  /// \p args are the current record's (emitArguments), which the
  /// test-then-train ones read.
  std::vector<Val> emitResults(ExprCodeGen &consts, llvm::Value *state,
                               Results which = Results::All,
                               const std::vector<Val> *args = nullptr);

  /// `void merge(ptr dst, ptr src)`: folds every aggregate of state src
  /// into dst (srt_window_desc.merge).
  static llvm::Function *emitMergeFunction(llvm::Module &module, RuntimeDecls &rt,
                                           const std::vector<AggregateCall> &aggregates,
                                           const AggregateLayout &layout) {
    return emitStateFunction(module, rt, aggregates, layout, true);
  }
  /// `void free(ptr state)`: frees what the state owns, or null when it
  /// owns nothing (srt_window_desc.destroy).
  static llvm::Function *emitFreeFunction(llvm::Module &module, RuntimeDecls &rt,
                                          const std::vector<AggregateCall> &aggregates,
                                          const AggregateLayout &layout) {
    return emitStateFunction(module, rt, aggregates, layout, false);
  }

  /// Decodes key bytes into a record of the key fields (strings are views
  /// into the bytes).
  void emitDecodeKey(ExprCodeGen &exprs, llvm::Value *bytes, llvm::Value *keyRecord,
                     const RecordType &keyType, const RecordLayout &keyLayout);

private:
  static llvm::Function *emitStateFunction(llvm::Module &module, RuntimeDecls &rt,
                                           const std::vector<AggregateCall> &aggregates,
                                           const AggregateLayout &layout, bool merge);
  /// emitArguments' list split per aggregate.
  std::vector<std::vector<Val>> split(const std::vector<Val> &args) const;
  /// An emitter of aggregate \p i whose state is in \p state.
  AggregateEmitter emitter(size_t i, llvm::Value *state);
  /// The `by` keys' types, the parts of the key.
  std::vector<Type> keyTypes() const;

  llvm::IRBuilder<> &b_;
  RuntimeDecls &rt_;
  llvm::Function *fn_;
  const std::vector<AggregateCall> &aggregates_;
  const std::vector<PlanExprPtr> &keys_;
  const AggregateLayout &layout_;
};

} // namespace streamc
