#pragma once
/// \file
/// The code generator behind generateModule (CodeGen.h): internal to
/// codegen/, never included by a public header. Its members are defined by
/// concern: CodeGen.cpp (the entry point, layouts, opening and closing the
/// connectors), Standalone.cpp (the params and `main` of built
/// executables), SourceLoop.cpp (the scheduler loop, each source's step
/// and the per-record code of its operators), WindowCodeGen.cpp (window
/// state, updates, firing) and JoinCodeGen.cpp (interval joins).

#include "codegen/AggregateCodeGen.h"
#include "codegen/CodeGen.h"
#include "codegen/ExprCodeGen.h"
#include "codegen/RecordLayout.h"
#include "plan/LogicalDistinct.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalJoin.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalOver.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/LogicalTop.h"
#include "plan/LogicalUnion.h"
#include "plan/LogicalUnnest.h"
#include "plan/LogicalWindowAggregate.h"
#include "plan/Plan.h"
#include "support/Diagnostics.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace streamc::codegen_detail {

/// Generates the module: the entry point, its loops, and the record
/// layouts the runtime reads.
class Generator {
public:
  Generator(const Plan &plan, llvm::LLVMContext &ctx, DiagnosticEngine &diags,
            const CodegenOptions &options)
      : plan_(plan), ctx_(ctx), diags_(diags), options_(options),
        module_(std::make_unique<llvm::Module>(plan.fileName, ctx)), rt_(*module_), b_(ctx) {}

  std::unique_ptr<llvm::Module> run();

private:
  // ---------------------------------------------------------- support check
  // (CodeGen.cpp, as is everything down to closeAll)
  bool supported();

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
  /// \p paths: for a nested record read only in part, the dotted paths read
  /// (LogicalSource::readPaths).
  const LayoutInfo &layoutOf(const RecordType &type, const std::vector<bool> *read = nullptr,
                             const std::vector<std::set<std::string>> *paths = nullptr);

  // --------------------------------------------------- opening and closing
  /// An entry-block slot holding a handle, null until opened, so the
  /// failure path can close exactly what was opened.
  llvm::AllocaInst *handleSlot(const char *name);

  void checkOpened(llvm::Value *handle);
  /// Goes on at a new block \p okName when the runtime call's status \p rc
  /// is 0, and to the failure path otherwise.
  void checkStatus(llvm::Value *rc, const char *okName);

  /// A connector argument's text as (ptr, len), computed at start-up; a
  /// null ptr when absent (\p fallback, if given, otherwise).
  /// \p owner names the connector in messages (`sink out`).
  std::pair<llvm::Value *, llvm::Value *> argText(const std::string &owner,
                                                  const std::map<std::string, PlanExprPtr> &exprs,
                                                  const char *name, const char *fallback);

  /// The format name to use when the program did not give one: empty for a
  /// file, whose path's extension tells at start-up.
  static std::string defaultFormat(srt_connector_kind connector,
                                   const std::map<std::string, Value> &args);

  /// The runtime call that opens a source (a sink) of connector \p kind;
  /// none when code generation does not open it (a null sink).
  static std::optional<Abi> readerOpener(srt_connector_kind kind);
  static std::optional<Abi> writerOpener(srt_connector_kind kind);

  /// Opens a reader or writer through `srt_{reader,writer}_open_text`,
  /// keeping the handle in an entry-block slot for the cleanup paths.
  Handle openConnector(Abi function, const char *slotName, const std::string &name,
                       srt_connector_kind connector, const std::map<std::string, Value> &args,
                       const std::map<std::string, PlanExprPtr> &argExprs, const LayoutInfo &info);

  /// Tells the run about every declared sink, so it can open the config's
  /// dead-letter sink before anything is read.
  void declareSinks();

  /// The records input \p i of \p sink receives: a window's late input
  /// gets the window's input records.
  static const RecordType &sinkInputType(const LogicalSink &sink, size_t i);

  void openSinks();

  /// A numeric connector argument computed at start-up, or \p fallback.
  llvm::Value *argNumber(const std::string &owner, const std::map<std::string, PlanExprPtr> &exprs,
                         const char *name, llvm::Value *fallback, bool asDouble);

