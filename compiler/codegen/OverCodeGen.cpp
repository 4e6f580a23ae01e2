// Extend over (LANGUAGE.md §6.1): the reorder buffer and each key's frame in
// the runtime (runtime/src/frame/Frame.cpp); the aggregates, entries and
// the extended record in generated code.
#include "codegen/Generator.h"

#include "codegen/KeyCodeGen.h"

namespace streamc::codegen_detail {

void Generator::createOvers() {
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  for (const LogicalOver *o : overs_) {
    OverInfo &info = overInfo_[o];
    info.aggs = AggregateLayout::of(o->aggregates);
    checkConstantArgs(o->aggregates, "extend over at " + o->where);
    info.freeState = AggregateCodeGen::emitFreeFunction(*module_, rt_, o->aggregates, info.aggs);
    info.twoStacks = o->twoStacks();
    if (info.twoStacks)
      info.merge = AggregateCodeGen::emitMergeFunction(*module_, rt_, o->aggregates, info.aggs);
    llvm::Constant *destroy = info.freeState ? static_cast<llvm::Constant *>(info.freeState)
                                             : llvm::ConstantPointerNull::get(rt_.ptr);
    uint32_t kind = o->frame == LogicalOver::FrameKind::Rows    ? SRT_FRAME_ROWS
                    : o->frame == LogicalOver::FrameKind::Range ? SRT_FRAME_RANGE
                                                                : SRT_FRAME_UNBOUNDED;
    info.handle = handleSlot("frame");
    bool rows = o->frame == LogicalOver::FrameKind::Rows;
    llvm::Value *size =
        o->frame == LogicalOver::FrameKind::Unbounded
            ? b_.getInt64(0)
            : startUpSetting(o->size.get(), rows ? o->rows : o->rangeMs, rows ? 1 : 0,
                             "extend over at " + o->where + (rows ? ": rows(n)" : ": the range"),
                             !rows);
    b_.CreateStore(rt_.call(b_, Abi::srt_frame_create,
                            {runArg_, rt_.cstring(o->where), layoutOf(*o->inputs[0]->output).global,
                             b_.getInt32(kind), rows ? size : b_.getInt64(0),
                             rows ? b_.getInt64(0) : size, b_.getInt32(info.aggs.size), destroy}),
                   info.handle);
    info.keyBuffer =
        eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, kKeyBufferSize), nullptr, "frame.key");
    info.keyBuffer->setAlignment(llvm::Align(8));
    info.arrivals = eb.CreateAlloca(rt_.i64, nullptr, "frame.arrivals");
    b_.CreateStore(b_.getInt64(0), info.arrivals);
  }
}

