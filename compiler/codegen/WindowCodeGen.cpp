// Windows: their runtime state, the update per record and the firing.
#include "codegen/Generator.h"

#include "codegen/KeyCodeGen.h"

#include <srt/types.h>

#include <cstddef>
#include <iterator>

namespace streamc::codegen_detail {

void Generator::createWindows() {
  auto *descTy = llvm::StructType::get(
      ctx_, {rt_.ptr, rt_.i32, rt_.i64, rt_.i64, rt_.i64, rt_.i32, rt_.ptr, rt_.ptr, rt_.i32});
  for (const LogicalWindowAggregate *w : windows_) {
    WindowInfo &info = windowInfo_[w];
    info.aggs = AggregateLayout::of(w->aggregates);
    for (size_t i = 0; i < w->keys.size(); ++i)
      info.keyType.fields.push_back({w->keyNames[i], w->keys[i]->type});
    // An entry keeps a fixed-size key whole; one with strings, up to 16
    // bytes of them inline, 40 in all (a longer key goes to the heap).
    std::vector<Type> keyTypes;
    for (const auto &k : w->keys)
      keyTypes.push_back(k->type);
    info.keyBytes = KeyCodeGen(b_, rt_, fn_, keyTypes).fixedSize();
    info.fixedKey = std::none_of(keyTypes.begin(), keyTypes.end(),
                                 [](const Type &t) { return t.kind == TypeKind::String; });
    uint32_t inlineBytes = info.fixedKey ? info.keyBytes : std::min(info.keyBytes + 16, 40u);
    info.keyCapacity = std::max(8u, (inlineBytes + 7u) & ~7u);
    llvm::Constant *merge =
        AggregateCodeGen::emitMergeFunction(*module_, rt_, w->aggregates, info.aggs);
    llvm::Constant *destroy =
        AggregateCodeGen::emitFreeFunction(*module_, rt_, w->aggregates, info.aggs);
    if (!destroy)
      destroy = llvm::ConstantPointerNull::get(rt_.ptr);
    uint32_t kind = w->window == LogicalWindowAggregate::WindowKind::Tumbling  ? SRT_WINDOW_TUMBLING
                    : w->window == LogicalWindowAggregate::WindowKind::Sliding ? SRT_WINDOW_SLIDING
                    : w->window == LogicalWindowAggregate::WindowKind::Session ? SRT_WINDOW_SESSION
                    : w->window == LogicalWindowAggregate::WindowKind::Count   ? SRT_WINDOW_COUNT
                                                                               : SRT_WINDOW_ALL;
    // Sizes that read params are computed at start-up (a built executable's
    // --param); the descriptor then gets them before the window is created.
    using WK = LogicalWindowAggregate::WindowKind;
    auto spec = [&](size_t i, int64_t compiled, const char *what) {
      const PlanExpr *e = i < w->specArgs.size() ? w->specArgs[i].get() : nullptr;
      return startUpSetting(e, compiled, 1, "window at " + w->where + ": " + what,
                            w->window != WK::Count);
    };
    llvm::Value *size = b_.getInt64(w->sizeMs), *slide = b_.getInt64(w->slideMs),
                *count = b_.getInt64(w->count);
    if (w->window == WK::Count)
      count = spec(0, w->count, "the count of count(n)");
    else if (w->window != WK::All) // all: a count window that never fills
      size = spec(0, w->sizeMs, w->window == WK::Session ? "the session gap" : "the window size");
    if (w->window == WK::Sliding)
      slide = spec(1, w->slideMs, "the slide");
    checkConstantArgs(w->aggregates, "window at " + w->where);
    auto *desc = new llvm::GlobalVariable(
        *module_, descTy, false, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantStruct::get(descTy, {rt_.cstring(w->where), b_.getInt32(kind),
                                           b_.getInt64(w->sizeMs), b_.getInt64(w->slideMs),
                                           b_.getInt64(w->count), b_.getInt32(info.aggs.size),
                                           merge, destroy, b_.getInt32(info.keyCapacity)}),
        "window.desc");
    b_.CreateStore(size, b_.CreateStructGEP(descTy, desc, 2));
    b_.CreateStore(slide, b_.CreateStructGEP(descTy, desc, 3));
    b_.CreateStore(count, b_.CreateStructGEP(descTy, desc, 4));
    info.handle = handleSlot("window");
    llvm::Value *h = rt_.call(b_, Abi::srt_window_create, {runArg_, desc});
    b_.CreateStore(h, info.handle);
    info.clock = rt_.call(b_, Abi::srt_window_clock_of, {h});
    if (w->window == WK::Tumbling || w->window == WK::Sliding)
      info.hot = rt_.call(b_, Abi::srt_window_hot_of, {h});
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    info.arrivals = eb.CreateAlloca(rt_.i64, nullptr, "arrivals");
    b_.CreateStore(b_.getInt64(0), info.arrivals);
    info.keyBuffer = eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, kKeyBufferSize), nullptr, "key");
    info.keyBuffer->setAlignment(llvm::Align(8));
  }
}

