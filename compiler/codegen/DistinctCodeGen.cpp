// Distinct stages: their runtime state, and the test each record passes
// (see Generator::emitDistinct).
#include "codegen/Generator.h"

#include "codegen/KeyCodeGen.h"

namespace streamc::codegen_detail {

void Generator::createDedups() {
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  for (const LogicalDistinct *d : dedups_) {
    DedupInfo &info = dedupInfo_[d];
    info.handle = handleSlot("distinct");
    llvm::Value *within = startUpSetting(d->within.get(), d->withinMs, 0,
                                         "distinct at " + d->where + ": 'within'", true);
    b_.CreateStore(rt_.call(b_, Abi::srt_dedup_create, {runArg_, rt_.cstring(d->where), within}),
                   info.handle);
    info.keyBuffer =
        eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, kKeyBufferSize), nullptr, "distinct.key");
    info.keyBuffer->setAlignment(llvm::Align(8));
  }
}

void Generator::emitDistinct(const LogicalDistinct &d, llvm::Value *record,
                             const RecordType &type) {
  DedupInfo &info = dedupInfo_.at(&d);
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  ExprCodeGen exprs = exprGen(record, type);
  auto [key, keyLen] =
      KeyCodeGen::encodeRecordKey(b_, rt_, fn_, exprs, d.keys, info.keyBuffer, kKeyBufferSize,
                                  Abi::srt_dedup_key_buffer, handle);
  llvm::Value *lateBefore = lateBefore_ ? lateBefore_ : b_.getInt64(INT64_MIN);
  llvm::Value *kept = rt_.call(b_, Abi::srt_dedup_keep, {handle, key, keyLen, time_, lateBefore});
  auto *pass = llvm::BasicBlock::Create(ctx_, "distinct.kept", fn_);
  auto *done = llvm::BasicBlock::Create(ctx_, "distinct.done", fn_);
  b_.CreateCondBr(b_.CreateICmpEQ(kept, b_.getInt32(1)), pass, done);
  b_.SetInsertPoint(pass);
  emitConsumers(d, record, type);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

} // namespace streamc::codegen_detail
