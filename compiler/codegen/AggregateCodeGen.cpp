#include "codegen/AggregateCodeGen.h"

#include "codegen/AggregateEmitter.h"
#include "codegen/KeyCodeGen.h"

#include <llvm/IR/Module.h>

namespace streamc {

AggregateLayout AggregateLayout::of(const std::vector<AggregateCall> &aggregates) {
  AggregateLayout layout;
  for (const AggregateCall &a : aggregates) {
    layout.offsets.push_back(layout.size);
    layout.size += (a.fn->stateSize(a) + 7) & ~7u; // 8-byte aligned
    layout.ownsMemory |= a.fn->ownsMemory(a);
  }
  if (aggregatesShareRows(aggregates)) {
    layout.rowsOffset = static_cast<int32_t>(layout.size);
    layout.size += sizeof(int64_t);
  }
  if (layout.size == 0)
    layout.size = 8;
  return layout;
}

AggregateEmitter AggregateCodeGen::emitter(size_t i, llvm::Value *state) {
  AggregateEmitter e(b_, rt_, fn_, aggregates_[i]);
  e.state = b_.CreateConstInBoundsGEP1_64(rt_.i8, state, layout_.offsets[i]);
  if (layout_.rowsOffset >= 0)
    e.rowsSlot = b_.CreateConstInBoundsGEP1_64(rt_.i8, state, layout_.rowsOffset);
  return e;
}

std::vector<Val> AggregateCodeGen::emitArguments(ExprCodeGen &exprs) {
  std::vector<Val> args;
  for (const AggregateCall &a : aggregates_)
    for (size_t i = 0; i < a.args.size(); ++i)
      args.push_back(a.isConstantArg(i) ? Val{} : exprs.emit(*a.args[i]));
  return args;
}

std::vector<std::vector<Val>> AggregateCodeGen::split(const std::vector<Val> &args) const {
  std::vector<std::vector<Val>> argsOf;
  size_t next = 0;
  for (const AggregateCall &a : aggregates_) {
    argsOf.emplace_back(args.begin() + next, args.begin() + next + a.args.size());
    next += a.args.size();
  }
  return argsOf;
}

void AggregateCodeGen::emitUpdate(ExprCodeGen &exprs, const std::vector<Val> &args,
                                  llvm::Value *state, llvm::Value *seq) {
  std::vector<std::vector<Val>> argsOf = split(args);
  // First every check that can reject the record, then the stores.
  std::vector<AggregateEmitter> emitters;
  std::vector<std::vector<llvm::Value *>> checked;
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    emitters.push_back(emitter(i, state));
    AggregateEmitter &e = emitters.back();
    e.args = &argsOf[i];
    e.seq = seq;
    e.exprs = &exprs;
    checked.push_back(aggregates_[i].fn->emitCheck(e));
  }
  for (size_t i = 0; i < aggregates_.size(); ++i)
    aggregates_[i].fn->emitUpdate(emitters[i], checked[i]);
  if (layout_.rowsOffset >= 0) { // after the updates: they read the count before
    llvm::Value *rows = b_.CreateConstInBoundsGEP1_64(rt_.i8, state, layout_.rowsOffset);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(rt_.i64, rows), b_.getInt64(1)), rows);
  }
}

std::vector<Val> AggregateCodeGen::emitResults(ExprCodeGen &consts, llvm::Value *state,
                                               Results which, const std::vector<Val> *args) {
  std::vector<std::vector<Val>> argsOf = args ? split(*args) : std::vector<std::vector<Val>>();
  std::vector<Val> out(aggregates_.size());
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    bool testThenTrain = aggregates_[i].fn->flags & TestThenTrain;
    if ((which == Results::TestThenTrain && !testThenTrain) ||
        (which == Results::Others && testThenTrain))
      continue;
    AggregateEmitter e = emitter(i, state);
    e.exprs = &consts;
    if (args)
      e.args = &argsOf[i];
    out[i] = aggregates_[i].fn->emitResult(e);
  }
  return out;
}

llvm::Function *AggregateCodeGen::emitStateFunction(llvm::Module &module, RuntimeDecls &rt,
                                                    const std::vector<AggregateCall> &aggregates,
                                                    const AggregateLayout &layout, bool merge) {
  if (!merge && !layout.ownsMemory)
    return nullptr;
  llvm::LLVMContext &ctx = module.getContext();
  std::vector<llvm::Type *> params(merge ? 2 : 1, rt.ptr);
  auto *fn = llvm::Function::Create(llvm::FunctionType::get(rt.voidTy, params, false),
                                    llvm::GlobalValue::PrivateLinkage,
                                    merge ? "window.merge" : "window.free", module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const AggregateCall &a = aggregates[i];
    if (!merge && !a.fn->ownsMemory(a))
      continue;
    AggregateEmitter e(b, rt, fn, a);
    e.state = b.CreateConstInBoundsGEP1_64(rt.i8, fn->getArg(0), layout.offsets[i]);
    if (layout.rowsOffset >= 0) {
      e.rowsSlot = b.CreateConstInBoundsGEP1_64(rt.i8, fn->getArg(0), layout.rowsOffset);
      if (merge)
        e.otherRowsSlot = b.CreateConstInBoundsGEP1_64(rt.i8, fn->getArg(1), layout.rowsOffset);
    }
    if (merge) {
      e.other = b.CreateConstInBoundsGEP1_64(rt.i8, fn->getArg(1), layout.offsets[i]);
      a.fn->emitMerge(e);
    } else {
      a.fn->emitFree(e);
    }
  }
  if (merge && layout.rowsOffset >= 0) { // after the merges: they read the counts before
    llvm::Value *rows = b.CreateConstInBoundsGEP1_64(rt.i8, fn->getArg(0), layout.rowsOffset);
    llvm::Value *other = b.CreateConstInBoundsGEP1_64(rt.i8, fn->getArg(1), layout.rowsOffset);
    b.CreateStore(b.CreateAdd(b.CreateLoad(rt.i64, rows), b.CreateLoad(rt.i64, other)), rows);
  }
  b.CreateRetVoid();
  return fn;
}

// ---------------------------------------------------------------- keys

std::vector<Type> AggregateCodeGen::keyTypes() const {
  std::vector<Type> types;
  for (const auto &k : keys_)
    types.push_back(k->type);
  return types;
}

void AggregateCodeGen::emitDecodeKey(ExprCodeGen &exprs, llvm::Value *bytes,
                                     llvm::Value *keyRecord, const RecordType &keyType,
                                     const RecordLayout &keyLayout) {
  KeyCodeGen(b_, rt_, fn_, keyTypes()).decode(exprs, bytes, keyRecord, keyType, keyLayout);
}

} // namespace streamc
