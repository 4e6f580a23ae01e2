// The scheduler loop, each source's step (a batch of its records), and the
// per-record code of the operators a source feeds.
#include "codegen/Generator.h"

#include "plan/ExprWalker.h"
#include "plan/LogicalFanOut.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalProject.h"
#include "plan/LogicalUnion.h"

#include <srt/types.h>

#include <algorithm>
#include <cstdint>
#include <set>

namespace streamc::codegen_detail {

using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

void Generator::createScheduler() {
  sched_ = handleSlot("sched");
  llvm::Value *sched = rt_.call(b_, Abi::srt_sched_create,
                                {runArg_, b_.getInt32(static_cast<uint32_t>(sources_.size()))});
  b_.CreateStore(sched, sched_);
  // Which sources feed each operator (not through a window's late
  // records): a stage's watermark is the least of theirs.
  for (LogicalOperator *op : order_) {
    std::set<const LogicalSource *> feeding;
    if (auto *src = dyn_cast<LogicalSource>(op))
      feeding.insert(src);
    std::set<const LogicalSource *> held;
    for (size_t i = 0; i < op->inputs.size(); ++i) {
      if (isLateInput(*op, i))
        continue;
      const LogicalOperator *in = op->inputs[i];
      feeding.insert(upstream_[in].begin(), upstream_[in].end());
      held.insert(heldUntilEnd_[in].begin(), heldUntilEnd_[in].end());
      if (auto *w = dyn_cast<LogicalWindowAggregate>(in);
          w && w->window == LogicalWindowAggregate::WindowKind::All)
        held.insert(upstream_[in].begin(), upstream_[in].end());
    }
    upstream_[op].assign(feeding.begin(), feeding.end());
    heldUntilEnd_[op] = std::move(held);
  }
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  for (size_t i = 0; i < sources_.size(); ++i) {
    const LogicalSource *src = sources_[i];
    SourceState &st = sourceState_[src];
    st.index = static_cast<int32_t>(i);
    std::string n = src->sourceName;
    st.maxTime = eb.CreateAlloca(rt_.i64, nullptr, "max_time." + n);
    st.watermark = eb.CreateAlloca(rt_.i64, nullptr, "watermark." + n);
    st.effective = eb.CreateAlloca(rt_.i64, nullptr, "stage_watermark." + n);
    st.count = eb.CreateAlloca(rt_.i64, nullptr, "batch." + n);
    st.status = eb.CreateAlloca(rt_.i32, nullptr, "status." + n);
    for (llvm::AllocaInst *slot : {st.maxTime, st.watermark, st.effective})
      b_.CreateStore(b_.getInt64(INT64_MIN), slot);
    rt_.call(b_, Abi::srt_sched_add,
             {sched, b_.getInt32(static_cast<uint32_t>(i)), readers_.at(src).value,
              b_.getInt64(src->idleTimeoutMs)});
  }
}

void Generator::emitSchedulerLoop() {
  auto *dispatch = llvm::BasicBlock::Create(ctx_, "dispatch", fn_);
  auto *finished = llvm::BasicBlock::Create(ctx_, "finished", fn_);
  b_.CreateBr(dispatch);
  b_.SetInsertPoint(dispatch);
  llvm::Value *next = rt_.call(b_, Abi::srt_sched_next, {b_.CreateLoad(rt_.ptr, sched_)});
  auto *sw = b_.CreateSwitch(next, finished, static_cast<unsigned>(sources_.size()));
  for (LogicalSource *src : sources_) {
    auto *step = llvm::BasicBlock::Create(ctx_, "step." + src->sourceName, fn_);
    sw->addCase(b_.getInt32(static_cast<uint32_t>(sourceState_.at(src).index)), step);
    b_.SetInsertPoint(step);
    emitSourceStep(*src, dispatch);
  }
  b_.SetInsertPoint(finished);
}

void Generator::emitSourceStep(LogicalSource &src, llvm::BasicBlock *dispatch) {
  const LayoutInfo &info = layoutOf(*src.output, &src.readFields, &src.readPaths);
  // Zeroed once: the reader never writes the fields the program does not
  // read, and a join copies whole records (an unread string is then empty).
  // A generator's records are in its batch buffer instead (emitBatchedRead).
  bool batched = src.connectorKind == SRT_CONNECTOR_GENERATE;
  llvm::Value *record = batched ? nullptr : zeroedEntryAlloca(info.layout.size, "record");
  const SourceState &st = sourceState_.at(&src);
  std::vector<const LogicalOperator *> stateful = statefulAfter(src);
  auto block = [&](const char *what) {
    return llvm::BasicBlock::Create(ctx_, std::string(what) + "." + src.sourceName, fn_);
  };
  auto *header = block("next"), *read = block("read"), *body = block("record"),
       *full = block("batch_full"), *waiting = block("batch_wait"), *batchEnd = block("batch_end"),
       *finish = block("end");
  b_.CreateStore(b_.getInt64(0), st.count);
  b_.CreateBr(header);

  // A step reads up to kBatchRecords records, or what is there now.
  b_.SetInsertPoint(header);
  llvm::Value *count = b_.CreateLoad(rt_.i64, st.count);
  b_.CreateCondBr(b_.CreateICmpSGE(count, b_.getInt64(kBatchRecords)), full, read);
  b_.SetInsertPoint(read);
  llvm::Value *reader = readers_.at(&src).value;
  if (batched) {
    // Generated records come in batches (srt_reader_fill), taken one by one.
    record = emitBatchedRead(info.layout.size, reader, body, waiting, finish);
  } else {
    llvm::Value *got = rt_.call(b_, Abi::srt_reader_next, {reader, record});
    auto *sw = b_.CreateSwitch(got, finish, 3);
    sw->addCase(b_.getInt32(1), body);
    sw->addCase(b_.getInt32(2), waiting);
    // -1: a Kafka rebalance rewound the input and dropped the windows' state;
    // the runtime, which computes this source's watermark per record, forgot
    // the partitions' event times too, so the step just reads on.
    if (src.connectorKind == SRT_CONNECTOR_KAFKA)
      sw->addCase(b_.getInt32(-1), header);
  }
  for (auto [blockEnd, status] : {std::pair{full, SRT_STEP_MORE}, {waiting, SRT_STEP_WAIT}}) {
    b_.SetInsertPoint(blockEnd);
    b_.CreateStore(b_.getInt32(status), st.status);
    b_.CreateBr(batchEnd);
  }

  b_.SetInsertPoint(body);
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(rt_.i64, st.count), b_.getInt64(1)), st.count);
  if (usesRecordContext())
    rt_.call(b_, Abi::srt_record_begin, {ctxArg_});
  loop_ = {header, reader};
  // Every record carries its event time (processing time without one),
  // which stateful stages read; it is late only against its own source's
  // watermark before it.
  time_ = nullptr;
  lateBefore_ = nullptr;
  if (!stateful.empty()) {
    time_ = src.eventTimeField >= 0
                ? exprGen(record, *src.output)
                      .loadField(record, info.layout, *src.output, src.eventTimeField)
                      .v
                : rt_.call(b_, Abi::srt_clock_ms, {});
    lateBefore_ = b_.CreateLoad(rt_.i64, st.watermark);
  }
  emitConsumers(src, record, *src.output);
  if (!stateful.empty()) {
    // Watermark = largest event time - max_delay (a Kafka source's is per
    // partition: the runtime's); then what it reached fires.
    llvm::Value *wm;
    if (src.connectorKind == SRT_CONNECTOR_KAFKA) {
      wm = rt_.call(b_, Abi::srt_reader_watermark, {reader, time_, maxDelay_.at(&src)});
    } else {
      llvm::Value *largest = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax,
                                                      b_.CreateLoad(rt_.i64, st.maxTime), time_);
      b_.CreateStore(largest, st.maxTime);
      wm = b_.CreateSub(largest, maxDelay_.at(&src));
    }
    b_.CreateStore(wm, st.watermark);
    b_.CreateStore(wm, st.effective);
    emitAdvance(stateful);
  }
  b_.CreateBr(header);

  b_.SetInsertPoint(batchEnd);
  emitBatchEnd(src, stateful);
  b_.CreateBr(dispatch);

  // At the end of the source its watermark becomes +inf: what it alone held
  // open fires.
  b_.SetInsertPoint(finish);
  b_.CreateStore(b_.getInt64(INT64_MAX), st.watermark);
  b_.CreateStore(b_.getInt64(INT64_MAX), st.effective);
  emitAdvance(stateful);
  rt_.call(b_, Abi::srt_sched_done,
           {b_.CreateLoad(rt_.ptr, sched_), b_.getInt32(static_cast<uint32_t>(st.index)),
            b_.CreateLoad(rt_.i64, st.count), b_.getInt32(SRT_STEP_END), b_.getInt64(INT64_MAX),
            b_.getInt64(INT64_MAX)});
  b_.CreateBr(dispatch);
}

