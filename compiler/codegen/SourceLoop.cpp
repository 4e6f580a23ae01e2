// One loop per source, and the per-record code of the operators it feeds.
#include "codegen/Generator.h"

#include "plan/ExprWalker.h"
#include "plan/LogicalFanOut.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalProject.h"

#include <cstdint>
#include <set>

namespace streamc::codegen_detail {

using llvm::cast;
using llvm::dyn_cast;

void Generator::emitSourceLoop(LogicalSource &src) {
  const LayoutInfo &info = layoutOf(*src.output, &src.readFields);
  llvm::Value *record = entryAlloca(info.layout.size, "record");
  std::vector<const LogicalWindowAggregate *> windows = windowsAfter(src);
  auto *header = llvm::BasicBlock::Create(ctx_, "next." + src.sourceName, fn_);
  auto *body = llvm::BasicBlock::Create(ctx_, "record." + src.sourceName, fn_);
  auto *finish = llvm::BasicBlock::Create(ctx_, "end." + src.sourceName, fn_);
  auto *done = llvm::BasicBlock::Create(ctx_, "done." + src.sourceName, fn_);
  // With windows downstream: the largest event time seen, the watermark,
  // and whether the source has ended (the watermark is then +inf).
  llvm::AllocaInst *maxTime = nullptr, *watermark = nullptr, *ended = nullptr;
  if (!windows.empty()) {
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    maxTime = eb.CreateAlloca(rt_.i64, nullptr, "max_time");
    watermark = eb.CreateAlloca(rt_.i64, nullptr, "watermark");
    ended = eb.CreateAlloca(rt_.i1, nullptr, "ended");
    b_.CreateStore(b_.getInt64(INT64_MIN), maxTime);
    b_.CreateStore(b_.getInt64(INT64_MIN), watermark);
    b_.CreateStore(b_.getFalse(), ended);
  }
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  llvm::Value *reader = readers_[&src].value;
  llvm::Value *got = rt_.call(b_, Abi::srt_reader_next, {reader, record});
  if (src.connectorName == "kafka") {
    // -1: a rebalance rewound the input and dropped the windows' state; the
    // runtime, which computes this source's watermark per record, forgot the
    // partitions' event times too, so the loop just reads on.
    auto *notRecord = llvm::BasicBlock::Create(ctx_, "no_record." + src.sourceName, fn_);
    b_.CreateCondBr(b_.CreateICmpSGT(got, b_.getInt32(0)), body, notRecord);
    b_.SetInsertPoint(notRecord);
    b_.CreateCondBr(b_.CreateICmpEQ(got, b_.getInt32(0)), finish, header);
  } else {
    b_.CreateCondBr(b_.CreateICmpNE(got, b_.getInt32(0)), body, finish);
  }
  b_.SetInsertPoint(body);
  if (usesRecordContext())
    rt_.call(b_, Abi::srt_record_begin, {ctxArg_});
  loop_ = {header, reader};
  // Every record carries its event time (processing time without one),
  // which windows read.
  if (windows.empty())
    time_ = nullptr;
  else if (src.eventTimeField >= 0)
    time_ = exprGen(record, *src.output)
                .loadField(record, info.layout, *src.output, src.eventTimeField)
                .v;
  else
    time_ = rt_.call(b_, Abi::srt_clock_ms, {});
  emitConsumers(src, record, *src.output);
  if (windows.empty()) {
    b_.CreateBr(header);
    b_.SetInsertPoint(finish);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    return;
  }
  // Watermark = largest event time - max_delay; then the windows it
  // reached fire.
  // A Kafka source's watermark is per partition (the runtime's).
  auto *fire = llvm::BasicBlock::Create(ctx_, "fire." + src.sourceName, fn_);
  if (src.connectorName == "kafka") {
    b_.CreateStore(rt_.call(b_, Abi::srt_reader_watermark, {reader, time_, maxDelay_.at(&src)}),
                   watermark);
  } else {
    llvm::Value *largest =
        b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, b_.CreateLoad(rt_.i64, maxTime), time_);
    b_.CreateStore(largest, maxTime);
    b_.CreateStore(b_.CreateSub(largest, maxDelay_.at(&src)), watermark);
  }
  b_.CreateBr(fire);
  // At the end of the source the watermark becomes +inf: every window fires.
  b_.SetInsertPoint(finish);
  b_.CreateStore(b_.getInt64(INT64_MAX), watermark);
  b_.CreateStore(b_.getTrue(), ended);
  b_.CreateBr(fire);
  b_.SetInsertPoint(fire);
  llvm::Value *wm = b_.CreateLoad(rt_.i64, watermark);
  for (const LogicalWindowAggregate *w : windows)
    emitFiring(*w, wm);
  b_.CreateCondBr(b_.CreateLoad(rt_.i1, ended), done, header);
  b_.SetInsertPoint(done);
}

std::vector<const LogicalWindowAggregate *> Generator::windowsAfter(const LogicalSource &src) {
  std::set<const LogicalOperator *> reached{&src};
  std::vector<const LogicalWindowAggregate *> out;
  for (LogicalOperator *op : order_) {
    bool fed = false;
    for (size_t i = 0; i < op->inputs.size(); ++i) {
      auto *sink = dyn_cast<LogicalSink>(op);
      if (reached.count(op->inputs[i]) && !(sink && sink->lateInput[i]))
        fed = true;
    }
    if (!fed)
      continue;
    reached.insert(op);
    if (auto *w = dyn_cast<LogicalWindowAggregate>(op))
      out.push_back(w);
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
  const LayoutInfo &in = layoutOf(type);
  const LayoutInfo &out = layoutOf(outType);
  const LayoutInfo &tableLayout = layoutOf(*l.tableType);
  llvm::Value *outRec = entryAlloca(out.layout.size, "looked_up");
  size_t n = type.fields.size();
  for (size_t i = 0; i < n; ++i)
    exprs.storeField(outRec, out.layout, outType, static_cast<int>(i),
                     exprs.loadField(record, in.layout, type, static_cast<int>(i)));

  auto *hit = llvm::BasicBlock::Create(ctx_, "lookup.hit", fn_);
  auto *miss = llvm::BasicBlock::Create(ctx_, "lookup.miss", fn_);
  auto *join = llvm::BasicBlock::Create(ctx_, "lookup.done", fn_);
  b_.CreateCondBr(matched, hit, miss);
  b_.SetInsertPoint(hit);
  for (size_t j = 0; j < l.tableType->fields.size(); ++j)
    exprs.storeField(outRec, out.layout, outType, static_cast<int>(n + j),
                     exprs.loadField(found, tableLayout.layout, *l.tableType, static_cast<int>(j)));
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
  if (sink.connectorName == "null") { // discarded, only counted
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

ExprCodeGen Generator::exprGen(llvm::Value *record, const RecordType *type,
                               const RecordLayout *layout, const std::vector<Val> *aggregates) {
  ExprCodeGen::Env env;
  env.aggregates = aggregates;
  env.record = record;
  env.type = type;
  env.layout = layout;
  env.ctx = ctxArg_;
  if (options_.standalone)
    env.params = &paramGlobals_;
  env.reject = [this](const char *reason) {
    // The record is rejected by this consumer: counted against its source
    // and skipped here.
    rt_.call(b_, Abi::srt_reader_reject, {loop_.reader, rt_.cstring(reason)});
    b_.CreateBr(rejectTarget_);
  };
  return ExprCodeGen(b_, rt_, fn_, entry_, env, plan_);
}

} // namespace streamc::codegen_detail
