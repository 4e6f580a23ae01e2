/// \file
/// Key encoding (KeyCodeGen.h).
#include "codegen/KeyCodeGen.h"

namespace streamc {

uint32_t KeyCodeGen::fixedSize() const {
  uint32_t size = 0;
  for (const Type &t : parts_)
    size += (t.nullable ? 1 : 0) +
            (t.kind == TypeKind::String ? 4 : t.kind == TypeKind::Bool ? 1 : 8);
  return size;
}

llvm::Value *KeyCodeGen::canonicalBits(llvm::IRBuilder<> &b, llvm::Value *x) {
  x = b.CreateFAdd(x, llvm::ConstantFP::get(b.getDoubleTy(), 0.0));
  x = b.CreateSelect(b.CreateFCmpUNO(x, x), llvm::ConstantFP::getNaN(b.getDoubleTy()), x);
  return b.CreateBitCast(x, b.getInt64Ty());
}

std::pair<llvm::Value *, llvm::Value *>
KeyCodeGen::encode(const std::vector<Val> &values, llvm::Value *buffer, uint32_t inlineSize,
                   const std::function<llvm::Value *(llvm::Value *)> &longBuffer) {
  uint32_t fixed = fixedSize();
  if (parts_.empty())
    return {buffer, b_.getInt64(0)};
  auto isNull = [&](const Val &v) { return v.null ? v.null : b_.getFalse(); };
  llvm::Value *len = b_.getInt64(fixed);
  bool mayBeLong = fixed > inlineSize;
  for (size_t i = 0; i < parts_.size(); ++i)
    if (parts_[i].kind == TypeKind::String) { // a null string is stored empty
      len = b_.CreateAdd(len, b_.CreateSelect(isNull(values[i]), b_.getInt64(0),
                                              b_.CreateExtractValue(values[i].v, 1)));
      mayBeLong = true;
    }
  llvm::Value *buf = buffer;
  if (mayBeLong) {
    auto *big = llvm::BasicBlock::Create(b_.getContext(), "key.long", fn_);
    auto *ready = llvm::BasicBlock::Create(b_.getContext(), "key.buffer", fn_);
    llvm::BasicBlock *from = b_.GetInsertBlock();
    b_.CreateCondBr(b_.CreateICmpUGT(len, b_.getInt64(inlineSize)), big, ready);
    b_.SetInsertPoint(big);
    llvm::Value *heap = longBuffer(len);
    llvm::BasicBlock *bigEnd = b_.GetInsertBlock();
    b_.CreateBr(ready);
    b_.SetInsertPoint(ready);
    auto *phi = b_.CreatePHI(rt_.ptr, 2);
    phi->addIncoming(buffer, from);
    phi->addIncoming(heap, bigEnd);
    buf = phi;
  }
  uint32_t at = 0;
  llvm::Value *tail = b_.getInt64(fixed); // where the next string's bytes go
  for (size_t i = 0; i < parts_.size(); ++i) {
    TypeKind kind = parts_[i].kind;
    const Val &v = values[i];
    llvm::Value *null = isNull(v);
    auto addr = [&](uint32_t off) { return b_.CreateConstInBoundsGEP1_64(rt_.i8, buf, off); };
    if (parts_[i].nullable)
      b_.CreateStore(b_.CreateZExt(null, rt_.i8), addr(at++));
    if (kind == TypeKind::String) {
      llvm::Value *l = b_.CreateSelect(null, b_.getInt64(0), b_.CreateExtractValue(v.v, 1));
      b_.CreateAlignedStore(b_.CreateTrunc(l, rt_.i32), addr(at), llvm::Align(1));
      at += 4;
      b_.CreateMemCpy(b_.CreateInBoundsGEP(rt_.i8, buf, tail), llvm::Align(1),
                      b_.CreateExtractValue(v.v, 0), llvm::Align(1), l);
      tail = b_.CreateAdd(tail, l);
    } else if (kind == TypeKind::Bool) {
      b_.CreateStore(b_.CreateSelect(null, b_.getInt8(0), b_.CreateZExt(v.v, rt_.i8)), addr(at));
      at += 1;
    } else {
      llvm::Value *bits = kind == TypeKind::F64 ? canonicalBits(b_, v.v) : v.v;
      bits = b_.CreateSelect(null, b_.getInt64(0), bits);
      b_.CreateAlignedStore(bits, addr(at), llvm::Align(1));
      at += 8;
    }
  }
  return {buf, len};
}

void KeyCodeGen::decode(ExprCodeGen &exprs, llvm::Value *bytes, llvm::Value *record,
                        const RecordType &type, const RecordLayout &layout, int firstField) {
  uint32_t at = 0;
  llvm::Value *tail = b_.getInt64(fixedSize());
  for (size_t i = 0; i < parts_.size(); ++i) {
    TypeKind kind = parts_[i].kind;
    auto addr = [&](uint32_t off) { return b_.CreateConstInBoundsGEP1_64(rt_.i8, bytes, off); };
    llvm::Value *null = b_.getFalse();
    if (parts_[i].nullable)
      null = b_.CreateICmpNE(b_.CreateLoad(rt_.i8, addr(at++)), b_.getInt8(0));
    llvm::Value *v;
    if (kind == TypeKind::String) {
      llvm::Value *l = b_.CreateZExt(b_.CreateAlignedLoad(rt_.i32, addr(at), llvm::Align(1)), rt_.i64);
      at += 4;
      v = llvm::UndefValue::get(rt_.strTy);
      v = b_.CreateInsertValue(v, b_.CreateInBoundsGEP(rt_.i8, bytes, tail), 0);
      v = b_.CreateInsertValue(v, l, 1);
      tail = b_.CreateAdd(tail, l);
    } else if (kind == TypeKind::Bool) {
      v = b_.CreateTrunc(b_.CreateLoad(rt_.i8, addr(at)), rt_.i1);
      at += 1;
    } else {
      v = b_.CreateAlignedLoad(rt_.i64, addr(at), llvm::Align(1));
      if (kind == TypeKind::F64)
        v = b_.CreateBitCast(v, rt_.f64);
      at += 8;
    }
    exprs.storeField(record, layout, type, firstField + static_cast<int>(i), {v, null});
  }
}

std::pair<llvm::Value *, llvm::Value *>
KeyCodeGen::encodeRecordKey(llvm::IRBuilder<> &b, RuntimeDecls &rt, llvm::Function *fn,
                            ExprCodeGen &exprs, const std::vector<PlanExprPtr> &keys,
                            llvm::Value *buffer, uint32_t inlineSize, Abi longBuffer,
                            llvm::Value *handle) {
  std::vector<Val> values;
  std::vector<Type> types;
  for (const auto &k : keys) {
    values.push_back(exprs.emit(*k));
    types.push_back(k->type);
  }
  return KeyCodeGen(b, rt, fn, types).encode(values, buffer, inlineSize, [&](llvm::Value *len) {
    return rt.call(b, longBuffer, {handle, len});
  });
}

} // namespace streamc