llvm::Value *Generator::emitBatchedRead(uint32_t recordSize, llvm::Value *reader,
                                        llvm::BasicBlock *body, llvm::BasicBlock *waiting,
                                        llvm::BasicBlock *finish) {
  uint32_t capacity = std::clamp<uint32_t>(8192 / std::max<uint32_t>(recordSize, 1), 1, 256);
  // Kept across steps: a step that ends mid-batch goes on from there.
  llvm::Value *records = zeroedEntryAlloca(capacity * recordSize, "records");
  llvm::Value *pos = zeroedEntryAlloca(sizeof(int64_t), "batch.pos");
  llvm::Value *len = zeroedEntryAlloca(sizeof(int64_t), "batch.len");
  auto *fill = llvm::BasicBlock::Create(ctx_, "batch.fill", fn_);
  auto *filled = llvm::BasicBlock::Create(ctx_, "batch.filled", fn_);
  auto *take = llvm::BasicBlock::Create(ctx_, "batch.take", fn_);
  b_.CreateCondBr(b_.CreateICmpSLT(b_.CreateLoad(rt_.i64, pos), b_.CreateLoad(rt_.i64, len)), take,
                  fill);
  b_.SetInsertPoint(fill);
  llvm::Value *n = rt_.call(b_, Abi::srt_reader_fill,
                            {reader, records, b_.getInt64(capacity), b_.getInt64(recordSize)});
  auto *sw = b_.CreateSwitch(n, filled, 2);
  sw->addCase(b_.getInt64(0), finish);
  sw->addCase(b_.getInt64(-2), waiting);
  b_.SetInsertPoint(filled);
  b_.CreateStore(n, len);
  b_.CreateStore(b_.getInt64(0), pos);
  b_.CreateBr(take);
  b_.SetInsertPoint(take);
  llvm::Value *at = b_.CreateLoad(rt_.i64, pos);
  b_.CreateStore(b_.CreateAdd(at, b_.getInt64(1)), pos);
  llvm::Value *record =
      b_.CreateInBoundsGEP(rt_.i8, records, b_.CreateMul(at, b_.getInt64(recordSize)));
  b_.CreateBr(body);
  return record;
}