  /// `generate(kind:, events:, rate:, seed:)`.
  Handle openGenerator(const LogicalSource &src);

  /// Loads every table a lookup reads, before any source is read.
  void openTables();

  void openSources();

  /// Closes every reader and writer (null-safe) and returns \p status, or
  /// 0 / 2 depending on whether the writers closed cleanly.
  void closeAll(llvm::Value *status);

  // -------------------------------------------------- standalone programs
  // (Standalone.cpp)
  /// One global per param for its value and one for its null flag,
  /// initialised to the default; `--param` overwrites them at start-up.
  void createParamGlobals();

  std::string helpText() const;

  /// The param table, the program descriptor and `main`.
  void emitStandaloneMain();

  // ------------------------------------------------------------- start-up
  // (StartUp.cpp)
  /// Expressions computed once, before any record (connector arguments,
  /// settings, param defaults): an error in one (a division by zero, an
  /// overflow) ends the run with status 2, the message naming \p what.
  ExprCodeGen startUpExprGen(const std::string &what);

  /// A setting that may read params (a window size, max_delay): a constant
  /// when \p e is one (or absent: \p compiled), otherwise computed at
  /// start-up and checked to be at least \p minimum; a value below it ends
  /// the run with status 2 (`<what> must be positive, found ...`).
  llvm::Value *startUpSetting(const PlanExpr *e, int64_t compiled, int64_t minimum,
                              const std::string &what, bool isDuration);

  /// Built executables: computes the defaults that read other params
  /// (Plan::paramDefaults) for the params `--param` and the config left
  /// unset, in dependency order.
  void computeParamDefaults();

  /// Compiles every regular expression of the plan once (RegexCodeGen.cpp):
  /// the pattern arguments of the PatternArg built-ins, into the globals
  /// RuntimeDecls::patternGlobal gives the calls. An invalid pattern (a
  /// built executable's `--param` may give one) ends the run with status 2.
  void compilePatterns();
  /// False, with an internal error, if a call used a pattern that
  /// compilePatterns did not compile (its walk missed an expression).
  bool patternsAllCompiled();
  size_t compiledPatterns_ = 0;

  // -------------------------------------------------------------- windows
  // (WindowCodeGen.cpp)
  /// What the generated code keeps per window operator.
  struct WindowInfo {
    llvm::AllocaInst *handle = nullptr; ///< srt_window*
    llvm::Value *clock = nullptr;       ///< srt_window_clock*
    llvm::Value *hot = nullptr;         ///< srt_window_hot* (tumbling, sliding)
    uint32_t keyBytes = 0;              ///< the key's fixed-size part
    bool fixedKey = false;              ///< no strings: keyBytes is the whole key
    uint32_t keyCapacity = 8;           ///< srt_window_desc.key_capacity
    AggregateLayout aggs;
    llvm::AllocaInst *arrivals = nullptr; ///< records so far (first/last)
    llvm::AllocaInst *keyBuffer = nullptr;
    RecordType keyType; ///< the `by` keys as a record
  };
  static constexpr uint32_t kKeyBufferSize = 256;

  /// Creates each window's runtime state from a constant srt_window_desc.
  void createWindows();
  /// The state of a record's key in the slice generated code probes inline
  /// (srt_window_hot), for a key of \p len <= 16 bytes at \p key (a fixed
  /// key's length is a constant; one with strings is looked up by \p slow
  /// when longer); any record the probe does not find gets \p slow's
  /// (srt_window_state).
  llvm::Value *emitWindowProbe(const WindowInfo &info, llvm::Value *key, llvm::Value *len,
                               llvm::Value *lateBefore, const std::function<llvm::Value *()> &slow);
  /// A key its entry keeps whole as little-endian words, zero-padded to
  /// the entry's key capacity.
  std::vector<llvm::Value *> emitKeyWords(const WindowInfo &info, llvm::Value *key,
                                          llvm::Value *len);

