#pragma once
/// \file
/// Code generation for a window's aggregates and keys: the fixed-size
/// aggregate state the compiler lays out (srt_agg_* slots, srt/types.h),
/// its inline update per record, its final values when the window fires,
/// and the byte encoding of a key that the runtime hashes and compares.

#include "codegen/ExprCodeGen.h"
#include "plan/LogicalWindowAggregate.h"

namespace streamc {

/// Where each aggregate lives in the state, and the kind the runtime uses
/// to merge and free it.
struct AggregateLayout {
  std::vector<uint32_t> kinds;   ///< enum srt_agg_kind per aggregate
  std::vector<uint32_t> offsets; ///< byte offset per aggregate
  uint32_t size = 0;

  static AggregateLayout of(const LogicalWindowAggregate &window);
};

class AggregateCodeGen {
public:
  AggregateCodeGen(llvm::IRBuilder<> &b, RuntimeDecls &rt, llvm::Function *fn,
                   const LogicalWindowAggregate &window, const AggregateLayout &layout)
      : b_(b), rt_(rt), fn_(fn), window_(window), layout_(layout) {}

  /// Evaluates every aggregate's argument for the record \p exprs reads
  /// (count() has none: an empty Val). Done before the record's group is
  /// looked up, so a record an argument rejects creates no group.
  std::vector<Val> emitArguments(ExprCodeGen &exprs);
  /// Folds the record's \p args into \p state; \p seq is the record's
  /// arrival number (for first and last). A sum that would overflow rejects
  /// the record before any aggregate changes, so a rejected record is in
  /// none of them.
  void emitUpdate(ExprCodeGen &exprs, const std::vector<Val> &args, llvm::Value *state,
                  llvm::Value *seq);
  /// The value of every aggregate of \p state; \p consts evaluates
  /// constant arguments (a percentile's p).
  std::vector<Val> emitResults(ExprCodeGen &consts, llvm::Value *state);

  /// The key's encoding (KeyCodeGen.h): its bytes and length. \p buffer
  /// has room for \p inlineSize bytes; longer keys go to the window's
  /// buffer (\p window).
  std::pair<llvm::Value *, llvm::Value *> emitKey(ExprCodeGen &exprs, llvm::Value *buffer,
                                                  uint32_t inlineSize, llvm::Value *window);
  /// Decodes key bytes into a record of the key fields (strings are views
  /// into the bytes).
  void emitDecodeKey(ExprCodeGen &exprs, llvm::Value *bytes, llvm::Value *keyRecord,
                     const RecordType &keyType, const RecordLayout &keyLayout);

private:
  /// The new value of every aggregate whose update can fail (a sum's value;
  /// variance's mean and m2), computed and checked before anything is stored.
  struct CheckedUpdates {
    std::vector<llvm::Value *> sums;
    std::vector<std::pair<llvm::Value *, llvm::Value *>> moments;
  };
  CheckedUpdates emitCheckedUpdates(ExprCodeGen &exprs, const std::vector<Val> &args,
                                    llvm::Value *state);
  llvm::Value *slotAddr(llvm::Value *state, size_t i, uint32_t field = 0);
  llvm::Value *asF64(Val v, TypeKind kind);
  llvm::Value *asI64(Val v, TypeKind kind);
  /// An f64's bits with -0.0 made 0.0 and every NaN one NaN, so equal
  /// values have equal bytes (keys, distinct sets).
  llvm::Value *canonicalBits(llvm::Value *x);
  /// The value as bytes for the distinct set and HyperLogLog: (ptr, len).
  std::pair<llvm::Value *, llvm::Value *> valueBytes(Val v, TypeKind kind);
  /// Runs \p body only when \p cond holds.
  template <typename F> void when(llvm::Value *cond, F &&body);
  /// The `by` keys' types, the parts of the key.
  std::vector<Type> keyTypes() const;

  llvm::IRBuilder<> &b_;
  RuntimeDecls &rt_;
  llvm::Function *fn_;
  const LogicalWindowAggregate &window_;
  const AggregateLayout &layout_;
};

} // namespace streamc