void Generator::emitBatchEnd(const LogicalSource &src,
                             const std::vector<const LogicalOperator *> &stateful) {
  const SourceState &st = sourceState_.at(&src);
  llvm::Value *sched = b_.CreateLoad(rt_.ptr, sched_);
  llvm::Value *wake = b_.getInt64(INT64_MAX);
  if (!stateful.empty()) {
    if (src.eventTimeField < 0) {
      // Processing time goes on without records: windows fire on the clock.
      llvm::Value *now = rt_.call(b_, Abi::srt_clock_ms, {});
      b_.CreateStore(now, st.watermark);
      b_.CreateStore(now, st.effective);
    }
    if (src.idleTimeoutMs > 0) {
      // Idle (nothing for idle_timeout): the stages it feeds go on without it.
      llvm::Value *idle = b_.CreateAnd(
          b_.CreateICmpEQ(b_.CreateLoad(rt_.i64, st.count), b_.getInt64(0)),
          b_.CreateICmpNE(rt_.call(b_, Abi::srt_sched_idle,
                                   {sched, b_.getInt32(static_cast<uint32_t>(st.index))}),
                          b_.getInt32(0)));
      b_.CreateStore(
          b_.CreateSelect(idle, b_.getInt64(INT64_MAX), b_.CreateLoad(rt_.i64, st.watermark)),
          st.effective);
    }
    if (src.eventTimeField < 0 || src.idleTimeoutMs > 0)
      emitAdvance(stateful);
    if (src.eventTimeField < 0)
      wake = nextTimeWindowEnd(stateful);
  }
  rt_.call(b_, Abi::srt_sched_done,
           {sched, b_.getInt32(static_cast<uint32_t>(st.index)), b_.CreateLoad(rt_.i64, st.count),
            b_.CreateLoad(rt_.i32, st.status), b_.CreateLoad(rt_.i64, st.watermark), wake});
}