  /// A record enters its window(s): the key is encoded, the runtime finds
  /// its state, and the aggregates are updated inline. A record late for
  /// all of its windows goes to the late sink, if there is one.
  void emitWindowUpdate(const LogicalWindowAggregate &w, llvm::Value *record,
                        const RecordType &type);

  /// When the watermark \p wm reached the window's next end: fires, and
  /// runs the window's consumers on each result. Then the window's input
  /// watermark becomes \p wm (records it receives later are late when their
  /// windows have ended by then).
  void emitFiring(const LogicalWindowAggregate &w, llvm::Value *wm);
  /// One result of a firing window: \p rowInfo (srt_window_row) and its
  /// aggregate \p state, to the window's consumers; a rejected entry goes
  /// on at \p next.
  void emitWindowResult(const LogicalWindowAggregate &w, llvm::Value *rowInfo, llvm::Value *state,
                        llvm::BasicBlock *next);

  // ---------------------------------------------------------------- joins
  // (JoinCodeGen.cpp)
  struct JoinInfo {
    llvm::AllocaInst *handle = nullptr;    ///< srt_join*
    llvm::AllocaInst *keyBuffer = nullptr; ///< kKeyBufferSize bytes
    llvm::AllocaInst *matchTime = nullptr; ///< the matched record's event time
    LogicalJoin::Split split;
  };

  /// Creates each join's runtime state.
  void createJoins();

  /// A record arrives at input \p slot of \p j: buffered under its key,
  /// then paired with each of the other side's buffered records with the
  /// key within the interval that meet the rest of the condition; each
  /// pair (this side's fields, then the other's) goes to the join's
  /// consumers with the larger event time.
  void emitJoinArrival(const LogicalJoin &j, size_t slot, llvm::Value *record,
                       const RecordType &type);

  // ------------------------------------------------------ distinct stages
  // (DistinctCodeGen.cpp)
  struct DedupInfo {
    llvm::AllocaInst *handle = nullptr;    ///< srt_dedup*
    llvm::AllocaInst *keyBuffer = nullptr; ///< kKeyBufferSize bytes
  };

  /// Creates each distinct stage's runtime state.
  void createDedups();
  /// A record arrives at \p d: its key is encoded and, unless the runtime
  /// finds a kept record of the key within the duration (or the record is
  /// late), it goes to the stage's consumers.
  void emitDistinct(const LogicalDistinct &d, llvm::Value *record, const RecordType &type);

  /// While alive, the generator emits a record a stateful stage releases
  /// itself (a window's result, a top's row, a frame's record): with event
  /// time \p time, never late (released before the watermark moves on), a
  /// rejection continuing at \p next. The previous state comes back after.
  class Emission {
  public:
    Emission(Generator &g, llvm::Value *time, llvm::BasicBlock *next)
        : g_(g), time_(g.time_), lateBefore_(g.lateBefore_), reject_(g.rejectTarget_) {
      g.time_ = time;
      g.lateBefore_ = nullptr;
      g.rejectTarget_ = next;
    }
    ~Emission() {
      g_.time_ = time_;
      g_.lateBefore_ = lateBefore_;
      g_.rejectTarget_ = reject_;
    }

  private:
    Generator &g_;
    llvm::Value *time_, *lateBefore_;
    llvm::BasicBlock *reject_;
  };

  /// The loop over what a stateful stage releases (a window's results, a
  /// top's rows, a frame's records): `for (;;) { item = fetch(); if (!item)
  /// break; body(item, next); }`, each item in a record context of its own.
  /// \p body continues at \p next (a rejection branches there too); the
  /// builder is left after the loop.
  void emitDrain(const char *name, const std::function<llvm::Value *()> &fetch,
                 const std::function<void(llvm::Value *item, llvm::BasicBlock *next)> &body) {
    auto *next = llvm::BasicBlock::Create(ctx_, std::string(name) + ".next", fn_);
    auto *item = llvm::BasicBlock::Create(ctx_, std::string(name) + ".item", fn_);
    auto *done = llvm::BasicBlock::Create(ctx_, std::string(name) + ".done", fn_);
    b_.CreateBr(next);
    b_.SetInsertPoint(next);
    llvm::Value *got = fetch();
    b_.CreateCondBr(b_.CreateIsNull(got), done, item);
    b_.SetInsertPoint(item);
    if (usesRecordContext())
      rt_.call(b_, Abi::srt_record_begin, {ctxArg_});
    body(got, next);
    b_.CreateBr(next);
    b_.SetInsertPoint(done);
  }