void Generator::checkConstantArgs(const std::vector<AggregateCall> &aggregates,
                                  const std::string &stage) {
  // A constant argument that reads a param (percentile(x, p), ewma's alpha)
  // is checked at start-up; sema checked the constant ones.
  for (const AggregateCall &a : aggregates)
    for (const ConstantArg &c : a.fn->constantArgs())
      if (const PlanExpr &arg = *a.args[a.indexOf(c)]; !arg.isConst()) {
        std::string what = stage + ": " + c.what;
        Val v = startUpExprGen(what).emit(arg);
        llvm::Value *x = v.v->getType() == rt_.f64 ? v.v : b_.CreateSIToFP(v.v, rt_.f64);
        llvm::Value *rc =
            rt_.call(b_, Abi::srt_run_check_range,
                     {runArg_, rt_.cstring(what), x, b_.CreateZExt(v.null, rt_.i32),
                      llvm::ConstantFP::get(rt_.f64, c.min), llvm::ConstantFP::get(rt_.f64, c.max),
                      b_.getInt32(c.minExclusive)});
        checkStatus(rc, "range.ok");
      }
}

void Generator::emitWindowUpdate(const LogicalWindowAggregate &w, llvm::Value *record,
                                 const RecordType &type) {
  WindowInfo &info = windowInfo_.at(&w);
  ExprCodeGen exprs = exprGen(record, type);
  AggregateCodeGen aggs(b_, rt_, fn_, w.aggregates, w.keys, info.aggs);
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  std::vector<Val> args = aggs.emitArguments(exprs);
  auto [key, keyLen] =
      KeyCodeGen::encodeRecordKey(b_, rt_, fn_, exprs, w.keys, info.keyBuffer, kKeyBufferSize,
                                  Abi::srt_window_key_buffer, handle);
  llvm::Value *lateBefore = lateBefore_ ? lateBefore_ : b_.getInt64(INT64_MIN);
  auto slow = [&] {
    return rt_.call(b_, Abi::srt_window_state, {handle, time_, key, keyLen, lateBefore});
  };
  // Probed inline: a key of at most SRT_KEY_INLINE_MAX bytes, one with
  // strings when its entry keeps it whole (up to its key capacity).
  llvm::Value *state = info.hot && info.keyCapacity <= SRT_KEY_INLINE_MAX
                           ? emitWindowProbe(info, key, keyLen, lateBefore, slow)
                           : slow();
  auto *update = llvm::BasicBlock::Create(ctx_, "window.update", fn_);
  auto *late = llvm::BasicBlock::Create(ctx_, "window.late", fn_);
  auto *done = llvm::BasicBlock::Create(ctx_, "window.done", fn_);
  b_.CreateCondBr(b_.CreateIsNull(state), late, update);
  b_.SetInsertPoint(late);
  if (w.lateSink) {
    emitSinkWrite(*w.lateSink, lateInput(*w.lateSink, w), record, type);
  }
  b_.CreateBr(done);
  b_.SetInsertPoint(update);
  llvm::Value *seq = b_.CreateAdd(b_.CreateLoad(rt_.i64, info.arrivals), b_.getInt64(1));
  b_.CreateStore(seq, info.arrivals);
  aggs.emitUpdate(exprs, args, state, seq);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

std::vector<llvm::Value *> Generator::emitKeyWords(const WindowInfo &info, llvm::Value *key,
                                                   llvm::Value *len) {
  std::vector<llvm::Value *> words;
  if (info.fixedKey) {
    llvm::Value *copy = entryAlloca(info.keyCapacity, "window.key.words");
    for (uint32_t at = 0; at < info.keyCapacity; at += 8)
      b_.CreateStore(b_.getInt64(0), b_.CreateConstInBoundsGEP1_64(rt_.i8, copy, at));
    if (info.keyBytes)
      b_.CreateMemCpy(copy, llvm::MaybeAlign(8), key, llvm::MaybeAlign(1), info.keyBytes);
    for (uint32_t at = 0; at < info.keyCapacity; at += 8)
      words.push_back(b_.CreateLoad(rt_.i64, b_.CreateConstInBoundsGEP1_64(rt_.i8, copy, at)));
    return words;
  }
  // The key buffer has room for the entry's key capacity however short the
  // key (the bytes after it are masked off).
  for (uint32_t from = 0; from < info.keyCapacity; from += 8) {
    llvm::Value *word = b_.CreateAlignedLoad(
        rt_.i64, b_.CreateConstInBoundsGEP1_64(rt_.i8, key, from), llvm::Align(1));
    llvm::Value *bits = b_.CreateShl(b_.CreateSub(len, b_.getInt64(from)), 3);
    llvm::Value *mask = b_.CreateNot(b_.CreateShl(b_.getInt64(-1), bits));
    mask = b_.CreateSelect(
        b_.CreateICmpSGE(len, b_.getInt64(from + 8)), b_.getInt64(-1),
        b_.CreateSelect(b_.CreateICmpSLE(len, b_.getInt64(from)), b_.getInt64(0), mask));
    words.push_back(b_.CreateAnd(word, mask));
  }
  return words;
}

llvm::Value *Generator::emitWindowProbe(const WindowInfo &info, llvm::Value *key, llvm::Value *len,
                                        llvm::Value *lateBefore,
                                        const std::function<llvm::Value *()> &slow) {
  auto at = [&](llvm::Value *base, size_t offset) {
    return b_.CreateConstInBoundsGEP1_64(rt_.i8, base, offset);
  };
  auto hot = [&](size_t offset, llvm::Type *type) {
    return b_.CreateLoad(type, at(info.hot, offset));
  };
  auto *probe = llvm::BasicBlock::Create(ctx_, "window.probe", fn_);
  auto *loop = llvm::BasicBlock::Create(ctx_, "window.probe.slot", fn_);
  auto *entry = llvm::BasicBlock::Create(ctx_, "window.probe.entry", fn_);
  auto *next = llvm::BasicBlock::Create(ctx_, "window.probe.next", fn_);
  auto *found = llvm::BasicBlock::Create(ctx_, "window.probe.found", fn_);
  auto *missed = llvm::BasicBlock::Create(ctx_, "window.probe.missed", fn_);
  auto *done = llvm::BasicBlock::Create(ctx_, "window.state", fn_);

  // In the hot slice, not late (as srt_window_state decides), and a key
  // its entry keeps whole.
  llvm::Value *wm = b_.CreateLoad(rt_.i64, at(info.clock, offsetof(srt_window_clock, watermark)));
  llvm::Value *bound = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, wm, lateBefore);
  llvm::Value *inSlice = b_.CreateAnd(
      b_.CreateAnd(b_.CreateICmpSGE(time_, hot(offsetof(srt_window_hot, start), rt_.i64)),
                   b_.CreateICmpSLT(time_, hot(offsetof(srt_window_hot, end), rt_.i64))),
      b_.CreateICmpSGT(hot(offsetof(srt_window_hot, last_end), rt_.i64), bound));
  if (!info.fixedKey)
    inSlice = b_.CreateAnd(inSlice, b_.CreateICmpULE(len, b_.getInt64(info.keyCapacity)));
  b_.CreateCondBr(inSlice, probe, missed);

  // The key as zero-padded words, and its hash (srt_key_hash; the words
  // past the key capacity are zero and add nothing).
  b_.SetInsertPoint(probe);
  std::vector<llvm::Value *> words = emitKeyWords(info, key, len);
  static const uint64_t kHash[] = {SRT_KEY_HASH_K0, SRT_KEY_HASH_K1, SRT_KEY_HASH_K2,
                                   SRT_KEY_HASH_K3, SRT_KEY_HASH_K4};
  static_assert(std::size(kHash) == SRT_KEY_INLINE_MAX / 8);
  llvm::Value *h = b_.CreateMul(b_.CreateAdd(words[0], len), b_.getInt64(kHash[0]));
  for (size_t k = 1; k < words.size(); ++k)
    h = b_.CreateXor(h, b_.CreateMul(words[k], b_.getInt64(kHash[k])));
  llvm::Value *mask = hot(offsetof(srt_window_hot, mask), rt_.i64);
  llvm::Value *index = hot(offsetof(srt_window_hot, index), rt_.ptr);
  llvm::Value *entries = hot(offsetof(srt_window_hot, entries), rt_.ptr);
  llvm::Value *home = b_.CreateLShr(h, hot(offsetof(srt_window_hot, shift), rt_.i64));
  llvm::BasicBlock *from = b_.GetInsertBlock();
  b_.CreateBr(loop);

  // Linear probing: an empty slot is a key not in the slice yet.
  b_.SetInsertPoint(loop);
  llvm::PHINode *i = b_.CreatePHI(rt_.i64, 2, "slot");
  i->addIncoming(home, from);
  llvm::Value *number = b_.CreateLoad(rt_.i32, b_.CreateInBoundsGEP(rt_.i32, index, i));
  b_.CreateCondBr(b_.CreateICmpEQ(number, b_.getInt32(0)), missed, entry);
  b_.SetInsertPoint(entry);
  // Entry number - 1 times the stride the runtime lays entries out with
  // (srt_window_hot); the entry keeps the key whole, zero-padded to its
  // key capacity, so its words decide alone, and its length when that
  // varies.
  uint64_t stride = SRT_KEY_ENTRY_KEY + info.keyCapacity + ((info.aggs.size + 7u) & ~7u);
  llvm::Value *e =
      b_.CreateGEP(rt_.i8, b_.CreateConstGEP1_64(rt_.i8, entries, -static_cast<int64_t>(stride)),
                   b_.CreateMul(b_.CreateZExt(number, rt_.i64), b_.getInt64(stride)));
  llvm::Value *same = b_.getTrue();
  for (size_t k = 0; k < words.size(); ++k)
    same = b_.CreateAnd(
        same, b_.CreateICmpEQ(b_.CreateLoad(rt_.i64, at(e, SRT_KEY_ENTRY_KEY + 8 * k)), words[k]));
  if (!info.fixedKey)
    same = b_.CreateAnd(same, b_.CreateICmpEQ(b_.CreateLoad(rt_.i32, at(e, SRT_KEY_ENTRY_LEN)),
                                              b_.CreateTrunc(len, rt_.i32)));
  b_.CreateCondBr(same, found, next);
  b_.SetInsertPoint(next);
  llvm::Value *after = b_.CreateAnd(b_.CreateAdd(i, b_.getInt64(1)), mask);
  i->addIncoming(after, next);
  b_.CreateBr(loop);

  b_.SetInsertPoint(found);
  llvm::Value *fast = at(e, SRT_KEY_ENTRY_KEY + info.keyCapacity);
  b_.CreateBr(done);
  b_.SetInsertPoint(missed);
  llvm::Value *called = slow();
  llvm::BasicBlock *calledIn = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  llvm::PHINode *state = b_.CreatePHI(rt_.ptr, 2, "state");
  state->addIncoming(fast, found);
  state->addIncoming(called, calledIn);
  return state;
}

