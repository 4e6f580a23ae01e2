// Top stages: their runtime state, a window result offered to its group
// (Generator::emitTopArrival) and the ranked groups the watermark releases
// (Generator::emitTopFiring).
#include "codegen/Generator.h"

#include "codegen/KeyCodeGen.h"

namespace streamc::codegen_detail {

void Generator::createTops() {
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  for (const LogicalTop *t : tops_) {
    TopInfo &info = topInfo_[t];
    info.stored = std::make_shared<RecordType>(*t->inputs[0]->output);
    info.stored->fields.push_back({"__order", t->order->type});
    info.handle = handleSlot("top");
    llvm::Value *n =
        startUpSetting(t->count.get(), t->n, 1, "top at " + t->where + ": the count", false);
    b_.CreateStore(
        rt_.call(b_, Abi::srt_top_create,
                 {runArg_, layoutOf(*info.stored).global, n, b_.getInt32(t->descending ? 1 : 0)}),
        info.handle);
    info.keyBuffer =
        eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, kKeyBufferSize), nullptr, "top.key");
    info.keyBuffer->setAlignment(llvm::Align(8));
  }
}

void Generator::emitTopArrival(const LogicalTop &t, llvm::Value *record, const RecordType &type) {
  TopInfo &info = topInfo_.at(&t);
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  ExprCodeGen exprs = exprGen(record, type);
  const RecordLayout &inLayout = layoutOf(type).layout;
  const LayoutInfo &stored = layoutOf(*info.stored);
  llvm::Value *row = entryAlloca(stored.layout.size, "top.row");
  for (size_t i = 0; i < type.fields.size(); ++i)
    exprs.storeField(row, stored.layout, *info.stored, static_cast<int>(i),
                     exprs.loadField(record, inLayout, type, static_cast<int>(i)));
  exprs.storeField(row, stored.layout, *info.stored, static_cast<int>(type.fields.size()),
                   exprs.emit(*t.order));
  auto [key, keyLen] = KeyCodeGen::encodeRecordKey(b_, rt_, fn_, exprs, t.per, info.keyBuffer,
                                                   kKeyBufferSize, Abi::srt_top_key_buffer, handle);
  // The group: the window's rows share their event time (window_end - 1ms)
  // and window_start; over `window all` every row is one window.
  llvm::Value *groupTime = t.wholeInput ? b_.getInt64(INT64_MAX - 1) : time_;
  llvm::Value *start = b_.getInt64(0);
  if (t.startField >= 0 && !t.wholeInput)
    start = exprs.loadField(record, inLayout, type, t.startField).v;
  rt_.call(b_, Abi::srt_top_add, {handle, key, keyLen, groupTime, start, time_, row});
}

void Generator::emitTopFiring(const LogicalTop &t, llvm::Value *wm) {
  TopInfo &info = topInfo_.at(&t);
  llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
  rt_.call(b_, Abi::srt_top_fire, {handle, wm});
  llvm::Value *rankSlot = entryAlloca(sizeof(int64_t), "top.rank");
  llvm::Value *timeSlot = entryAlloca(sizeof(int64_t), "top.time");
  emitDrain(
      "top",
      [&] {
        return rt_.call(b_, Abi::srt_top_next, {handle, rankSlot, timeSlot});
      },
      [&](llvm::Value *row, llvm::BasicBlock *next) {
        const RecordType &outType = *t.output;
        const LayoutInfo &out = layoutOf(outType);
        const LayoutInfo &stored = layoutOf(*info.stored);
        llvm::Value *outRec = entryAlloca(out.layout.size, "top.result");
        ExprCodeGen exprs = exprGen(row, *info.stored);
        size_t fields = outType.fields.size() - 1;
        for (size_t i = 0; i < fields; ++i)
          exprs.storeField(outRec, out.layout, outType, static_cast<int>(i),
                           exprs.loadField(row, stored.layout, *info.stored, static_cast<int>(i)));
        exprs.storeField(outRec, out.layout, outType, static_cast<int>(fields),
                         {b_.CreateLoad(rt_.i64, rankSlot), b_.getFalse()});
        Emission emission(*this, b_.CreateLoad(rt_.i64, timeSlot), next);
        emitConsumers(t, outRec, outType);
      });
}

} // namespace streamc::codegen_detail