llvm::Value *Generator::nextTimeWindowEnd(const std::vector<const LogicalOperator *> &stateful) {
  llvm::Value *wake = b_.getInt64(INT64_MAX);
  for (const LogicalOperator *op : stateful) {
    auto *w = dyn_cast<LogicalWindowAggregate>(op);
    if (!w || w->window == LogicalWindowAggregate::WindowKind::Count ||
        w->window == LogicalWindowAggregate::WindowKind::All)
      continue;
    llvm::Value *fireAt = b_.CreateLoad(rt_.i64, windowInfo_.at(w).clock);
    wake = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, wake, fireAt);
  }
  return wake;
}

llvm::Value *Generator::stageWatermark(const LogicalOperator &op) {
  llvm::Value *wm = nullptr;
  const std::set<const LogicalSource *> &held = heldUntilEnd_.at(&op);
  for (const LogicalSource *src : upstream_.at(&op)) {
    llvm::Value *w = b_.CreateLoad(rt_.i64, sourceState_.at(src).effective);
    if (held.count(src)) // -inf until the window all fires, at +inf
      w = b_.CreateSelect(b_.CreateICmpEQ(w, b_.getInt64(INT64_MAX)), w, b_.getInt64(INT64_MIN));
    wm = wm ? b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, wm, w) : w;
  }
  return wm ? wm : b_.getInt64(INT64_MAX);
}

void Generator::emitAdvance(const std::vector<const LogicalOperator *> &stateful) {
  for (const LogicalOperator *op : stateful)
    if (auto *w = dyn_cast<LogicalWindowAggregate>(op))
      emitFiring(*w, stageWatermark(*w));
    else if (auto *j = dyn_cast<LogicalJoin>(op)) // expiry: nothing is emitted
      rt_.call(b_, Abi::srt_join_advance,
               {b_.CreateLoad(rt_.ptr, joinInfo_.at(j).handle), stageWatermark(*j)});
    else if (auto *t = dyn_cast<LogicalTop>(op))
      emitTopFiring(*t, stageWatermark(*t));
    else if (auto *o = dyn_cast<LogicalOver>(op); o && o->eventTime)
      emitOverRelease(*o, stageWatermark(*o));        // processing time: nothing waits
    else if (auto *d = dyn_cast<LogicalDistinct>(op)) // the same
      rt_.call(b_, Abi::srt_dedup_advance,
               {b_.CreateLoad(rt_.ptr, dedupInfo_.at(d).handle), stageWatermark(*d)});
}

std::vector<const LogicalOperator *> Generator::statefulAfter(const LogicalSource &src) {
  std::vector<const LogicalOperator *> out;
  for (LogicalOperator *op : order_) {
    const auto &feeding = upstream_.at(op);
    if (!std::count(feeding.begin(), feeding.end(), &src))
      continue;
    if (isa<LogicalWindowAggregate>(op) || isa<LogicalJoin>(op) || isa<LogicalDistinct>(op) ||
        isa<LogicalTop>(op) || isa<LogicalOver>(op))
      out.push_back(op);
  }
  return out;
}