void Generator::emitWindowResult(const LogicalWindowAggregate &w, llvm::Value *rowInfo,
                                 llvm::Value *state, llvm::BasicBlock *next) {
  WindowInfo &info = windowInfo_.at(&w);
  auto field = [&](size_t offset, llvm::Type *ty) {
    return b_.CreateLoad(ty, b_.CreateConstInBoundsGEP1_64(rt_.i8, rowInfo, offset));
  };
  llvm::Value *keyBytes = field(offsetof(srt_window_row, key), rt_.ptr);
  llvm::Value *start = field(offsetof(srt_window_row, start), rt_.i64);
  llvm::Value *end = field(offsetof(srt_window_row, end), rt_.i64);
  const LayoutInfo &keyLayout = layoutOf(info.keyType);
  llvm::Value *keyRecord = entryAlloca(keyLayout.layout.size, "window.key");
  AggregateCodeGen aggs(b_, rt_, fn_, w.aggregates, w.keys, info.aggs);
  ExprCodeGen keyExprs = exprGen(keyRecord, info.keyType);
  aggs.emitDecodeKey(keyExprs, keyBytes, keyRecord, info.keyType, keyLayout.layout);
  ExprCodeGen consts = exprGen(nullptr, nullptr, nullptr);
  std::vector<Val> results = aggs.emitResults(consts, state);

  // The result: window_start, window_end, the keys, the entries (over
  // the keys and the aggregates; a failing entry skips this result).
  Emission emission(*this, b_.CreateSub(end, b_.getInt64(1)), next); // a result's event time
  ExprCodeGen entries = exprGen(keyRecord, &info.keyType, &keyLayout.layout, &results);
  const RecordType &outType = *w.output;
  const LayoutInfo &out = layoutOf(outType);
  llvm::Value *outRec = entryAlloca(out.layout.size, "window.result");
  entries.storeField(outRec, out.layout, outType, 0, {start, b_.getFalse()});
  entries.storeField(outRec, out.layout, outType, 1, {end, b_.getFalse()});
  for (size_t i = 0; i < w.keys.size(); ++i)
    entries.storeField(
        outRec, out.layout, outType, static_cast<int>(2 + i),
        entries.loadField(keyRecord, keyLayout.layout, info.keyType, static_cast<int>(i)));
  for (size_t i = 0; i < w.entries.size(); ++i)
    entries.storeField(outRec, out.layout, outType, static_cast<int>(2 + w.keys.size() + i),
                       entries.emit(*w.entries[i]));
  emitConsumers(w, outRec, outType);
}

