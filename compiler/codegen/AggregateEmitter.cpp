#include "codegen/AggregateEmitter.h"

#include "codegen/KeyCodeGen.h"

#include <cassert>
#include <cstring>

namespace streamc {

llvm::Value *AggregateEmitter::present() {
  llvm::Value *all = b.getTrue();
  for (size_t i = 0; i < call_.args.size(); ++i)
    if (!call_.isConstantArg(i))
      all = b.CreateAnd(all, b.CreateNot(arg(i).null));
  return all;
}

Val AggregateEmitter::constant(size_t i) { return exprs->emit(*call_.args[i]); }

Val AggregateEmitter::named(const char *name) {
  for (const ConstantArg &c : call_.fn->constantArgs())
    if (c.name && std::strcmp(c.name, name) == 0)
      return constant(call_.indexOf(c));
  assert(false && "no such named argument");
  return {};
}

llvm::Value *AggregateEmitter::entryAlloca(llvm::Type *ty, const char *name) {
  llvm::IRBuilder<> eb(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
  return eb.CreateAlloca(ty, nullptr, name);
}

llvm::Value *AggregateEmitter::at(llvm::Value *slot, uint32_t offset) {
  return b.CreateConstInBoundsGEP1_64(rt.i8, slot, offset);
}

llvm::Value *AggregateEmitter::load(llvm::Type *ty, llvm::Value *slot, uint32_t offset) {
  return b.CreateLoad(ty, at(slot, offset));
}

void AggregateEmitter::store(llvm::Value *v, llvm::Value *slot, uint32_t offset) {
  b.CreateStore(v, at(slot, offset));
}

void AggregateEmitter::add(llvm::Value *slot, uint32_t offset, llvm::Value *by) {
  if (by->getType() != rt.i64)
    by = b.CreateZExt(by, rt.i64);
  store(b.CreateAdd(load(rt.i64, slot, offset), by), slot, offset);
}

llvm::Value *AggregateEmitter::asF64(const Val &v, TypeKind kind) {
  return kind == TypeKind::F64 ? v.v : b.CreateSIToFP(v.v, rt.f64);
}

llvm::Value *AggregateEmitter::asI64(const Val &v, TypeKind kind) {
  if (kind == TypeKind::Bool)
    return b.CreateZExt(v.v, rt.i64);
  if (kind == TypeKind::F64)
    return b.CreateBitCast(v.v, rt.i64);
  return v.v;
}

llvm::Value *AggregateEmitter::compareBits(TypeKind kind, llvm::Value *x, llvm::Value *y) {
  llvm::Value *less, *greater;
  if (kind == TypeKind::F64) {
    x = b.CreateBitCast(x, rt.f64);
    y = b.CreateBitCast(y, rt.f64);
    less = b.CreateFCmpOLT(x, y);
    greater = b.CreateFCmpOGT(x, y);
  } else {
    less = b.CreateICmpSLT(x, y);
    greater = b.CreateICmpSGT(x, y);
  }
  return b.CreateSub(b.CreateZExt(greater, rt.i32), b.CreateZExt(less, rt.i32));
}

llvm::Value *AggregateEmitter::fromI64(llvm::Value *bits, TypeKind kind) {
  if (kind == TypeKind::Bool)
    return b.CreateTrunc(bits, rt.i1);
  if (kind == TypeKind::F64)
    return b.CreateBitCast(bits, rt.f64);
  return bits;
}

std::pair<llvm::Value *, llvm::Value *> AggregateEmitter::valueBytes(const Val &v, TypeKind kind) {
  if (kind == TypeKind::String)
    return {b.CreateExtractValue(v.v, 0), b.CreateExtractValue(v.v, 1)};
  llvm::Value *bits = kind == TypeKind::F64 ? KeyCodeGen::canonicalBits(b, v.v) : asI64(v, kind);
  llvm::Value *tmp = entryAlloca(rt.i64, "agg.bytes");
  b.CreateStore(bits, tmp);
  return {tmp, b.getInt64(8)};
}

llvm::Value *AggregateEmitter::notFinite(llvm::Value *x) {
  return b.CreateNot(b.CreateFCmpOLT(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x),
                                     llvm::ConstantFP::getInfinity(rt.f64)));
}

} // namespace streamc