  /// The input of \p sink that carries \p op's late records.
  static size_t lateInput(const LogicalSink &sink, const LogicalOperator &op) {
    size_t input = 0;
    while (!(sink.inputs[input] == &op && sink.lateInput[input]))
      ++input;
    return input;
  }

  // -------------------------------------------------------- extend over
  // (OverCodeGen.cpp)
  struct OverInfo {
    llvm::AllocaInst *handle = nullptr;    ///< srt_frame*
    llvm::AllocaInst *keyBuffer = nullptr; ///< kKeyBufferSize bytes
    llvm::AllocaInst *arrivals = nullptr;  ///< records processed (first/last order)
    AggregateLayout aggs;
    llvm::Function *freeState = nullptr; ///< frees a state, or null
    /// rows/range whose aggregates all merge exactly: partial aggregates
    /// in two stacks (srt_frame_front), merged by `merge`.
    bool twoStacks = false;
    llvm::Function *merge = nullptr;
  };

  /// Start-up checks of the aggregates' constant arguments that read params
  /// (their range); \p stage names the stage in the message.
  void checkConstantArgs(const std::vector<AggregateCall> &aggregates, const std::string &stage);
  /// Creates each extend over's runtime state.
  void createOvers();
  /// A rows or range frame's aggregate before the current record, into the
  /// zeroed \p state: the \p earlier records it holds folded one by one.
  void emitFrameFold(AggregateCodeGen &aggs, llvm::Value *frame, llvm::Value *earlier,
                     llvm::Value *state, const RecordType &type);
  /// Folds the frame's record \p i (srt_frame_item) into \p state; it was
  /// accepted when it entered, so nothing rejects it now.
  void emitFrameItemUpdate(AggregateCodeGen &aggs, llvm::Value *frame, llvm::Value *i,
                           llvm::Value *state, const RecordType &type);
  /// The same from the two stacks of partial aggregates (OverInfo::twoStacks),
  /// rebuilt first when the back state held a record the frame dropped.
  void emitFrameTwoStacks(const LogicalOver &o, AggregateCodeGen &aggs, llvm::Value *handle,
                          llvm::Value *frame, llvm::Value *earlier, llvm::Value *state,
                          const RecordType &type);
  /// A record arrives at \p o: with event time it waits for the watermark
  /// (or is late); without, it is processed at once.
  void emitOverArrival(const LogicalOver &o, llvm::Value *record, const RecordType &type);
  /// With event time: the records \p wm has reached are processed, in
  /// event-time order.
  void emitOverRelease(const LogicalOver &o, llvm::Value *wm);
  /// The record's frame aggregates, its entries, and the extended record to
  /// the consumers.
  void emitOverProcess(const LogicalOver &o, llvm::Value *record, const RecordType &type);

  // ------------------------------------------------------------ top stages
  // (TopCodeGen.cpp)
  struct TopInfo {
    llvm::AllocaInst *handle = nullptr;    ///< srt_top*
    llvm::AllocaInst *keyBuffer = nullptr; ///< kKeyBufferSize bytes
    /// How the runtime stores a row: the input's fields, then the order
    /// value (`__order`).
    std::shared_ptr<RecordType> stored;
  };

  /// Creates each top stage's runtime state.
  void createTops();
  /// A window result arrives at \p t: offered to its group with its order
  /// value.
  void emitTopArrival(const LogicalTop &t, llvm::Value *record, const RecordType &type);
  /// The groups \p wm has passed go to the consumers, ranked.
  void emitTopFiring(const LogicalTop &t, llvm::Value *wm);

  // ------------------------------------------------- scheduler and steps
  // (SourceLoop.cpp, which defines the member templates too: only its code
  // instantiates them)
  /// A step reads at most this many records before the scheduler may turn
  /// to another source.
  static constexpr int64_t kBatchRecords = 1024;