void Generator::emitFiring(const LogicalWindowAggregate &w, llvm::Value *wm) {
  WindowInfo &info = windowInfo_.at(&w);
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  llvm::Value *fireAt = b_.CreateLoad(rt_.i64, info.clock);
  auto *fire = llvm::BasicBlock::Create(ctx_, "window.fire", fn_);
  auto *after = llvm::BasicBlock::Create(ctx_, "window.fired", fn_);
  b_.CreateCondBr(b_.CreateICmpSGE(wm, fireAt), fire, after);
  b_.SetInsertPoint(fire);
  rt_.call(b_, Abi::srt_window_fire, {handle, wm});
  llvm::Value *rowInfo = entryAlloca(sizeof(srt_window_row), "window.row");
  emitDrain(
      "window",
      [&] {
        return rt_.call(b_, Abi::srt_window_next, {handle, rowInfo});
      },
      [&](llvm::Value *state, llvm::BasicBlock *next) {
        emitWindowResult(w, rowInfo, state, next);
      });
  b_.CreateBr(after);

  // The window's watermark never goes back: after a restart from a Kafka
  // commit the runtime restores it, and the source's climbs from -inf.
  b_.SetInsertPoint(after);
  llvm::Value *slot =
      b_.CreateConstInBoundsGEP1_64(rt_.i8, info.clock, offsetof(srt_window_clock, watermark));
  b_.CreateStore(b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, b_.CreateLoad(rt_.i64, slot), wm),
                 slot);
}

} // namespace streamc::codegen_detail
