// generateModule and optimizeModule; the generator's entry point, its support
// check, the record layouts, and opening and closing the connectors.
#include "codegen/CodeGen.h"

#include "codegen/Generator.h"
#include "sema/Connectors.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <algorithm>
#include <functional>
#include <cstring>

namespace streamc::codegen_detail {

using llvm::cast;

std::unique_ptr<llvm::Module> Generator::run() {
  // The order and the readers of each operator, found once (a pipeline may
  // have thousands of stages).
  order_ = plan_.topologicalOrder();
  for (LogicalOperator *c : order_)
    for (size_t i = 0; i < c->inputs.size(); ++i)
      consumerSlots_[c->inputs[i]].emplace_back(c, i);
  if (!supported())
    return nullptr;
  auto *fnTy = llvm::FunctionType::get(rt_.i32, {rt_.ptr, rt_.ptr}, false);
  fn_ = llvm::Function::Create(fnTy, llvm::Function::ExternalLinkage, kEntryPoint, *module_);
  runArg_ = fn_->getArg(0);
  ctxArg_ = fn_->getArg(1);
  runArg_->setName("run");
  ctxArg_->setName("ctx");
  entry_ = llvm::BasicBlock::Create(ctx_, "entry", fn_);
  b_.SetInsertPoint(entry_);
  failBlock_ = llvm::BasicBlock::Create(ctx_, "fail", fn_);
  if (options_.standalone) {
    createParamGlobals();
    computeParamDefaults();
  }
  compilePatterns();

  declareSinks();
  openSinks();
  openTables();
  openSources();
  createWindows();
  createJoins();
  createDedups();
  createTops();
  createOvers();
  createScheduler();
  emitSchedulerLoop();
  closeAll(/*status=*/nullptr);

  // The failure path: close what was opened and report status 2.
  b_.SetInsertPoint(failBlock_);
  closeAll(b_.getInt32(2));

  if (options_.standalone)
    emitStandaloneMain();
  if (!patternsAllCompiled())
    return nullptr;

  std::string err;
  llvm::raw_string_ostream os(err);
  if (llvm::verifyModule(*module_, &os)) {
    diags_.error({}, "internal compiler error: the generated code does not verify: " + os.str());
    return nullptr;
  }
  return std::move(module_);
}

// ---------------------------------------------------------- support check
bool Generator::supported() {
  bool ok = true;
  auto unsupported = [&](const LogicalOperator &op, const std::string &what) {
    diags_.error(op.range, what + " is not supported by code generation yet");
    ok = false;
  };
  for (LogicalOperator *op : order_) {
    switch (op->kind()) {
    case LogicalOperator::Kind::Source: {
      auto *s = cast<LogicalSource>(op);
      if (!readerOpener(s->connectorKind))
        unsupported(*op, "source connector '" + s->connectorName + "'");
      sources_.push_back(s);
      break;
    }
    case LogicalOperator::Kind::Sink: {
      auto *s = cast<LogicalSink>(op);
      if (!writerOpener(s->connectorKind) && s->connectorKind != SRT_CONNECTOR_NULL)
        unsupported(*op, "sink connector '" + s->connectorName + "'");
      sinks_.push_back(s);
      break;
    }
    case LogicalOperator::Kind::WindowAggregate:
      windows_.push_back(cast<LogicalWindowAggregate>(op));
      break;
    case LogicalOperator::Kind::Lookup: {
      auto *l = cast<LogicalLookup>(op);
      if (std::find_if(lookups_.begin(), lookups_.end(), [&](const LogicalLookup *x) {
            return x->table == l->table;
          }) == lookups_.end())
        lookups_.push_back(l);
      break;
    }
    case LogicalOperator::Kind::Join:
      joins_.push_back(cast<LogicalJoin>(op));
      break;
    case LogicalOperator::Kind::Distinct:
      dedups_.push_back(cast<LogicalDistinct>(op));
      break;
    case LogicalOperator::Kind::Top:
      tops_.push_back(cast<LogicalTop>(op));
      break;
    case LogicalOperator::Kind::Over:
      overs_.push_back(cast<LogicalOver>(op));
      break;
    default:
      break;
    }
  }
  return ok;
}

// ------------------------------------------------------------- layouts
const Generator::LayoutInfo &Generator::layoutOf(const RecordType &type,
                                                 const std::vector<bool> *read,
                                                 const ReadPaths *paths) {
  auto key = std::make_tuple(&type, read, paths);
  auto it = layouts_.find(key);
  if (it != layouts_.end())
    return it->second;
  LayoutInfo info;
  info.layout = RecordLayout::of(type);
  // A nested record is an SRT_RECORD entry followed by its fields (at any
  // depth), named by their dotted paths, at offsets within the record. A
  // record read in part (LogicalSource::readPaths) marks only the fields on
  // those paths read, so the reader skips the others.
  std::vector<llvm::Constant *> fields;
  std::function<void(const RecordType &, const RecordLayout &, uint32_t, const std::string &,
                     const std::vector<bool> *, const ReadPaths *)>
      flatten = [&](const RecordType &t, const RecordLayout &l, uint32_t base,
                    const std::string &prefix, const std::vector<bool> *readFlags,
                    const ReadPaths *readPaths) {
        for (size_t i = 0; i < t.fields.size(); ++i) {
          const FieldSlot &slot = l.slots[i];
          const Type &ft = t.fields[i].type;
          bool isRead = !readFlags || readFlags->empty() || (*readFlags)[i];
          int32_t nullOffset =
              slot.nullOffset < 0 ? -1 : static_cast<int32_t>(base) + slot.nullOffset;
          size_t at = fields.size();
          fields.push_back(nullptr);
          uint32_t nested = 0;
          if (ft.isRecord()) {
            const RecordType &inner = *ft.record;
            std::vector<bool> childRead(inner.fields.size(), isRead);
            ReadPaths childPaths(inner.fields.size());
            const std::set<std::string> *only =
                readPaths && i < readPaths->size() && !(*readPaths)[i].empty() ? &(*readPaths)[i]
                                                                              : nullptr;
            if (isRead && only) {
              childRead.assign(inner.fields.size(), false);
              std::vector<bool> whole(inner.fields.size(), false);
              for (const std::string &p : *only) {
                size_t dot = p.find('.');
                int c = inner.indexOf(p.substr(0, dot));
                if (c < 0)
                  continue;
                childRead[c] = true;
                if (dot == std::string::npos)
                  whole[c] = true;
                else
                  childPaths[c].insert(p.substr(dot + 1));
              }
              for (size_t c = 0; c < whole.size(); ++c)
                if (whole[c])
                  childPaths[c].clear();
            }
            flatten(inner, RecordLayout::of(inner), base + slot.offset,
                    prefix + t.fields[i].name + ".", &childRead, &childPaths);
            nested = static_cast<uint32_t>(fields.size() - at - 1);
          }
          fields[at] = llvm::ConstantStruct::get(
              rt_.fieldTy,
              {rt_.cstring(prefix + t.fields[i].name), b_.getInt32(runtimeType(ft.kind)),
               b_.getInt32(base + slot.offset), b_.getInt32(static_cast<uint32_t>(nullOffset)),
               b_.getInt32(isRead ? 1 : 0), b_.getInt32(nested)});
        }
      };
  flatten(type, info.layout, 0, "", read, paths);
  auto *arrTy = llvm::ArrayType::get(rt_.fieldTy, fields.size());
  auto *arr = new llvm::GlobalVariable(*module_, arrTy, true, llvm::GlobalValue::PrivateLinkage,
                                       llvm::ConstantArray::get(arrTy, fields), "fields");
  info.global = new llvm::GlobalVariable(
      *module_, rt_.layoutTy, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantStruct::get(rt_.layoutTy, {b_.getInt32(static_cast<uint32_t>(fields.size())),
                                               b_.getInt32(info.layout.size), arr}),
      "layout");
  return layouts_.emplace(key, std::move(info)).first->second;
}

// --------------------------------------------------- opening and closing
llvm::AllocaInst *Generator::handleSlot(const char *name) {
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  llvm::AllocaInst *slot = eb.CreateAlloca(rt_.ptr, nullptr, name);
  eb.CreateStore(llvm::ConstantPointerNull::get(rt_.ptr), slot);
  return slot;
}

void Generator::checkStatus(llvm::Value *rc, const char *okName) {
  auto *ok = llvm::BasicBlock::Create(ctx_, okName, fn_);
  b_.CreateCondBr(b_.CreateICmpNE(rc, b_.getInt32(0)), failBlock_, ok);
  b_.SetInsertPoint(ok);
}

void Generator::checkOpened(llvm::Value *handle) {
  auto *ok = llvm::BasicBlock::Create(ctx_, "opened", fn_);
  b_.CreateCondBr(b_.CreateIsNull(handle), failBlock_, ok);
  b_.SetInsertPoint(ok);
}

std::pair<llvm::Value *, llvm::Value *>
Generator::argText(const std::string &owner, const std::map<std::string, PlanExprPtr> &exprs,
                   const char *name, const char *fallback) {
  auto it = exprs.find(name);
  if (it == exprs.end()) {
    if (!fallback)
      return {llvm::ConstantPointerNull::get(rt_.ptr), b_.getInt64(0)};
    return {rt_.cstring(fallback), b_.getInt64(static_cast<int64_t>(std::strlen(fallback)))};
  }
  Val v = startUpExprGen(owner + ": argument '" + name + "'").emit(*it->second);
  return {b_.CreateExtractValue(v.v, 0), b_.CreateExtractValue(v.v, 1)};
}

std::optional<Abi> Generator::readerOpener(srt_connector_kind kind) {
  switch (kind) {
  case SRT_CONNECTOR_FILE:
  case SRT_CONNECTOR_STDIN:
    return Abi::srt_reader_open_text;
  case SRT_CONNECTOR_KAFKA:
    return Abi::srt_reader_open_kafka;
  case SRT_CONNECTOR_GENERATE:
    return Abi::srt_reader_open_generator;
  default:
    return std::nullopt;
  }
}

std::optional<Abi> Generator::writerOpener(srt_connector_kind kind) {
  switch (kind) {
  case SRT_CONNECTOR_FILE:
  case SRT_CONNECTOR_STDOUT:
    return Abi::srt_writer_open_text;
  case SRT_CONNECTOR_KAFKA:
    return Abi::srt_writer_open_kafka;
  default: // null: nothing is opened; records are only counted
    return std::nullopt;
  }
}

std::string Generator::defaultFormat(srt_connector_kind connector,
                                     const std::map<std::string, Value> &args) {
  // A file without `format:` takes it from its path's extension at start-up:
  // the path may come from a param (--param) or the config (`path:`).
  if (connector == SRT_CONNECTOR_FILE)
    return "";
  auto it = args.find("format");
  return it == args.end() || it->second.isNull() ? streamc::defaultFormat() : it->second.asString();
}

Generator::Handle Generator::openConnector(Abi function, const char *slotName,
                                           const std::string &name, srt_connector_kind connector,
                                           const std::map<std::string, Value> &args,
                                           const std::map<std::string, PlanExprPtr> &argExprs,
                                           const LayoutInfo &info) {
  llvm::AllocaInst *slot = handleSlot(slotName);
  // Messages name the connector as the program does: `source clicks`.
  std::string owner = (std::strcmp(slotName, "reader") == 0 ? "source " : "sink ") + name;
  // file: the path; kafka: the topic; stdin, stdout: none.
  auto path = connector == SRT_CONNECTOR_FILE ? argText(owner, argExprs, "path", nullptr)
              : connector == SRT_CONNECTOR_KAFKA
                  ? argText(owner, argExprs, "topic", nullptr)
                  : std::make_pair<llvm::Value *, llvm::Value *>(
                        llvm::ConstantPointerNull::get(rt_.ptr), b_.getInt64(0));
  std::string fallback = defaultFormat(connector, args);
  auto format = argText(owner, argExprs, "format", fallback.c_str());
  llvm::Value *h =
      b_.CreateCall(rt_.fn(function), {runArg_, rt_.cstring(name), path.first, path.second,
                                       format.first, format.second, info.global});
  b_.CreateStore(h, slot);
  checkOpened(h);
  return {slot, h};
}

void Generator::declareSinks() {
  for (const Plan::DeclaredSink &d : plan_.declaredSinks) {
    // The dead-letter sink may be any text sink (a file or standard output).
    if (d.connectorKind != SRT_CONNECTOR_FILE && d.connectorKind != SRT_CONNECTOR_STDOUT)
      continue;
    auto path = d.connectorKind == SRT_CONNECTOR_FILE
                    ? argText("sink " + d.name, d.argExprs, "path", nullptr)
                    : std::make_pair<llvm::Value *, llvm::Value *>(
                          llvm::ConstantPointerNull::get(rt_.ptr), b_.getInt64(0));
    std::string fallback = defaultFormat(d.connectorKind, d.args);
    auto format = argText("sink " + d.name, d.argExprs, "format", fallback.c_str());
    llvm::Value *rc = rt_.call(
        b_, Abi::srt_run_declare_sink,
        {runArg_, rt_.cstring(d.name), path.first, path.second, format.first, format.second});
    checkStatus(rc, "declared");
  }
}

const RecordType &Generator::sinkInputType(const LogicalSink &sink, size_t i) {
  const LogicalOperator *in = sink.inputs[i];
  return sink.lateInput[i] ? *in->inputs[0]->output : *in->output;
}

void Generator::openSinks() {
  for (LogicalSink *sink : sinks_)
    if (std::optional<Abi> open = writerOpener(sink->connectorKind))
      writers_[sink] = openConnector(*open, "writer", sink->sinkName, sink->connectorKind,
                                     sink->args, sink->argExprs, layoutOf(sinkInputType(*sink, 0)));
}

llvm::Value *Generator::argNumber(const std::string &owner,
                                  const std::map<std::string, PlanExprPtr> &exprs, const char *name,
                                  llvm::Value *fallback, bool asDouble) {
  auto it = exprs.find(name);
  if (it == exprs.end())
    return fallback;
  Val v = startUpExprGen(owner + ": argument '" + name + "'").emit(*it->second);
  if (asDouble && v.v->getType() != rt_.f64)
    return b_.CreateSIToFP(v.v, rt_.f64);
  return v.v;
}

Generator::Handle Generator::openGenerator(const LogicalSource &src) {
  llvm::AllocaInst *slot = handleSlot("reader");
  std::string owner = "source " + src.sourceName;
  auto kind = argText(owner, src.argExprs, "kind", "sequence");
  llvm::Value *r =
      rt_.call(b_, Abi::srt_reader_open_generator,
               {runArg_, rt_.cstring(src.sourceName), kind.first, kind.second,
                argNumber(owner, src.argExprs, "events", b_.getInt64(-1), false),
                argNumber(owner, src.argExprs, "rate", llvm::ConstantFP::get(rt_.f64, 0.0), true),
                argNumber(owner, src.argExprs, "seed", b_.getInt64(0), false),
                layoutOf(*src.output, &src.readFields, &src.readPaths).global});
  b_.CreateStore(r, slot);
  checkOpened(r);
  return {slot, r};
}

void Generator::openTables() {
  for (const LogicalLookup *l : lookups_) {
    llvm::AllocaInst *slot = handleSlot("table");
    std::string owner = "table " + l->tableName;
    auto path = argText(owner, l->argExprs, "path", nullptr);
    std::string fallback = defaultFormat(SRT_CONNECTOR_FILE, l->args); // tables are files
    auto format = argText(owner, l->argExprs, "format", fallback.c_str());
    llvm::Value *t = rt_.call(b_, Abi::srt_table_load,
                              {runArg_, rt_.cstring(l->tableName), path.first, path.second,
                               format.first, format.second, layoutOf(*l->tableType).global,
                               b_.getInt32(flatEntryIndex(*l->tableType, l->tableKeyField))});
    b_.CreateStore(t, slot);
    checkOpened(t);
    tables_[l->table] = {slot, t};
  }
}

void Generator::openSources() {
  for (LogicalSource *src : sources_)
    maxDelay_[src] = startUpSetting(src->maxDelay.get(), src->maxDelayMs, 0,
                                    "source " + src->sourceName + ": max_delay", true);
  for (LogicalSource *src : sources_)
    readers_[src] = src->connectorKind == SRT_CONNECTOR_GENERATE
                        ? openGenerator(*src)
                        : openConnector(*readerOpener(src->connectorKind), "reader",
                                        src->sourceName, src->connectorKind, src->args,
                                        src->argExprs, layoutOf(*src->output, &src->readFields, &src->readPaths));
}

void Generator::closeAll(llvm::Value *status) {
  if (sched_)
    rt_.call(b_, Abi::srt_sched_destroy, {b_.CreateLoad(rt_.ptr, sched_)});
  auto closeReader = rt_.fn(Abi::srt_reader_close);
  auto closeWriter = rt_.fn(Abi::srt_writer_close);
  for (auto &[src, h] : readers_)
    b_.CreateCall(closeReader, {b_.CreateLoad(rt_.ptr, h.slot)});
  auto countSink = rt_.fn(Abi::srt_run_count_sink);
  for (auto &[sink, counter] : nullCounters_)
    b_.CreateCall(countSink,
                  {runArg_, rt_.cstring(sink->sinkName), b_.CreateLoad(rt_.i64, counter)});
  // Each stateful stage's runtime state, from the handle its info keeps.
  auto destroyAll = [&](Abi destroy, const auto &infos) {
    for (const auto &[stage, info] : infos)
      rt_.call(b_, destroy, {b_.CreateLoad(rt_.ptr, info.handle)});
  };
  destroyAll(Abi::srt_window_destroy, windowInfo_);
  destroyAll(Abi::srt_join_destroy, joinInfo_);
  destroyAll(Abi::srt_dedup_destroy, dedupInfo_);
  destroyAll(Abi::srt_frame_destroy, overInfo_);
  destroyAll(Abi::srt_top_destroy, topInfo_);
  auto destroyTable = rt_.fn(Abi::srt_table_destroy);
  for (auto &[table, h] : tables_)
    b_.CreateCall(destroyTable, {b_.CreateLoad(rt_.ptr, h.slot)});
  llvm::Value *failed = b_.getFalse();
  for (auto &[sink, h] : writers_) {
    llvm::Value *w = b_.CreateLoad(rt_.ptr, h.slot);
    auto *isNull = b_.CreateIsNull(w);
    auto *doClose = llvm::BasicBlock::Create(ctx_, "close", fn_);
    auto *after = llvm::BasicBlock::Create(ctx_, "closed", fn_);
    llvm::BasicBlock *from = b_.GetInsertBlock();
    b_.CreateCondBr(isNull, after, doClose);
    b_.SetInsertPoint(doClose);
    llvm::Value *rc = b_.CreateICmpNE(b_.CreateCall(closeWriter, {w}), b_.getInt32(0));
    b_.CreateBr(after);
    b_.SetInsertPoint(after);
    auto *phi = b_.CreatePHI(rt_.i1, 2);
    phi->addIncoming(b_.getFalse(), from);
    phi->addIncoming(rc, doClose);
    failed = b_.CreateOr(failed, phi);
  }
  b_.CreateRet(status ? status : b_.CreateSelect(failed, b_.getInt32(2), b_.getInt32(0)));
}

} // namespace streamc::codegen_detail

namespace streamc {

std::unique_ptr<llvm::Module> generateModule(const Plan &plan, llvm::LLVMContext &context,
                                             DiagnosticEngine &diags,
                                             const CodegenOptions &options) {
  return codegen_detail::Generator(plan, context, diags, options).run();
}

void optimizeModule(llvm::Module &module, llvm::TargetMachine &target, int level) {
  if (level <= 0)
    return;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&target);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel opt = level == 1   ? llvm::OptimizationLevel::O1
                                : level == 2 ? llvm::OptimizationLevel::O2
                                             : llvm::OptimizationLevel::O3;
  pb.buildPerModuleDefaultPipeline(opt).run(module, mam);
}

} // namespace streamc