void Generator::emitOverArrival(const LogicalOver &o, llvm::Value *record, const RecordType &type) {
  if (!o.eventTime) // processing time: in arrival order, at once
    return emitOverProcess(o, record, type);
  OverInfo &info = overInfo_.at(&o);
  llvm::Value *lateBefore = lateBefore_ ? lateBefore_ : b_.getInt64(INT64_MIN);
  llvm::Value *rc = rt_.call(b_, Abi::srt_frame_add,
                             {b_.CreateLoad(rt_.ptr, info.handle), record, time_, lateBefore});
  if (!o.lateSink)
    return;
  auto *late = llvm::BasicBlock::Create(ctx_, "frame.late", fn_);
  auto *done = llvm::BasicBlock::Create(ctx_, "frame.buffered", fn_);
  b_.CreateCondBr(b_.CreateICmpSLT(rc, b_.getInt32(0)), late, done);
  b_.SetInsertPoint(late);
  emitSinkWrite(*o.lateSink, lateInput(*o.lateSink, o), record, type);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void Generator::emitOverRelease(const LogicalOver &o, llvm::Value *wm) {
  OverInfo &info = overInfo_.at(&o);
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  rt_.call(b_, Abi::srt_frame_release, {handle, wm});
  llvm::Value *timeSlot = entryAlloca(sizeof(int64_t), "frame.time");
  emitDrain(
      "frame",
      [&] {
        return rt_.call(b_, Abi::srt_frame_next, {handle, timeSlot});
      },
      [&](llvm::Value *record, llvm::BasicBlock *next) {
        Emission emission(*this, b_.CreateLoad(rt_.i64, timeSlot), next);
        emitOverProcess(o, record, *o.inputs[0]->output);
      });
}

void Generator::emitOverProcess(const LogicalOver &o, llvm::Value *record, const RecordType &type) {
  OverInfo &info = overInfo_.at(&o);
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  ExprCodeGen exprs = exprGen(record, type);
  AggregateCodeGen aggs(b_, rt_, fn_, o.aggregates, o.keys, info.aggs);

  // The record's key, and its frame.
  auto [key, keyLen] =
      KeyCodeGen::encodeRecordKey(b_, rt_, fn_, exprs, o.keys, info.keyBuffer, kKeyBufferSize,
                                  Abi::srt_frame_key_buffer, handle);
  llvm::Value *frame = rt_.call(b_, Abi::srt_frame_key_of, {handle, key, keyLen});

  // Test-then-train aggregates (zscore, ...) are computed from the frame
  // before the record enters it; the others after.
  ExprCodeGen consts = exprGen(nullptr, nullptr, nullptr);
  using Results = AggregateCodeGen::Results;
  std::vector<Val> before, results;
  llvm::Value *state;
  llvm::BasicBlock *savedReject = rejectTarget_;
  if (o.frame == LogicalOver::FrameKind::Unbounded) {
    // The key's running state takes the record in.
    state = rt_.call(b_, Abi::srt_frame_state, {frame});
    std::vector<Val> args = aggs.emitArguments(exprs);
    before = aggs.emitResults(consts, state, Results::TestThenTrain, &args);
    llvm::Value *seq = b_.CreateAdd(b_.CreateLoad(rt_.i64, info.arrivals), b_.getInt64(1));
    b_.CreateStore(seq, info.arrivals);
    aggs.emitUpdate(exprs, args, state, seq);
  } else {
    // The aggregates of the records before this one, then this one's: a
    // record its arguments or the aggregates' checks reject does not enter
    // the frame.
    std::vector<Val> args = aggs.emitArguments(exprs);
    llvm::Value *seq = b_.CreateAdd(b_.CreateLoad(rt_.i64, info.arrivals), b_.getInt64(1));
    b_.CreateStore(seq, info.arrivals);
    llvm::Value *earlier = rt_.call(b_, Abi::srt_frame_evict, {handle, frame, time_});
    state = entryAlloca(info.aggs.size, "frame.state");
    b_.CreateMemSet(state, b_.getInt8(0), info.aggs.size, llvm::MaybeAlign(8));
    if (info.freeState) { // a record its aggregates reject frees the state first
      auto *rejected = llvm::BasicBlock::Create(ctx_, "frame.rejected", fn_);
      llvm::IRBuilder<> rb(rejected);
      rb.CreateCall(info.freeState, {state});
      rb.CreateBr(savedReject);
      rejectTarget_ = rejected;
    }
    if (info.twoStacks)
      emitFrameTwoStacks(o, aggs, handle, frame, earlier, state, type);
    else
      emitFrameFold(aggs, frame, earlier, state, type);
    before = aggs.emitResults(consts, state, Results::TestThenTrain, &args);
    aggs.emitUpdate(exprs, args, state, seq);
    rt_.call(b_, Abi::srt_frame_push, {handle, frame, record, time_, seq});
    if (info.twoStacks) { // the back stack takes the record in (accepted above)
      ExprCodeGen accepted = acceptedExprGen(record, type);
      aggs.emitUpdate(accepted, args, rt_.call(b_, Abi::srt_frame_back, {handle, frame}), seq);
    }
  }
  results = aggs.emitResults(consts, state, Results::Others);
  for (size_t k = 0; k < results.size(); ++k)
    if (o.aggregates[k].fn->flags & TestThenTrain)
      results[k] = before[k];

  // The entries, over the aggregates and this record's fields.
  const RecordLayout &inLayout = layoutOf(type).layout;
  ExprCodeGen entries = exprGen(record, &type, &inLayout, &results);
  const RecordType &outType = *o.output;
  const LayoutInfo &out = layoutOf(outType);
  llvm::Value *outRec = entryAlloca(out.layout.size, "frame.result");
  std::vector<bool> replaced(type.fields.size());
  for (int at : o.entryIndex)
    if (static_cast<size_t>(at) < replaced.size())
      replaced[at] = true;
  for (size_t f = 0; f < type.fields.size(); ++f)
    if (!replaced[f])
      entries.storeField(outRec, out.layout, outType, static_cast<int>(f),
                         entries.loadField(record, inLayout, type, static_cast<int>(f)));
  for (size_t e = 0; e < o.entries.size(); ++e)
    entries.storeField(outRec, out.layout, outType, o.entryIndex[e], entries.emit(*o.entries[e]));
  emitConsumers(o, outRec, outType);
  if (o.frame != LogicalOver::FrameKind::Unbounded && info.freeState)
    b_.CreateCall(info.freeState, {state});
  rejectTarget_ = savedReject;
}

void Generator::emitFrameFold(AggregateCodeGen &aggs, llvm::Value *frame, llvm::Value *earlier,
                              llvm::Value *state, const RecordType &type) {
  // The frame's records before the current one folded into \p state,
  // oldest first.
  auto *loop = llvm::BasicBlock::Create(ctx_, "frame.fold", fn_);
  auto *body = llvm::BasicBlock::Create(ctx_, "frame.item", fn_);
  auto *folded = llvm::BasicBlock::Create(ctx_, "frame.folded", fn_);
  llvm::BasicBlock *from = b_.GetInsertBlock();
  b_.CreateBr(loop);
  b_.SetInsertPoint(loop);
  llvm::PHINode *i = b_.CreatePHI(rt_.i64, 2, "i");
  i->addIncoming(b_.getInt64(0), from);
  b_.CreateCondBr(b_.CreateICmpSLT(i, earlier), body, folded);
  b_.SetInsertPoint(body);
  emitFrameItemUpdate(aggs, frame, i, state, type);
  i->addIncoming(b_.CreateAdd(i, b_.getInt64(1)), b_.GetInsertBlock());
  b_.CreateBr(loop);
  b_.SetInsertPoint(folded);
}

void Generator::emitFrameItemUpdate(AggregateCodeGen &aggs, llvm::Value *frame, llvm::Value *i,
                                    llvm::Value *state, const RecordType &type) {
  llvm::Value *item = rt_.call(b_, Abi::srt_frame_item, {frame, i});
  ExprCodeGen itemExprs = acceptedExprGen(item, type);
  std::vector<Val> itemArgs = aggs.emitArguments(itemExprs);
  aggs.emitUpdate(itemExprs, itemArgs, state, rt_.call(b_, Abi::srt_frame_item_seq, {frame, i}));
}

void Generator::emitFrameTwoStacks(const LogicalOver &o, AggregateCodeGen &aggs,
                                   llvm::Value *handle, llvm::Value *frame, llvm::Value *earlier,
                                   llvm::Value *state, const RecordType &type) {
  const OverInfo &info = overInfo_.at(&o);
  // A record the back state holds was dropped: every record held gets the
  // partial aggregate of itself through the newest, newest first (each
  // one's is the next one's plus itself).
  auto *rebuild = llvm::BasicBlock::Create(ctx_, "frame.rebuild", fn_);
  auto *loop = llvm::BasicBlock::Create(ctx_, "frame.partial", fn_);
  auto *body = llvm::BasicBlock::Create(ctx_, "frame.partial.item", fn_);
  auto *rebuilt = llvm::BasicBlock::Create(ctx_, "frame.rebuilt", fn_);
  auto *query = llvm::BasicBlock::Create(ctx_, "frame.query", fn_);
  llvm::Value *front = rt_.call(b_, Abi::srt_frame_front, {frame});
  llvm::BasicBlock *kept = b_.GetInsertBlock();
  b_.CreateCondBr(b_.CreateICmpSLT(front, b_.getInt64(0)), rebuild, query);
  b_.SetInsertPoint(rebuild);
  llvm::Value *last = b_.CreateSub(earlier, b_.getInt64(1));
  b_.CreateBr(loop);
  b_.SetInsertPoint(loop);
  llvm::PHINode *i = b_.CreatePHI(rt_.i64, 2, "i");
  i->addIncoming(last, rebuild);
  b_.CreateCondBr(b_.CreateICmpSGE(i, b_.getInt64(0)), body, rebuilt);
  // The record itself first (an update sees records in arrival order: a
  // first() keeps the one it has), then the newer ones' partial, which a
  // merge orders by arrival number.
  b_.SetInsertPoint(body);
  llvm::Value *partial = rt_.call(b_, Abi::srt_frame_partial, {handle, frame, i});
  emitFrameItemUpdate(aggs, frame, i, partial, type);
  auto *merge = llvm::BasicBlock::Create(ctx_, "frame.partial.merge", fn_);
  auto *next = llvm::BasicBlock::Create(ctx_, "frame.partial.next", fn_);
  b_.CreateCondBr(b_.CreateICmpSLT(i, last), merge, next);
  b_.SetInsertPoint(merge);
  llvm::Value *newer = b_.CreateAdd(i, b_.getInt64(1));
  b_.CreateCall(info.merge,
                {partial, rt_.call(b_, Abi::srt_frame_partial, {handle, frame, newer})});
  b_.CreateBr(next);
  b_.SetInsertPoint(next);
  i->addIncoming(b_.CreateSub(i, b_.getInt64(1)), next);
  b_.CreateBr(loop);
  b_.SetInsertPoint(rebuilt);
  rt_.call(b_, Abi::srt_frame_rebuilt, {handle, frame});
  b_.CreateBr(query);

  // The frame before the current record: the oldest partial, then the
  // back state (only those that hold records: merging an empty state is
  // not every aggregate's identity). After a rebuild every record held has
  // a partial.
  b_.SetInsertPoint(query);
  llvm::PHINode *fronts = b_.CreatePHI(rt_.i64, 2, "fronts");
  fronts->addIncoming(front, kept);
  fronts->addIncoming(earlier, rebuilt);
  llvm::Value *backs = b_.CreateSub(earlier, fronts);
  auto mergeIf = [&](llvm::Value *cond, const char *name,
                     const std::function<llvm::Value *()> &src) {
    auto *then = llvm::BasicBlock::Create(ctx_, name, fn_);
    auto *after = llvm::BasicBlock::Create(ctx_, std::string(name) + ".done", fn_);
    b_.CreateCondBr(cond, then, after);
    b_.SetInsertPoint(then);
    b_.CreateCall(info.merge, {state, src()});
    b_.CreateBr(after);
    b_.SetInsertPoint(after);
  };
  mergeIf(b_.CreateICmpSGT(fronts, b_.getInt64(0)), "frame.front", [&] {
    return rt_.call(b_, Abi::srt_frame_partial, {handle, frame, b_.getInt64(0)});
  });
  mergeIf(b_.CreateICmpSGT(backs, b_.getInt64(0)), "frame.back", [&] {
    return rt_.call(b_, Abi::srt_frame_back, {handle, frame});
  });
}

} // namespace streamc::codegen_detail