bool Generator::usesRecordContext() const {
  bool uses = false;
  forEachExpr(
      plan_,
      [&](const PlanExpr &root, ExprPhase) {
        root.walk([&](const PlanExpr &x) {
          if (x.kind == PlanExpr::Kind::Binary && x.binaryOp == BinaryOp::Add &&
              x.type.kind == TypeKind::String)
            uses = true; // concatenation builds in the arena
          if (x.kind != PlanExpr::Kind::Call ||
              !(scalarBuiltin(x.builtin).flags & UsesRecordContext))
            return;
          // string() of a string or a bool needs no arena.
          TypeKind arg = x.children.empty() ? TypeKind::Null : x.children[0]->type.kind;
          if (x.builtin != BuiltinId::ToString ||
              (arg != TypeKind::String && arg != TypeKind::Bool))
            uses = true;
        });
      },
      ExprSet::PerRecord);
  return uses;
}

llvm::Value *Generator::entryAlloca(uint32_t size, const char *name) {
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  auto *a = eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, size), nullptr, name);
  a->setAlignment(llvm::Align(8));
  return a;
}

llvm::Value *Generator::zeroedEntryAlloca(uint32_t size, const char *name) {
  auto *a = llvm::cast<llvm::AllocaInst>(entryAlloca(size, name));
  llvm::IRBuilder<> eb(a->getNextNode());
  eb.CreateMemSet(a, eb.getInt8(0), size, llvm::Align(8));
  return a;
}

void Generator::emitConsumers(const LogicalOperator &producer, llvm::Value *record,
                              const RecordType &type) {
  auto it = consumerSlots_.find(&producer);
  if (it == consumerSlots_.end())
    return;
  for (auto [c, i] : it->second)
    if (!isLateInput(*c, i)) {
      // A record error inside this consumer skips only its own
      // downstream: the record still reaches the other consumers.
      auto *after = llvm::BasicBlock::Create(ctx_, "after", fn_);
      llvm::BasicBlock *saved = rejectTarget_;
      rejectTarget_ = after;
      emitOperator(*c, i, record, type);
      rejectTarget_ = saved;
      b_.CreateBr(after);
      b_.SetInsertPoint(after);
    }
}

bool Generator::isLateInput(const LogicalOperator &op, size_t i) {
  auto *sink = dyn_cast<LogicalSink>(&op);
  return sink && sink->lateInput[i];
}

void Generator::emitOperator(const LogicalOperator &op, size_t slot, llvm::Value *record,
                             const RecordType &type) {
  switch (op.kind()) {
  case LogicalOperator::Kind::WindowAggregate:
    emitWindowUpdate(cast<LogicalWindowAggregate>(op), record, type);
    return;
  case LogicalOperator::Kind::FanOut:
    emitConsumers(op, record, type);
    return;
  case LogicalOperator::Kind::Sink:
    emitSinkWrite(cast<LogicalSink>(op), slot, record, type);
    return;
  case LogicalOperator::Kind::Fused:
    emitSteps(cast<LogicalFused>(op), 0, record, type);
    return;
  case LogicalOperator::Kind::Lookup:
    emitLookup(cast<LogicalLookup>(op), record, type);
    return;
  case LogicalOperator::Kind::Union:
    emitUnion(cast<LogicalUnion>(op), record, type);
    return;
  case LogicalOperator::Kind::Unnest:
    emitUnnest(cast<LogicalUnnest>(op), record, type);
    return;
  case LogicalOperator::Kind::Join:
    emitJoinArrival(cast<LogicalJoin>(op), slot, record, type);
    return;
  case LogicalOperator::Kind::Distinct:
    emitDistinct(cast<LogicalDistinct>(op), record, type);
    return;
  case LogicalOperator::Kind::Top:
    emitTopArrival(cast<LogicalTop>(op), record, type);
    return;
  case LogicalOperator::Kind::Over:
    emitOverArrival(cast<LogicalOver>(op), record, type);
    return;
  case LogicalOperator::Kind::Filter:
  case LogicalOperator::Kind::Project:
    emitStateless(op, record, type, [&](llvm::Value *out, const RecordType &outType) {
      emitConsumers(op, out, outType);
    });
    return;
  default:
    return; // rejected by supported()
  }
}