  /// What a source's step keeps, in entry-block slots.
  struct SourceState {
    int32_t index = 0;                     ///< in the scheduler
    llvm::AllocaInst *maxTime = nullptr;   ///< the largest event time so far
    llvm::AllocaInst *watermark = nullptr; ///< its own watermark (lateness)
    /// The watermark it lends the stages it feeds: its own, or +inf while
    /// it is idle (idle_timeout).
    llvm::AllocaInst *effective = nullptr;
    llvm::AllocaInst *count = nullptr;  ///< records read in this step
    llvm::AllocaInst *status = nullptr; ///< how the step ended (SRT_STEP_*)
  };

  /// Creates the scheduler, gives it every source's reader, and finds
  /// which sources feed each operator.
  void createScheduler();
  /// `while ((i = srt_sched_next(s)) >= 0) step source i`; leaves the
  /// builder after the loop.
  void emitSchedulerLoop();
  /// One step of \p src: a batch of its records through the operators it
  /// feeds, then back to \p dispatch.
  void emitSourceStep(LogicalSource &src, llvm::BasicBlock *dispatch);
  /// A generator source's read: records come in batches the runtime fills
  /// (srt_reader_fill) and are taken one by one; returns the record, which
  /// \p body (the only block it branches to with one) reads.
  llvm::Value *emitBatchedRead(uint32_t recordSize, llvm::Value *reader, llvm::BasicBlock *body,
                               llvm::BasicBlock *waiting, llvm::BasicBlock *finish);
  /// After a batch: processing time and idleness move the watermark without
  /// records; then srt_sched_done.
  void emitBatchEnd(const LogicalSource &src, const std::vector<const LogicalOperator *> &stateful);
  /// The earliest end a time window among \p stateful may fire at.
  llvm::Value *nextTimeWindowEnd(const std::vector<const LogicalOperator *> &stateful);
  /// The watermark of stage \p op: the least over the sources feeding it.
  llvm::Value *stageWatermark(const LogicalOperator &op);
  /// Each stateful stage in \p stateful fires what its watermark reached.
  void emitAdvance(const std::vector<const LogicalOperator *> &stateful);
  /// The stateful stages \p src feeds, in topological order.
  std::vector<const LogicalOperator *> statefulAfter(const LogicalSource &src);

  /// True if some expression builds strings in the record arena or reads
  /// now(): only then does each record start with srt_record_begin.
  bool usesRecordContext() const;

  llvm::Value *entryAlloca(uint32_t size, const char *name);
  /// The same, zeroed once at the function's start.
  llvm::Value *zeroedEntryAlloca(uint32_t size, const char *name);

  /// Emits, in order, the code of every operator reading \p producer's
  /// records, given the record at \p record.
  void emitConsumers(const LogicalOperator &producer, llvm::Value *record, const RecordType &type);

  /// True if input \p i of \p op receives a window's late records rather
  /// than its results.
  static bool isLateInput(const LogicalOperator &op, size_t i);

  void emitOperator(const LogicalOperator &op, size_t slot, llvm::Value *record,
                    const RecordType &type);

  void emitSteps(const LogicalFused &fused, size_t i, llvm::Value *record, const RecordType &type);

  /// A filter or projection, then \p next on its output.
  template <typename Next>
  void emitStateless(const LogicalOperator &op, llvm::Value *record, const RecordType &type,
                     Next next);

  /// The entry-block counter of a null() sink's records.
  llvm::AllocaInst *nullCounter(const LogicalSink &sink);

  /// Probes the table with the key; the output record is the input's fields
  /// then the table's (null when `or null` keeps an unmatched record).
  void emitLookup(const LogicalLookup &l, llvm::Value *record, const RecordType &type);

  /// Passes the record on as the union's: as it is when the layouts agree,
  /// copied field by field when an input field is `T` and the union's `T?`.
  void emitUnion(const LogicalUnion &u, llvm::Value *record, const RecordType &type);
  /// One record per piece: the downstream code runs in a loop over the
  /// pieces, each a view into the string.
  void emitUnnest(const LogicalUnnest &u, llvm::Value *record, const RecordType &type);

