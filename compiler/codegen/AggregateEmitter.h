#pragma once
/// \file
/// What an aggregate's registry entry (aggregates/Aggregate.h) generates its
/// code with: the builder and the runtime's declarations, one aggregate's
/// call, its part of the state, its arguments for the record being added,
/// and small helpers shared by the entries.

#include "codegen/ExprCodeGen.h"
#include "plan/AggregateCall.h"

#include <utility>

namespace streamc {

class AggregateEmitter {
public:
  AggregateEmitter(llvm::IRBuilder<> &b, RuntimeDecls &rt, llvm::Function *fn,
                   const AggregateCall &call)
      : b(b), rt(rt), fn_(fn), call_(call) {}

  llvm::IRBuilder<> &b;
  RuntimeDecls &rt;

  const AggregateCall &call() const { return call_; }

  // --- what the phase being emitted works on, set by AggregateCodeGen
  /// This aggregate's part of the state (the merge's destination).
  llvm::Value *state = nullptr;
  /// The state merged into `state` (emitMerge only).
  llvm::Value *other = nullptr;
  /// The records the whole state holds (AggregateFunction::countsRows), and
  /// (emitMerge) the other state's; set when some aggregate counts them.
  llvm::Value *rowsSlot = nullptr;
  llvm::Value *otherRowsSlot = nullptr;
  /// The record's arrival number, counting from 1 (emitCheck, emitUpdate).
  llvm::Value *seq = nullptr;
  /// The record's argument values (emitCheck, emitUpdate); a constant
  /// argument's is empty.
  const std::vector<Val> *args = nullptr;
  /// Evaluates expressions: checks that reject the record (emitCheck), the
  /// constant arguments (emitResult).
  ExprCodeGen *exprs = nullptr;

  /// Argument \p i of the record being added.
  const Val &arg(size_t i) const { return (*args)[i]; }
  TypeKind argKind(size_t i) const { return call_.args[i]->type.kind; }
  /// True when no argument is null (count(): always).
  llvm::Value *present();
  /// The records the state holds (countsRows): in emitCheck and emitUpdate
  /// those before the current one, in emitMerge this state's before the
  /// merge; otherRows() the other state's.
  llvm::Value *rows() { return b.CreateLoad(rt.i64, rowsSlot); }
  llvm::Value *otherRows() { return b.CreateLoad(rt.i64, otherRowsSlot); }
  /// The value of constant argument \p i (emitResult).
  Val constant(size_t i);
  /// The value of the named constant argument \p name, given or defaulted
  /// (emitResult, emitCheck, emitUpdate).
  Val named(const char *name);

  /// Stack room for a value of \p ty, allocated once in the function's entry
  /// block (so a loop does not grow the stack).
  llvm::Value *entryAlloca(llvm::Type *ty, const char *name);

  /// The address \p offset bytes into \p slot.
  llvm::Value *at(llvm::Value *slot, uint32_t offset);
  llvm::Value *load(llvm::Type *ty, llvm::Value *slot, uint32_t offset);
  void store(llvm::Value *v, llvm::Value *slot, uint32_t offset);
  /// The i64 at \p offset in \p slot grows by \p by (an i1 or an i64).
  void add(llvm::Value *slot, uint32_t offset, llvm::Value *by);

  llvm::Value *asF64(const Val &v, TypeKind kind);
  /// Bools widened, f64 as their bits: how value slots keep any value.
  llvm::Value *asI64(const Val &v, TypeKind kind);
  /// -1, 0 or 1 (an i32) as the values of \p kind whose i64 bits are \p x
  /// and \p y compare (f64 as numbers, the others as signed integers).
  llvm::Value *compareBits(TypeKind kind, llvm::Value *x, llvm::Value *y);
  /// The i64 bits \p bits read back as a value of \p kind.
  llvm::Value *fromI64(llvm::Value *bits, TypeKind kind);
  /// The value as bytes for sets and sketches: (ptr, len); equal values
  /// have equal bytes (-0.0 is 0.0, every NaN one NaN).
  std::pair<llvm::Value *, llvm::Value *> valueBytes(const Val &v, TypeKind kind);
  /// True (an i1) when the f64 \p x is NaN or infinite: a result that is
  /// null rather than either (§2).
  llvm::Value *notFinite(llvm::Value *x);

  /// Emits \p body to run only when \p cond holds.
  template <typename F> void when(llvm::Value *cond, F &&body) {
    auto *then = llvm::BasicBlock::Create(b.getContext(), "agg.then", fn_);
    auto *done = llvm::BasicBlock::Create(b.getContext(), "agg.done", fn_);
    b.CreateCondBr(cond, then, done);
    b.SetInsertPoint(then);
    body();
    b.CreateBr(done);
    b.SetInsertPoint(done);
  }
  /// The value of \p body when \p cond holds, else \p otherwise (both of
  /// type \p ty); \p body may branch.
  template <typename F>
  llvm::Value *select(llvm::Value *cond, llvm::Type *ty, llvm::Value *otherwise, F &&body) {
    auto *then = llvm::BasicBlock::Create(b.getContext(), "agg.then", fn_);
    auto *done = llvm::BasicBlock::Create(b.getContext(), "agg.done", fn_);
    llvm::BasicBlock *from = b.GetInsertBlock();
    b.CreateCondBr(cond, then, done);
    b.SetInsertPoint(then);
    llvm::Value *value = body();
    llvm::BasicBlock *end = b.GetInsertBlock();
    b.CreateBr(done);
    b.SetInsertPoint(done);
    auto *phi = b.CreatePHI(ty, 2);
    phi->addIncoming(otherwise, from);
    phi->addIncoming(value, end);
    return phi;
  }

private:
  llvm::Function *fn_;
  const AggregateCall &call_;
};

} // namespace streamc