void Generator::emitSteps(const LogicalFused &fused, size_t i, llvm::Value *record,
                          const RecordType &type) {
  if (i == fused.steps.size()) {
    emitConsumers(fused, record, type);
    return;
  }
  emitStateless(*fused.steps[i], record, type, [&](llvm::Value *out, const RecordType &outType) {
    emitSteps(fused, i + 1, out, outType);
  });
}

template <typename Next>
void Generator::emitStateless(const LogicalOperator &op, llvm::Value *record,
                              const RecordType &type, Next next) {
  ExprCodeGen exprs = exprGen(record, type);
  if (auto *f = dyn_cast<LogicalFilter>(&op)) {
    Val cond = exprs.emit(*f->condition);
    llvm::Value *pass = b_.CreateAnd(b_.CreateNot(cond.null), cond.v);
    auto *then = llvm::BasicBlock::Create(ctx_, "where", fn_);
    auto *cont = llvm::BasicBlock::Create(ctx_, "next", fn_);
    b_.CreateCondBr(pass, then, cont);
    b_.SetInsertPoint(then);
    next(record, *op.output);
    b_.CreateBr(cont);
    b_.SetInsertPoint(cont);
    return;
  }
  auto &p = cast<LogicalProject>(op);
  const RecordType &outType = *op.output;
  const LayoutInfo &in = layoutOf(type);
  const LayoutInfo &out = layoutOf(outType);
  llvm::Value *outRec = entryAlloca(out.layout.size, p.isExtend ? "extended" : "selected");
  // Compute every item before storing any, as an item may read a field
  // another item replaces.
  std::vector<Val> values;
  for (const auto &e : p.exprs)
    values.push_back(exprs.emit(*e));
  for (size_t i = 0; i < outType.fields.size(); ++i) {
    const Field &f = outType.fields[i];
    int item = -1;
    for (size_t k = 0; k < p.names.size(); ++k)
      if (p.names[k] == f.name)
        item = static_cast<int>(k);
    Val v;
    if (item >= 0)
      v = values[item];
    else // an extend passes the input field through
      v = exprs.loadField(record, in.layout, type, type.indexOf(f.name));
    exprs.storeField(outRec, out.layout, outType, static_cast<int>(i), v);
  }
  next(outRec, outType);
}

void Generator::emitUnion(const LogicalUnion &u, llvm::Value *record, const RecordType &type) {
  const RecordType &outType = *u.output;
  const LayoutInfo &in = layoutOf(type);
  const LayoutInfo &out = layoutOf(outType);
  if (in.layout.size == out.layout.size &&
      std::equal(in.layout.slots.begin(), in.layout.slots.end(), out.layout.slots.begin(),
                 [](const FieldSlot &a, const FieldSlot &b) {
                   return a.offset == b.offset && a.nullOffset == b.nullOffset;
                 })) {
    emitConsumers(u, record, outType); // the same layout: the record as it is
    return;
  }
  // A `T` field where the union has `T?`: the layouts differ by null flags.
  llvm::Value *outRec = entryAlloca(out.layout.size, "united");
  copyFields(record, type, outRec, outType, 0);
  emitConsumers(u, outRec, outType);
}

