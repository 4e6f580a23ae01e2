#include "codegen/CodeGen.h"

#include "ast/AST.h"
#include "codegen/AggregateCodeGen.h"
#include "codegen/ExprCodeGen.h"
#include "codegen/RecordLayout.h"
#include "plan/LogicalFanOut.h"
#include "plan/LogicalFilter.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalProject.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/LogicalWindowAggregate.h"

#include <srt/runtime.h>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <map>
#include <set>

namespace streamc {

using llvm::cast;
using llvm::dyn_cast;

namespace {

/// Generates the module: the entry point, its loops, and the record
/// layouts the runtime reads.
class Generator {
public:
  Generator(const Plan &plan, llvm::LLVMContext &ctx, DiagnosticEngine &diags,
            const CodegenOptions &options)
      : plan_(plan), ctx_(ctx), diags_(diags), options_(options),
        module_(std::make_unique<llvm::Module>(plan.fileName, ctx)), rt_(*module_), b_(ctx) {}

  std::unique_ptr<llvm::Module> run() {
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
    if (options_.standalone)
      createParamGlobals();

    declareSinks();
    openSinks();
    openTables();
    openSources();
    createWindows();
    for (LogicalSource *src : sources_)
      emitSourceLoop(*src);
    closeAll(/*status=*/nullptr);

    // The failure path: close what was opened and report status 2.
    b_.SetInsertPoint(failBlock_);
    closeAll(b_.getInt32(2));

    if (options_.standalone)
      emitStandaloneMain();

    std::string err;
    llvm::raw_string_ostream os(err);
    if (llvm::verifyModule(*module_, &os)) {
      diags_.error({}, "internal compiler error: the generated code does not verify: " + os.str());
      return nullptr;
    }
    return std::move(module_);
  }

private:
  // ---------------------------------------------------------- support check
  bool supported() {
    bool ok = true;
    auto unsupported = [&](const LogicalOperator &op, const std::string &what) {
      diags_.error(op.range, what + " is not supported by code generation yet");
      ok = false;
    };
    for (LogicalOperator *op : plan_.topologicalOrder()) {
      switch (op->kind()) {
      case LogicalOperator::Kind::Source: {
        auto *s = cast<LogicalSource>(op);
        if (s->connectorName != "file" && s->connectorName != "stdin" &&
            s->connectorName != "generate")
          unsupported(*op, "source connector '" + s->connectorName + "'");
        sources_.push_back(s);
        break;
      }
      case LogicalOperator::Kind::Sink: {
        auto *s = cast<LogicalSink>(op);
        if (s->connectorName != "file" && s->connectorName != "stdout" &&
            s->connectorName != "null")
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
        unsupported(*op, "'join'");
        break;
      default:
        break;
      }
    }
    return ok;
  }

  /// A reader or writer: its slot (for cleanup) and its value.
  struct Handle {
    llvm::AllocaInst *slot;
    llvm::Value *value;
  };

  // ------------------------------------------------------------- layouts
  struct LayoutInfo {
    RecordLayout layout;
    llvm::GlobalVariable *global = nullptr;
  };

  /// The layout of a record type and its srt_layout global (all fields read,
  /// or the source's read flags).
  const LayoutInfo &layoutOf(const RecordType &type, const std::vector<bool> *read = nullptr) {
    auto key = std::make_pair(&type, read);
    auto it = layouts_.find(key);
    if (it != layouts_.end())
      return it->second;
    LayoutInfo info;
    info.layout = RecordLayout::of(type);
    std::vector<llvm::Constant *> fields;
    for (size_t i = 0; i < type.fields.size(); ++i) {
      const FieldSlot &slot = info.layout.slots[i];
      bool isRead = !read || read->empty() || (*read)[i];
      fields.push_back(llvm::ConstantStruct::get(
          rt_.fieldTy,
          {rt_.cstring(type.fields[i].name), b_.getInt32(runtimeType(type.fields[i].type.kind)),
           b_.getInt32(slot.offset), b_.getInt32(static_cast<uint32_t>(slot.nullOffset)),
           b_.getInt32(isRead ? 1 : 0)}));
    }
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
  /// An entry-block slot holding a handle, null until opened, so the
  /// failure path can close exactly what was opened.
  llvm::AllocaInst *handleSlot(const char *name) {
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    llvm::AllocaInst *slot = eb.CreateAlloca(rt_.ptr, nullptr, name);
    eb.CreateStore(llvm::ConstantPointerNull::get(rt_.ptr), slot);
    return slot;
  }

  void checkOpened(llvm::Value *handle) {
    auto *ok = llvm::BasicBlock::Create(ctx_, "opened", fn_);
    b_.CreateCondBr(b_.CreateIsNull(handle), failBlock_, ok);
    b_.SetInsertPoint(ok);
  }

  /// A connector argument's text as (ptr, len), computed at start-up; a
  /// null ptr when absent (\p fallback, if given, otherwise).
  std::pair<llvm::Value *, llvm::Value *> argText(const std::map<std::string, PlanExprPtr> &exprs,
                                                  const char *name, const char *fallback) {
    auto it = exprs.find(name);
    if (it == exprs.end()) {
      if (!fallback)
        return {llvm::ConstantPointerNull::get(rt_.ptr), b_.getInt64(0)};
      return {rt_.cstring(fallback), b_.getInt64(static_cast<int64_t>(std::strlen(fallback)))};
    }
    ExprCodeGen gen = exprGen(nullptr, nullptr, nullptr);
    Val v = gen.emit(*it->second);
    return {b_.CreateExtractValue(v.v, 0), b_.CreateExtractValue(v.v, 1)};
  }

  /// The format name to use when the program did not give one.
  static std::string defaultFormat(const std::map<std::string, Value> &args) {
    auto it = args.find("format");
    return it == args.end() || it->second.isNull() ? "json" : it->second.asString();
  }

  /// Opens a reader or writer through `srt_{reader,writer}_open_text`,
  /// keeping the handle in an entry-block slot for the cleanup paths.
  Handle openConnector(const char *function, const char *slotName, const std::string &name,
                       const std::string &connector, const std::map<std::string, Value> &args,
                       const std::map<std::string, PlanExprPtr> &argExprs, const LayoutInfo &info) {
    llvm::AllocaInst *slot = handleSlot(slotName);
    auto path = connector == "file" ? argText(argExprs, "path", nullptr)
                                    : std::make_pair<llvm::Value *, llvm::Value *>(
                                          llvm::ConstantPointerNull::get(rt_.ptr), b_.getInt64(0));
    std::string fallback = defaultFormat(args);
    auto format = argText(argExprs, "format", fallback.c_str());
    llvm::Value *h = b_.CreateCall(
        rt_.fn(function, rt_.ptr, {rt_.ptr, rt_.ptr, rt_.ptr, rt_.i64, rt_.ptr, rt_.i64, rt_.ptr}),
        {runArg_, rt_.cstring(name), path.first, path.second, format.first, format.second,
         info.global});
    b_.CreateStore(h, slot);
    checkOpened(h);
    return {slot, h};
  }

  /// Tells the run about every declared sink, so it can open the config's
  /// dead-letter sink before anything is read.
  void declareSinks() {
    for (const Plan::DeclaredSink &d : plan_.declaredSinks) {
      if (d.connectorName != "file" && d.connectorName != "stdout")
        continue;
      auto path = d.connectorName == "file"
                      ? argText(d.argExprs, "path", nullptr)
                      : std::make_pair<llvm::Value *, llvm::Value *>(
                            llvm::ConstantPointerNull::get(rt_.ptr), b_.getInt64(0));
      std::string fallback = defaultFormat(d.args);
      auto format = argText(d.argExprs, "format", fallback.c_str());
      llvm::Value *rc = b_.CreateCall(
          rt_.fn("srt_run_declare_sink", rt_.i32, {rt_.ptr, rt_.ptr, rt_.ptr, rt_.i64, rt_.ptr, rt_.i64}),
          {runArg_, rt_.cstring(d.name), path.first, path.second, format.first, format.second});
      auto *ok = llvm::BasicBlock::Create(ctx_, "declared", fn_);
      b_.CreateCondBr(b_.CreateICmpNE(rc, b_.getInt32(0)), failBlock_, ok);
      b_.SetInsertPoint(ok);
    }
  }

  /// The records input \p i of \p sink receives: a window's late input
  /// gets the window's input records.
  static const RecordType &sinkInputType(const LogicalSink &sink, size_t i) {
    const LogicalOperator *in = sink.inputs[i];
    return sink.lateInput[i] ? *in->inputs[0]->output : *in->output;
  }

  void openSinks() {
    for (LogicalSink *sink : sinks_)
      if (sink->connectorName != "null")
        writers_[sink] =
            openConnector("srt_writer_open_text", "writer", sink->sinkName, sink->connectorName,
                          sink->args, sink->argExprs, layoutOf(sinkInputType(*sink, 0)));
  }

  /// A numeric connector argument computed at start-up, or \p fallback.
  llvm::Value *argNumber(const std::map<std::string, PlanExprPtr> &exprs, const char *name,
                         llvm::Value *fallback, bool asDouble) {
    auto it = exprs.find(name);
    if (it == exprs.end())
      return fallback;
    Val v = exprGen(nullptr, nullptr, nullptr).emit(*it->second);
    if (asDouble && v.v->getType() != rt_.f64)
      return b_.CreateSIToFP(v.v, rt_.f64);
    return v.v;
  }

  /// `generate(kind:, events:, rate:, seed:)`.
  Handle openGenerator(const LogicalSource &src) {
    llvm::AllocaInst *slot = handleSlot("reader");
    auto kind = argText(src.argExprs, "kind", "sequence");
    llvm::Value *r = b_.CreateCall(
        rt_.fn("srt_reader_open_generator", rt_.ptr,
               {rt_.ptr, rt_.ptr, rt_.ptr, rt_.i64, rt_.i64, rt_.f64, rt_.i64, rt_.ptr}),
        {runArg_, rt_.cstring(src.sourceName), kind.first, kind.second,
         argNumber(src.argExprs, "events", b_.getInt64(-1), false),
         argNumber(src.argExprs, "rate", llvm::ConstantFP::get(rt_.f64, 0.0), true),
         argNumber(src.argExprs, "seed", b_.getInt64(0), false),
         layoutOf(*src.output, &src.readFields).global});
    b_.CreateStore(r, slot);
    checkOpened(r);
    return {slot, r};
  }

  /// Loads every table a lookup reads, before any source is read.
  void openTables() {
    for (const LogicalLookup *l : lookups_) {
      llvm::AllocaInst *slot = handleSlot("table");
      auto path = argText(l->argExprs, "path", nullptr);
      std::string fallback = defaultFormat(l->args);
      auto format = argText(l->argExprs, "format", fallback.c_str());
      llvm::Value *t = b_.CreateCall(
          rt_.fn("srt_table_load", rt_.ptr,
                 {rt_.ptr, rt_.ptr, rt_.ptr, rt_.i64, rt_.ptr, rt_.i64, rt_.ptr, rt_.i32}),
          {runArg_, rt_.cstring(l->tableName), path.first, path.second, format.first, format.second,
           layoutOf(*l->tableType).global, b_.getInt32(static_cast<uint32_t>(l->tableKeyField))});
      b_.CreateStore(t, slot);
      checkOpened(t);
      tables_[l->table] = {slot, t};
    }
  }

  void openSources() {
    for (LogicalSource *src : sources_)
      readers_[src] =
          src->connectorName == "generate"
              ? openGenerator(*src)
              : openConnector("srt_reader_open_text", "reader", src->sourceName, src->connectorName,
                              src->args, src->argExprs, layoutOf(*src->output, &src->readFields));
  }

  /// Closes every reader and writer (null-safe) and returns \p status, or
  /// 0 / 2 depending on whether the writers closed cleanly.
  void closeAll(llvm::Value *status) {
    auto closeReader = rt_.fn("srt_reader_close", rt_.voidTy, {rt_.ptr});
    auto closeWriter = rt_.fn("srt_writer_close", rt_.i32, {rt_.ptr});
    for (auto &[src, h] : readers_)
      b_.CreateCall(closeReader, {b_.CreateLoad(rt_.ptr, h.slot)});
    auto countSink = rt_.fn("srt_run_count_sink", rt_.voidTy, {rt_.ptr, rt_.ptr, rt_.i64});
    for (auto &[sink, counter] : nullCounters_)
      b_.CreateCall(countSink, {runArg_, rt_.cstring(sink->sinkName), b_.CreateLoad(rt_.i64, counter)});
    auto destroyWindow = rt_.fn("srt_window_destroy", rt_.voidTy, {rt_.ptr});
    for (auto &[window, w] : windowInfo_)
      b_.CreateCall(destroyWindow, {b_.CreateLoad(rt_.ptr, w.handle)});
    auto destroyTable = rt_.fn("srt_table_destroy", rt_.voidTy, {rt_.ptr});
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

  // -------------------------------------------------- standalone programs
  /// One global per param for its value and one for its null flag,
  /// initialised to the default; `--param` overwrites them at start-up.
  void createParamGlobals() {
    for (const ParamDecl *p : plan_.params) {
      Type t = p->type->resolved;
      auto it = plan_.paramValues.find(p);
      bool has = it != plan_.paramValues.end();
      llvm::Type *ty = t.kind == TypeKind::Bool ? rt_.i8 : rt_.valueType(t.kind);
      llvm::Constant *init = llvm::Constant::getNullValue(ty);
      bool isNull = !has || it->second.isNull();
      if (has && !it->second.isNull()) {
        const Value &v = it->second;
        switch (t.kind) {
        case TypeKind::Bool:
          init = b_.getInt8(v.asBool());
          break;
        case TypeKind::F64:
          init = llvm::ConstantFP::get(rt_.f64, v.asDouble());
          break;
        case TypeKind::String:
          init = llvm::ConstantStruct::get(
              rt_.strTy,
              {rt_.cstring(v.asString()), b_.getInt64(static_cast<int64_t>(v.asString().size()))});
          break;
        default:
          init = b_.getInt64(v.asInt());
          break;
        }
      }
      auto *value = new llvm::GlobalVariable(
          *module_, ty, false, llvm::GlobalValue::InternalLinkage, init, "param." + p->name);
      auto *null =
          new llvm::GlobalVariable(*module_, rt_.i8, false, llvm::GlobalValue::InternalLinkage,
                                   b_.getInt8(isNull), "param." + p->name + ".null");
      paramGlobals_[p] = {value, null};
    }
  }

  std::string helpText() const {
    std::string help = "Sources:\n";
    for (const LogicalSource *s : sources_)
      help += "  " + s->sourceName + " = " + s->connector + "\n";
    help += "Sinks:\n";
    for (const LogicalSink *s : sinks_)
      help += "  " + s->sinkName + " = " + s->connector + "\n";
    help += "Params (set with --param name=value):\n";
    if (plan_.params.empty())
      help += "  (none)\n";
    for (const ParamDecl *p : plan_.params) {
      auto it = plan_.paramValues.find(p);
      help += "  " + p->name + ": " + p->type->resolved.str() +
              (it == plan_.paramValues.end() ? "  (required)" : " = " + it->second.str()) + "\n";
    }
    return help;
  }

  /// The param table, the program descriptor and `main`.
  void emitStandaloneMain() {
    auto *paramTy = llvm::StructType::create(
        ctx_, {rt_.ptr, rt_.i32, rt_.i32, rt_.ptr, rt_.ptr, rt_.i32}, "srt_param");
    std::vector<llvm::Constant *> rows;
    for (const ParamDecl *p : plan_.params) {
      auto [value, null] = paramGlobals_.at(p);
      Type t = p->type->resolved;
      rows.push_back(llvm::ConstantStruct::get(
          paramTy, {rt_.cstring(p->name), b_.getInt32(runtimeType(t.kind)), b_.getInt32(t.nullable),
                    value, null, b_.getInt32(plan_.paramValues.count(p) ? 1 : 0)}));
    }
    auto *tableTy = llvm::ArrayType::get(paramTy, rows.size());
    auto *table =
        new llvm::GlobalVariable(*module_, tableTy, false, llvm::GlobalValue::InternalLinkage,
                                 llvm::ConstantArray::get(tableTy, rows), "params");
    // The names a config may refer to.
    auto names = [&](const std::vector<std::string> &list, const char *name) {
      std::vector<llvm::Constant *> ptrs;
      for (const std::string &n : list)
        ptrs.push_back(rt_.cstring(n));
      auto *ty = llvm::ArrayType::get(rt_.ptr, ptrs.size());
      return new llvm::GlobalVariable(*module_, ty, true, llvm::GlobalValue::PrivateLinkage,
                                      llvm::ConstantArray::get(ty, ptrs), name);
    };
    std::vector<std::string> sourceNames, sinkNames;
    for (const LogicalSource *src : sources_)
      sourceNames.push_back(src->sourceName);
    for (const Plan::DeclaredSink &d : plan_.declaredSinks)
      sinkNames.push_back(d.name);
    auto *programTy = llvm::StructType::create(
        ctx_, {rt_.ptr, rt_.ptr, rt_.ptr, rt_.i32, rt_.ptr, rt_.ptr, rt_.i32, rt_.ptr, rt_.i32},
        "srt_program");
    auto *program = new llvm::GlobalVariable(
        *module_, programTy, true, llvm::GlobalValue::InternalLinkage,
        llvm::ConstantStruct::get(programTy,
                                  {rt_.cstring(plan_.fileName), rt_.cstring(helpText()), table,
                                   b_.getInt32(static_cast<uint32_t>(rows.size())), fn_,
                                   names(sourceNames, "source.names"),
                                   b_.getInt32(static_cast<uint32_t>(sourceNames.size())),
                                   names(sinkNames, "sink.names"),
                                   b_.getInt32(static_cast<uint32_t>(sinkNames.size()))}),
        "program");
    auto *mainTy = llvm::FunctionType::get(rt_.i32, {rt_.i32, rt_.ptr}, false);
    auto *main = llvm::Function::Create(mainTy, llvm::Function::ExternalLinkage, "main", *module_);
    llvm::IRBuilder<> mb(llvm::BasicBlock::Create(ctx_, "entry", main));
    mb.CreateRet(mb.CreateCall(rt_.fn("srt_aot_main", rt_.i32, {rt_.i32, rt_.ptr, rt_.ptr}),
                               {main->getArg(0), main->getArg(1), program}));
  }

  // -------------------------------------------------------------- windows
  /// What the generated code keeps per window operator.
  struct WindowInfo {
    llvm::AllocaInst *handle = nullptr; ///< srt_window*
    llvm::Value *clock = nullptr;       ///< srt_window_clock*
    AggregateLayout aggs;
    llvm::AllocaInst *arrivals = nullptr; ///< records so far (first/last)
    llvm::AllocaInst *keyBuffer = nullptr;
    RecordType keyType; ///< the `by` keys as a record
  };
  static constexpr uint32_t kKeyBufferSize = 256;

  /// Creates each window's runtime state from a constant srt_window_desc.
  void createWindows() {
    auto *aggTy = llvm::StructType::get(ctx_, {rt_.i32, rt_.i32});
    auto *descTy = llvm::StructType::get(
        ctx_, {rt_.ptr, rt_.i32, rt_.i64, rt_.i64, rt_.i64, rt_.i32, rt_.i32, rt_.ptr});
    for (const LogicalWindowAggregate *w : windows_) {
      WindowInfo &info = windowInfo_[w];
      info.aggs = AggregateLayout::of(*w);
      for (size_t i = 0; i < w->keys.size(); ++i)
        info.keyType.fields.push_back({w->keyNames[i], w->keys[i]->type});
      std::vector<llvm::Constant *> slots;
      for (size_t i = 0; i < info.aggs.kinds.size(); ++i)
        slots.push_back(llvm::ConstantStruct::get(
            aggTy, {b_.getInt32(info.aggs.kinds[i]), b_.getInt32(info.aggs.offsets[i])}));
      auto *arrTy = llvm::ArrayType::get(aggTy, slots.size());
      auto *arr = new llvm::GlobalVariable(*module_, arrTy, true, llvm::GlobalValue::PrivateLinkage,
                                           llvm::ConstantArray::get(arrTy, slots), "window.aggs");
      uint32_t kind = w->window == LogicalWindowAggregate::WindowKind::Tumbling ? SRT_WINDOW_TUMBLING
                      : w->window == LogicalWindowAggregate::WindowKind::Sliding
                          ? SRT_WINDOW_SLIDING
                      : w->window == LogicalWindowAggregate::WindowKind::Session ? SRT_WINDOW_SESSION
                                                                                 : SRT_WINDOW_COUNT;
      auto *desc = new llvm::GlobalVariable(
          *module_, descTy, true, llvm::GlobalValue::PrivateLinkage,
          llvm::ConstantStruct::get(
              descTy, {rt_.cstring(w->where), b_.getInt32(kind), b_.getInt64(w->sizeMs),
                       b_.getInt64(w->slideMs), b_.getInt64(w->count), b_.getInt32(info.aggs.size),
                       b_.getInt32(static_cast<uint32_t>(slots.size())), arr}),
          "window.desc");
      info.handle = handleSlot("window");
      llvm::Value *h = b_.CreateCall(rt_.fn("srt_window_create", rt_.ptr, {rt_.ptr, rt_.ptr}),
                                     {runArg_, desc});
      b_.CreateStore(h, info.handle);
      info.clock = b_.CreateCall(rt_.fn("srt_window_clock_of", rt_.ptr, {rt_.ptr}), {h});
      llvm::IRBuilder<> eb(entry_, entry_->begin());
      info.arrivals = eb.CreateAlloca(rt_.i64, nullptr, "arrivals");
      b_.CreateStore(b_.getInt64(0), info.arrivals);
      info.keyBuffer = eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, kKeyBufferSize), nullptr, "key");
      info.keyBuffer->setAlignment(llvm::Align(8));
    }
  }

  /// A record enters its window(s): the key is encoded, the runtime finds
  /// its state, and the aggregates are updated inline. A record late for
  /// all of its windows goes to the late sink, if there is one.
  void emitWindowUpdate(const LogicalWindowAggregate &w, llvm::Value *record,
                        const RecordType &type) {
    WindowInfo &info = windowInfo_.at(&w);
    ExprCodeGen exprs = exprGen(record, type);
    AggregateCodeGen aggs(b_, rt_, fn_, w, info.aggs);
    llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
    auto [key, keyLen] = aggs.emitKey(exprs, info.keyBuffer, kKeyBufferSize, handle);
    llvm::Value *state =
        b_.CreateCall(rt_.fn("srt_window_state", rt_.ptr, {rt_.ptr, rt_.i64, rt_.ptr, rt_.i64}),
                      {handle, time_, key, keyLen});
    auto *update = llvm::BasicBlock::Create(ctx_, "window.update", fn_);
    auto *late = llvm::BasicBlock::Create(ctx_, "window.late", fn_);
    auto *done = llvm::BasicBlock::Create(ctx_, "window.done", fn_);
    b_.CreateCondBr(b_.CreateIsNull(state), late, update);
    b_.SetInsertPoint(late);
    if (w.lateSink)
      emitSinkWrite(*w.lateSink, 0, record, type);
    b_.CreateBr(done);
    b_.SetInsertPoint(update);
    llvm::Value *seq = b_.CreateAdd(b_.CreateLoad(rt_.i64, info.arrivals), b_.getInt64(1));
    b_.CreateStore(seq, info.arrivals);
    aggs.emitUpdate(exprs, state, seq);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }

  /// When the watermark \p wm reached the window's next end: fires, and
  /// runs the window's consumers on each result. Then the window's input
  /// watermark becomes \p wm (records it receives later are late when their
  /// windows have ended by then).
  void emitFiring(const LogicalWindowAggregate &w, llvm::Value *wm) {
    WindowInfo &info = windowInfo_.at(&w);
    llvm::Value *handle = b_.CreateLoad(rt_.ptr, info.handle);
    llvm::Value *fireAt = b_.CreateLoad(rt_.i64, info.clock);
    auto *fire = llvm::BasicBlock::Create(ctx_, "window.fire", fn_);
    auto *next = llvm::BasicBlock::Create(ctx_, "window.next", fn_);
    auto *row = llvm::BasicBlock::Create(ctx_, "window.row", fn_);
    auto *after = llvm::BasicBlock::Create(ctx_, "window.fired", fn_);
    b_.CreateCondBr(b_.CreateICmpSGE(wm, fireAt), fire, after);
    b_.SetInsertPoint(fire);
    b_.CreateCall(rt_.fn("srt_window_fire", rt_.voidTy, {rt_.ptr, rt_.i64}), {handle, wm});
    b_.CreateBr(next);

    b_.SetInsertPoint(next);
    llvm::Value *rowInfo = entryAlloca(sizeof(srt_window_row), "window.row");
    llvm::Value *state = b_.CreateCall(rt_.fn("srt_window_next", rt_.ptr, {rt_.ptr, rt_.ptr}),
                                       {handle, rowInfo});
    b_.CreateCondBr(b_.CreateIsNull(state), after, row);

    b_.SetInsertPoint(row);
    if (usesRecordContext())
      b_.CreateCall(rt_.fn("srt_record_begin", rt_.voidTy, {rt_.ptr}), {ctxArg_});
    auto field = [&](size_t offset, llvm::Type *ty) {
      return b_.CreateLoad(ty, b_.CreateConstInBoundsGEP1_64(rt_.i8, rowInfo, offset));
    };
    llvm::Value *keyBytes = field(offsetof(srt_window_row, key), rt_.ptr);
    llvm::Value *start = field(offsetof(srt_window_row, start), rt_.i64);
    llvm::Value *end = field(offsetof(srt_window_row, end), rt_.i64);
    const LayoutInfo &keyLayout = layoutOf(info.keyType);
    llvm::Value *keyRecord = entryAlloca(keyLayout.layout.size, "window.key");
    AggregateCodeGen aggs(b_, rt_, fn_, w, info.aggs);
    ExprCodeGen keyExprs = exprGen(keyRecord, info.keyType);
    aggs.emitDecodeKey(keyExprs, keyBytes, keyRecord, info.keyType, keyLayout.layout);
    ExprCodeGen consts = exprGen(nullptr, nullptr, nullptr);
    std::vector<Val> results = aggs.emitResults(consts, state);

    // The result: window_start, window_end, the keys, the entries (over
    // the keys and the aggregates; a failing entry skips this result).
    llvm::BasicBlock *savedReject = rejectTarget_;
    rejectTarget_ = next;
    ExprCodeGen entries = exprGen(keyRecord, &info.keyType, &keyLayout.layout, &results);
    const RecordType &outType = *w.output;
    const LayoutInfo &out = layoutOf(outType);
    llvm::Value *outRec = entryAlloca(out.layout.size, "window.result");
    entries.storeField(outRec, out.layout, outType, 0, {start, b_.getFalse()});
    entries.storeField(outRec, out.layout, outType, 1, {end, b_.getFalse()});
    for (size_t i = 0; i < w.keys.size(); ++i)
      entries.storeField(outRec, out.layout, outType, static_cast<int>(2 + i),
                         entries.loadField(keyRecord, keyLayout.layout, info.keyType,
                                           static_cast<int>(i)));
    for (size_t i = 0; i < w.entries.size(); ++i)
      entries.storeField(outRec, out.layout, outType, static_cast<int>(2 + w.keys.size() + i),
                         entries.emit(*w.entries[i]));
    llvm::Value *savedTime = time_;
    time_ = b_.CreateSub(end, b_.getInt64(1)); // a result's event time
    emitConsumers(w, outRec, outType);
    time_ = savedTime;
    rejectTarget_ = savedReject;
    b_.CreateBr(next);

    b_.SetInsertPoint(after);
    b_.CreateStore(wm, b_.CreateConstInBoundsGEP1_64(rt_.i8, info.clock,
                                                     offsetof(srt_window_clock, watermark)));
  }

  // ---------------------------------------------------------------- loops
  void emitSourceLoop(LogicalSource &src) {
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
    llvm::Value *got =
        b_.CreateCall(rt_.fn("srt_reader_next", rt_.i32, {rt_.ptr, rt_.ptr}), {reader, record});
    b_.CreateCondBr(b_.CreateICmpNE(got, b_.getInt32(0)), body, finish);
    b_.SetInsertPoint(body);
    if (usesRecordContext())
      b_.CreateCall(rt_.fn("srt_record_begin", rt_.voidTy, {rt_.ptr}), {ctxArg_});
    loop_ = {header, reader};
    // Every record carries its event time (processing time without one),
    // which windows read.
    if (windows.empty())
      time_ = nullptr;
    else if (src.eventTimeField >= 0)
      time_ = exprGen(record, *src.output).loadField(record, info.layout, *src.output,
                                                     src.eventTimeField).v;
    else
      time_ = b_.CreateCall(rt_.fn("srt_clock_ms", rt_.i64, {}), {});
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
    auto *fire = llvm::BasicBlock::Create(ctx_, "fire." + src.sourceName, fn_);
    llvm::Value *largest = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax,
                                                    b_.CreateLoad(rt_.i64, maxTime), time_);
    b_.CreateStore(largest, maxTime);
    b_.CreateStore(b_.CreateSub(largest, b_.getInt64(src.maxDelayMs)), watermark);
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

  /// The windows downstream of \p src, in topological order.
  std::vector<const LogicalWindowAggregate *> windowsAfter(const LogicalSource &src) {
    std::set<const LogicalOperator *> reached{&src};
    std::vector<const LogicalWindowAggregate *> out;
    for (LogicalOperator *op : plan_.topologicalOrder()) {
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

  /// True if some expression builds strings in the record arena or reads
  /// now(): only then does each record start with srt_record_begin.
  bool usesRecordContext() const {
    bool uses = false;
    auto check = [&](const PlanExpr &e) {
      e.walk([&](const PlanExpr &x) {
        if (x.kind == PlanExpr::Kind::Binary && x.binaryOp == BinaryOp::Add &&
            x.type.kind == TypeKind::String)
          uses = true;
        if (x.kind == PlanExpr::Kind::Call &&
            (x.builtin == BuiltinId::Lower || x.builtin == BuiltinId::Upper ||
             x.builtin == BuiltinId::Replace || x.builtin == BuiltinId::Now ||
             (x.builtin == BuiltinId::ToString && x.children[0]->type.kind != TypeKind::String &&
              x.children[0]->type.kind != TypeKind::Bool)))
          uses = true;
      });
    };
    for (const auto &op : plan_.operators())
      visitExprs(*op, check);
    for (const auto &[fn, body] : plan_.functions)
      check(*body);
    return uses;
  }

  template <typename F> static void visitExprs(const LogicalOperator &op, F &&f) {
    if (auto *filter = dyn_cast<LogicalFilter>(&op))
      f(*filter->condition);
    else if (auto *p = dyn_cast<LogicalProject>(&op))
      for (const auto &e : p->exprs)
        f(*e);
    else if (auto *fused = dyn_cast<LogicalFused>(&op))
      for (const auto &step : fused->steps)
        visitExprs(*step, f);
    else if (auto *sink = dyn_cast<LogicalSink>(&op)) {
      for (const auto &k : sink->keys)
        if (k)
          f(*k);
    } else if (auto *w = dyn_cast<LogicalWindowAggregate>(&op)) {
      for (const auto &k : w->keys)
        f(*k);
      for (const auto &a : w->aggregates)
        for (const auto &arg : a.args)
          f(*arg);
      for (const auto &e : w->entries)
        f(*e);
    }
  }

  llvm::Value *entryAlloca(uint32_t size, const char *name) {
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    auto *a = eb.CreateAlloca(llvm::ArrayType::get(rt_.i8, size), nullptr, name);
    a->setAlignment(llvm::Align(8));
    return a;
  }

  /// Emits, in order, the code of every operator reading \p producer's
  /// records, given the record at \p record.
  void emitConsumers(const LogicalOperator &producer, llvm::Value *record, const RecordType &type) {
    for (LogicalOperator *c : plan_.topologicalOrder())
      for (size_t i = 0; i < c->inputs.size(); ++i)
        if (c->inputs[i] == &producer && !isLateInput(*c, i)) {
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

  /// True if input \p i of \p op receives a window's late records rather
  /// than its results.
  static bool isLateInput(const LogicalOperator &op, size_t i) {
    auto *sink = dyn_cast<LogicalSink>(&op);
    return sink && sink->lateInput[i];
  }

  void emitOperator(const LogicalOperator &op, size_t slot, llvm::Value *record,
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

  void emitSteps(const LogicalFused &fused, size_t i, llvm::Value *record, const RecordType &type) {
    if (i == fused.steps.size()) {
      emitConsumers(fused, record, type);
      return;
    }
    emitStateless(*fused.steps[i], record, type, [&](llvm::Value *out, const RecordType &outType) {
      emitSteps(fused, i + 1, out, outType);
    });
  }

  /// A filter or projection, then \p next on its output.
  template <typename Next>
  void emitStateless(const LogicalOperator &op, llvm::Value *record, const RecordType &type,
                     Next next) {
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

  /// The entry-block counter of a null() sink's records.
  llvm::AllocaInst *nullCounter(const LogicalSink &sink) {
    auto it = nullCounters_.find(&sink);
    if (it != nullCounters_.end())
      return it->second;
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    llvm::AllocaInst *c = eb.CreateAlloca(rt_.i64, nullptr, "discarded");
    eb.CreateStore(eb.getInt64(0), c);
    return nullCounters_[&sink] = c;
  }

  /// Probes the table with the key; the output record is the input's fields
  /// then the table's (null when `or null` keeps an unmatched record).
  void emitLookup(const LogicalLookup &l, llvm::Value *record, const RecordType &type) {
    ExprCodeGen exprs = exprGen(record, type);
    Val key = exprs.emit(*l.key);
    llvm::Value *table = tables_.at(l.table).value;
    llvm::Value *found;
    if (l.key->type.kind == TypeKind::String)
      found =
          b_.CreateCall(rt_.fn("srt_table_find_str", rt_.ptr, {rt_.ptr, rt_.ptr, rt_.i64}),
                        {table, b_.CreateExtractValue(key.v, 0), b_.CreateExtractValue(key.v, 1)});
    else
      found =
          b_.CreateCall(rt_.fn("srt_table_find_i64", rt_.ptr, {rt_.ptr, rt_.i64}), {table, key.v});
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
      exprs.storeField(
          outRec, out.layout, outType, static_cast<int>(n + j),
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

  void emitSinkWrite(const LogicalSink &sink, size_t, llvm::Value *record, const RecordType &type) {
    if (sink.connectorName == "null") { // discarded, only counted
      llvm::AllocaInst *counter = nullCounter(sink);
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(rt_.i64, counter), b_.getInt64(1)), counter);
      return;
    }
    const LayoutInfo &info = layoutOf(type);
    b_.CreateCall(rt_.fn("srt_writer_write_as", rt_.voidTy, {rt_.ptr, rt_.ptr, rt_.ptr}),
                  {writers_.at(&sink).value, info.global, record});
  }

  ExprCodeGen exprGen(llvm::Value *record, const RecordType &type) {
    const LayoutInfo &info = layoutOf(type);
    return exprGen(record, &type, &info.layout);
  }

  /// Without a record (record == null): constants and params only.
  ExprCodeGen exprGen(llvm::Value *record, const RecordType *type, const RecordLayout *layout,
                      const std::vector<Val> *aggregates = nullptr) {
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
      b_.CreateCall(rt_.fn("srt_reader_reject", rt_.voidTy, {rt_.ptr, rt_.ptr}),
                    {loop_.reader, rt_.cstring(reason)});
      b_.CreateBr(rejectTarget_);
    };
    return ExprCodeGen(b_, rt_, fn_, entry_, env, plan_);
  }

  struct Loop {
    llvm::BasicBlock *header = nullptr;
    llvm::Value *reader = nullptr;
  };

  const Plan &plan_;
  llvm::LLVMContext &ctx_;
  DiagnosticEngine &diags_;
  CodegenOptions options_;
  std::map<const ParamDecl *, std::pair<llvm::GlobalVariable *, llvm::GlobalVariable *>>
      paramGlobals_;
  std::unique_ptr<llvm::Module> module_;
  RuntimeDecls rt_;
  llvm::IRBuilder<> b_;
  llvm::Function *fn_ = nullptr;
  llvm::Value *runArg_ = nullptr, *ctxArg_ = nullptr;
  llvm::BasicBlock *entry_ = nullptr, *failBlock_ = nullptr;
  std::vector<LogicalSource *> sources_;
  std::vector<LogicalSink *> sinks_;
  std::map<const LogicalSource *, Handle> readers_;
  std::map<const LogicalSink *, Handle> writers_;
  std::vector<const LogicalLookup *> lookups_; ///< one per table
  std::map<const TableDecl *, Handle> tables_;
  std::map<const LogicalSink *, llvm::AllocaInst *> nullCounters_;
  std::map<std::pair<const RecordType *, const std::vector<bool> *>, LayoutInfo> layouts_;
  Loop loop_;
  llvm::BasicBlock *rejectTarget_ = nullptr;
  /// The event time of the record being processed (i64 epoch ms).
  llvm::Value *time_ = nullptr;
  std::vector<const LogicalWindowAggregate *> windows_;
  std::map<const LogicalWindowAggregate *, WindowInfo> windowInfo_;
};

} // namespace

std::unique_ptr<llvm::Module> generateModule(const Plan &plan, llvm::LLVMContext &context,
                                             DiagnosticEngine &diags,
                                             const CodegenOptions &options) {
  return Generator(plan, context, diags, options).run();
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