  /// Copies every field of \p from (of \p fromType) into fields \p at,
  /// \p at + 1, ... of \p to (of \p toType), null flags included.
  void copyFields(llvm::Value *from, const RecordType &fromType, llvm::Value *to,
                  const RecordType &toType, size_t at);

  void emitSinkWrite(const LogicalSink &sink, size_t, llvm::Value *record, const RecordType &type);

  ExprCodeGen exprGen(llvm::Value *record, const RecordType &type);
  /// The same for a record accepted before (a frame's records folded
  /// again): its checks reject nothing (an aggregate's partial over a run
  /// of the frame may overflow where the whole frame does not).
  ExprCodeGen acceptedExprGen(llvm::Value *record, const RecordType &type);

  /// What every per-record expression needs: the record context, the params
  /// of a built executable, and rejection (counted against the source being
  /// stepped, then on at rejectTarget_).
  ExprCodeGen::Env recordEnv();

  /// Without a record (record == null): constants and params only.
  ExprCodeGen exprGen(llvm::Value *record, const RecordType *type, const RecordLayout *layout,
                      const std::vector<Val> *aggregates = nullptr);

  struct Loop {
    llvm::BasicBlock *header = nullptr;
    llvm::Value *reader = nullptr;
  };

  const Plan &plan_;
  /// The plan's operators in topological order, and for each operator the
  /// input slots that read it (consumer, slot), in that order.
  std::vector<LogicalOperator *> order_;
  std::unordered_map<const LogicalOperator *, std::vector<std::pair<LogicalOperator *, size_t>>>
      consumerSlots_;
  llvm::LLVMContext &ctx_;
  DiagnosticEngine &diags_;
  CodegenOptions options_;
  std::map<const ParamDecl *, std::pair<llvm::GlobalVariable *, llvm::GlobalVariable *>>
      paramGlobals_;
  /// Per param of a built executable: set to 1 when `--param` or the config
  /// gave its value (srt_param.given).
  std::map<const ParamDecl *, llvm::GlobalVariable *> paramGiven_;
  /// Per source: its max_delay, computed at start-up.
  std::map<const LogicalSource *, llvm::Value *> maxDelay_;
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
  using ReadPaths = std::vector<std::set<std::string>>;
  std::map<std::tuple<const RecordType *, const std::vector<bool> *, const ReadPaths *>,
           LayoutInfo>
      layouts_;
  Loop loop_;
  llvm::BasicBlock *rejectTarget_ = nullptr;
  /// The event time of the record being processed (i64 epoch ms).
  llvm::Value *time_ = nullptr;
  /// Its own source's watermark before it (a window's results: null, never
  /// late): windows ending at or before it are late for the record.
  llvm::Value *lateBefore_ = nullptr;
  llvm::AllocaInst *sched_ = nullptr; ///< srt_sched*
  std::map<const LogicalSource *, SourceState> sourceState_;
  /// The sources feeding each operator, not through late records.
  std::unordered_map<const LogicalOperator *, std::vector<const LogicalSource *>> upstream_;
  /// The sources whose records reach each operator through a `window all`:
  /// its results come at the end, with event times far behind the sources'
  /// watermarks, so the operator's watermark stays -inf until then.
  std::unordered_map<const LogicalOperator *, std::set<const LogicalSource *>> heldUntilEnd_;
  std::vector<const LogicalWindowAggregate *> windows_;
  std::vector<const LogicalJoin *> joins_;
  std::map<const LogicalJoin *, JoinInfo> joinInfo_;
  std::vector<const LogicalDistinct *> dedups_;
  std::map<const LogicalDistinct *, DedupInfo> dedupInfo_;
  std::vector<const LogicalTop *> tops_;
  std::vector<const LogicalOver *> overs_;
  std::map<const LogicalOver *, OverInfo> overInfo_;
  std::map<const LogicalTop *, TopInfo> topInfo_;
  std::map<const LogicalWindowAggregate *, WindowInfo> windowInfo_;
};

} // namespace streamc::codegen_detail