void Generator::emitUnnest(const LogicalUnnest &u, llvm::Value *record, const RecordType &type) {
  ExprCodeGen exprs = exprGen(record, type);
  Val str = exprs.emit(*u.string);
  const RecordType &outType = *u.output;
  const RecordLayout &inLayout = layoutOf(type).layout;
  const RecordLayout &outLayout = layoutOf(outType).layout;
  llvm::Value *outRec = entryAlloca(outLayout.size, "unnested");
  for (size_t i = 0; i < outType.fields.size(); ++i)
    if (static_cast<int>(i) != u.fieldIndex)
      exprs.storeField(outRec, outLayout, outType, static_cast<int>(i),
                       exprs.loadField(record, inLayout, type, type.indexOf(outType.fields[i].name)));

  // for (at = 0;; at = end + sep.len) { end = find(sep, from at) or len;
  //   piece = s[at, end); downstream; if end == len: break }
  llvm::Value *ptr = b_.CreateExtractValue(str.v, 0), *len = b_.CreateExtractValue(str.v, 1);
  llvm::Value *sep = rt_.cstring(u.separator);
  llvm::Value *sepLen = b_.getInt64(static_cast<int64_t>(u.separator.size()));
  llvm::AllocaInst *at;
  {
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    at = eb.CreateAlloca(rt_.i64, nullptr, "unnest.at");
  }
  auto *loop = llvm::BasicBlock::Create(ctx_, "unnest.piece", fn_);
  auto *done = llvm::BasicBlock::Create(ctx_, "unnest.done", fn_);
  b_.CreateStore(b_.getInt64(0), at);
  b_.CreateCondBr(str.null, done, loop); // a null string: no record
  b_.SetInsertPoint(loop);
  llvm::Value *start = b_.CreateLoad(rt_.i64, at);
  llvm::Value *rest = b_.CreateInBoundsGEP(rt_.i8, ptr, start);
  llvm::Value *found =
      rt_.call(b_, Abi::srt_str_find, {rest, b_.CreateSub(len, start), sep, sepLen});
  llvm::Value *last = b_.CreateICmpEQ(found, b_.getInt64(0));
  llvm::Value *end =
      b_.CreateSelect(last, len, b_.CreateAdd(start, b_.CreateSub(found, b_.getInt64(1))));
  llvm::Value *piece = llvm::UndefValue::get(rt_.strTy);
  piece = b_.CreateInsertValue(piece, rest, 0);
  piece = b_.CreateInsertValue(piece, b_.CreateSub(end, start), 1);
  exprs.storeField(outRec, outLayout, outType, u.fieldIndex, {piece, b_.getFalse()});
  emitConsumers(u, outRec, outType);
  b_.CreateStore(b_.CreateAdd(end, sepLen), at);
  b_.CreateCondBr(last, done, loop);
  b_.SetInsertPoint(done);
}

void Generator::copyFields(llvm::Value *from, const RecordType &fromType, llvm::Value *to,
                           const RecordType &toType, size_t at) {
  const RecordLayout &fromLayout = layoutOf(fromType).layout;
  const RecordLayout &toLayout = layoutOf(toType).layout;
  ExprCodeGen exprs = exprGen(nullptr, &toType, &toLayout);
  for (size_t i = 0; i < fromType.fields.size(); ++i)
    exprs.storeField(to, toLayout, toType, static_cast<int>(at + i),
                     exprs.loadField(from, fromLayout, fromType, static_cast<int>(i)));
}

llvm::AllocaInst *Generator::nullCounter(const LogicalSink &sink) {
  auto it = nullCounters_.find(&sink);
  if (it != nullCounters_.end())
    return it->second;
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  llvm::AllocaInst *c = eb.CreateAlloca(rt_.i64, nullptr, "discarded");
  eb.CreateStore(eb.getInt64(0), c);
  return nullCounters_[&sink] = c;
}

void Generator::emitLookup(const LogicalLookup &l, llvm::Value *record, const RecordType &type) {
  ExprCodeGen exprs = exprGen(record, type);
  Val key = exprs.emit(*l.key);
  llvm::Value *table = tables_.at(l.table).value;
  llvm::Value *found;
  if (l.key->type.kind == TypeKind::String)
    found = rt_.call(b_, Abi::srt_table_find_str,
                     {table, b_.CreateExtractValue(key.v, 0), b_.CreateExtractValue(key.v, 1)});
  else
    found = rt_.call(b_, Abi::srt_table_find_i64, {table, key.v});
  // A null key matches nothing.
  found = b_.CreateSelect(key.null, llvm::ConstantPointerNull::get(rt_.ptr), found);
  llvm::Value *matched = b_.CreateIsNotNull(found);

  const RecordType &outType = *l.output;
  const LayoutInfo &out = layoutOf(outType);
  llvm::Value *outRec = entryAlloca(out.layout.size, "looked_up");
  size_t n = type.fields.size();
  copyFields(record, type, outRec, outType, 0);

  auto *hit = llvm::BasicBlock::Create(ctx_, "lookup.hit", fn_);
  auto *miss = llvm::BasicBlock::Create(ctx_, "lookup.miss", fn_);
  auto *join = llvm::BasicBlock::Create(ctx_, "lookup.done", fn_);
  b_.CreateCondBr(matched, hit, miss);
  b_.SetInsertPoint(hit);
  copyFields(found, *l.tableType, outRec, outType, n);
  b_.CreateBr(join);
  b_.SetInsertPoint(miss);
  if (l.keepUnmatched) {
    for (size_t j = 0; j < l.tableType->fields.size(); ++j) {
      TypeKind kind = l.tableType->fields[j].type.kind;
      exprs.storeField(outRec, out.layout, outType, static_cast<int>(n + j),
                       {llvm::Constant::getNullValue(rt_.valueType(kind)), b_.getTrue()});
    }
    b_.CreateBr(join);
  } else {
    b_.CreateBr(rejectTarget_); // no match: the record goes no further here
  }
  b_.SetInsertPoint(join);
  emitConsumers(l, outRec, outType);
}

