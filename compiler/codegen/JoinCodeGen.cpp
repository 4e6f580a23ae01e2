// Interval joins: their runtime state, and what a record arriving on either
// side does (see Generator::emitJoinArrival).
#include "codegen/Generator.h"

#include "codegen/KeyCodeGen.h"

namespace streamc::codegen_detail {

namespace {
std::vector<Type> keyTypes(const std::vector<const PlanExpr *> &keys) {
  std::vector<Type> types;
  for (const PlanExpr *k : keys)
    types.push_back(k->type.nonNull()); // a null key matches nothing: never encoded
  return types;
}
} // namespace

void Generator::createJoins() {
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  for (const LogicalJoin *j : joins_) {
    JoinInfo &info = joinInfo_[j];
    info.split = j->split();
    info.handle = handleSlot("join");
    llvm::Value *h = rt_.call(b_, Abi::srt_join_create,
                              {runArg_, layoutOf(*j->inputs[0]->output).global,
                               layoutOf(*j->inputs[1]->output).global, b_.getInt64(j->beforeMs),
                               b_.getInt64(j->afterMs), rt_.cstring(j->where)});
    b_.CreateStore(h, info.handle);
    info.keyBuffer =
        eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, kKeyBufferSize), nullptr, "join.key");
    info.keyBuffer->setAlignment(llvm::Align(8));
    info.matchTime = eb.CreateAlloca(rt_.i64, nullptr, "join.match_time");
  }
}

void Generator::emitJoinArrival(const LogicalJoin &j, size_t slot, llvm::Value *record,
                                const RecordType &type) {
  JoinInfo &info = joinInfo_.at(&j);
  const LogicalJoin::Split &split = info.split;
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  bool self = slot == 0;
  const RecordType &selfType = *j.inputs[0]->output, &otherType = *j.inputs[1]->output;
  const RecordLayout &selfLayout = layoutOf(selfType).layout;
  const RecordLayout &otherLayout = layoutOf(otherType).layout;
  auto block = [&](const char *name) { return llvm::BasicBlock::Create(ctx_, name, fn_); };
  auto *arrive = block("join.arrive"), *unmatched = block("join.null_key"),
       *next = block("join.next"), *pair = block("join.pair"), *done = block("join.done");

  // The key, from this side's expressions or the other's: a null part
  // matches nothing, so such a record is neither buffered nor paired.
  auto sideEnv = [&](llvm::Value *selfRec, llvm::Value *otherRec) {
    ExprCodeGen::Env e = recordEnv();
    e.record = selfRec;
    e.type = &selfType;
    e.layout = &selfLayout;
    e.other = otherRec;
    e.otherType = &otherType;
    e.otherLayout = &otherLayout;
    return e;
  };
  ExprCodeGen keyExprs(b_, rt_, fn_, entry_,
                       self ? sideEnv(record, nullptr) : sideEnv(nullptr, record), plan_);
  std::vector<Val> parts;
  llvm::Value *anyNull = b_.getFalse();
  for (const PlanExpr *k : self ? split.selfKeys : split.otherKeys) {
    parts.push_back(keyExprs.emit(*k));
    if (parts.back().null)
      anyNull = b_.CreateOr(anyNull, parts.back().null);
  }
  llvm::Value *lateBefore = lateBefore_ ? lateBefore_ : b_.getInt64(INT64_MIN);
  b_.CreateCondBr(anyNull, unmatched, arrive);
  b_.SetInsertPoint(unmatched);
  rt_.call(b_, Abi::srt_join_unmatched, {handle, time_, lateBefore});
  b_.CreateBr(done);

  b_.SetInsertPoint(arrive);
  auto [key, keyLen] = KeyCodeGen(b_, rt_, fn_, keyTypes(split.selfKeys))
                           .encode(parts, info.keyBuffer, kKeyBufferSize, [&](llvm::Value *len) {
                             return rt_.call(b_, Abi::srt_join_key_buffer, {handle, len});
                           });
  llvm::Value *buffered =
      rt_.call(b_, Abi::srt_join_arrive,
               {handle, b_.getInt32(self ? 0 : 1), key, keyLen, record, time_, lateBefore});
  b_.CreateCondBr(b_.CreateICmpEQ(buffered, b_.getInt32(0)), done, next);

  // Each buffered record of the other side with the key, within the interval.
  b_.SetInsertPoint(next);
  llvm::Value *match = rt_.call(b_, Abi::srt_join_next, {handle, info.matchTime});
  b_.CreateCondBr(b_.CreateIsNull(match), done, pair);

  b_.SetInsertPoint(pair);
  llvm::Value *selfRec = self ? record : match;
  llvm::Value *otherRec = self ? match : record;
  {
    // A residual condition that fails for a pair (a division by zero)
    // skips only that pair: neither record is rejected.
    ExprCodeGen::Env env = sideEnv(selfRec, otherRec);
    env.reject = [&](const char *) { b_.CreateBr(next); };
    ExprCodeGen cond(b_, rt_, fn_, entry_, env, plan_);
    for (const PlanExpr *c : split.residual) {
      Val v = cond.emit(*c);
      auto *holds = block("join.holds");
      b_.CreateCondBr(b_.CreateAnd(b_.CreateNot(v.null), v.v), holds, next);
      b_.SetInsertPoint(holds);
    }
  }
  // This side's fields, then the other side's.
  const RecordType &outType = *j.output;
  const LayoutInfo &out = layoutOf(outType);
  llvm::Value *outRec = entryAlloca(out.layout.size, "joined");
  copyFields(selfRec, selfType, outRec, outType, 0);
  copyFields(otherRec, otherType, outRec, outType, selfType.fields.size());
  // The pair's event time is the larger of the two.
  llvm::Value *savedTime = time_;
  time_ = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, time_,
                                   b_.CreateLoad(rt_.i64, info.matchTime));
  emitConsumers(j, outRec, outType);
  time_ = savedTime;
  b_.CreateBr(next);

  b_.SetInsertPoint(done);
}

} // namespace streamc::codegen_detail