void Generator::emitSinkWrite(const LogicalSink &sink, size_t input, llvm::Value *record,
                              const RecordType &type) {
  if (sink.connectorKind == SRT_CONNECTOR_NULL) { // discarded, only counted
    llvm::AllocaInst *counter = nullCounter(sink);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(rt_.i64, counter), b_.getInt64(1)), counter);
    return;
  }
  const LayoutInfo &info = layoutOf(type);
  llvm::Value *writer = writers_.at(&sink).value;
  const PlanExpr *key = input < sink.keys.size() ? sink.keys[input].get() : nullptr;
  if (!key) {
    rt_.call(b_, Abi::srt_writer_write_as, {writer, info.global, record});
    return;
  }
  // A Kafka sink's message key, computed from the record (null: no key).
  Val k = exprGen(record, type).emit(*key);
  if (k.v->getType() == rt_.i64) {
    llvm::Value *isNull = k.null ? b_.CreateZExt(k.null, rt_.i32) : b_.getInt32(0);
    rt_.call(b_, Abi::srt_writer_write_keyed_i64, {writer, info.global, record, k.v, isNull});
    return;
  }
  llvm::Value *ptr = b_.CreateExtractValue(k.v, 0);
  if (k.null)
    ptr = b_.CreateSelect(k.null, llvm::ConstantPointerNull::get(rt_.ptr), ptr);
  rt_.call(b_, Abi::srt_writer_write_keyed,
           {writer, info.global, record, ptr, b_.CreateExtractValue(k.v, 1)});
}

ExprCodeGen Generator::exprGen(llvm::Value *record, const RecordType &type) {
  const LayoutInfo &info = layoutOf(type);
  return exprGen(record, &type, &info.layout);
}

ExprCodeGen Generator::acceptedExprGen(llvm::Value *record, const RecordType &type) {
  const LayoutInfo &info = layoutOf(type);
  ExprCodeGen::Env env = recordEnv();
  env.reject = nullptr;
  env.record = record;
  env.type = &type;
  env.layout = &info.layout;
  return ExprCodeGen(b_, rt_, fn_, entry_, env, plan_);
}

ExprCodeGen Generator::exprGen(llvm::Value *record, const RecordType *type,
                               const RecordLayout *layout, const std::vector<Val> *aggregates) {
  ExprCodeGen::Env env = recordEnv();
  env.aggregates = aggregates;
  env.record = record;
  env.type = type;
  env.layout = layout;
  return ExprCodeGen(b_, rt_, fn_, entry_, env, plan_);
}

ExprCodeGen::Env Generator::recordEnv() {
  ExprCodeGen::Env env;
  env.ctx = ctxArg_;
  if (options_.standalone)
    env.params = &paramGlobals_;
  env.reject = [this](const char *reason) {
    // The record is rejected by this consumer: counted against its source
    // and skipped here.
    rt_.call(b_, Abi::srt_reader_reject, {loop_.reader, rt_.cstring(reason)});
    b_.CreateBr(rejectTarget_);
  };
  return env;
}

} // namespace streamc::codegen_detail
