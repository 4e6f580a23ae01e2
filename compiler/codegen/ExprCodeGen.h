#pragma once
/// \file
/// Expression code generation. A value is a pair: the value itself and an
/// i1 null flag (a constant false where the type is not nullable, which
/// LLVM folds away). Strings are {ptr, i64} views.

#include "codegen/RecordLayout.h"
#include "plan/Plan.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

#include <functional>
#include <map>
#include <string>

namespace streamc {

/// A generated value and its null flag.
struct Val {
  llvm::Value *v = nullptr;
  llvm::Value *null = nullptr;
};

/// A runtime function generated code calls: one enumerator per entry of
/// srt/abi.def, which also gives its LLVM type.
enum class Abi {
#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params) name,
#include <srt/abi.def>
};

/// Types and runtime function declarations of a module.
class RuntimeDecls {
public:
  explicit RuntimeDecls(llvm::Module &module);

  llvm::Type *voidTy, *i1, *i8, *i32, *i64, *i128, *f64;
  llvm::PointerType *ptr;
  llvm::StructType *strTy;    ///< srt_str {ptr, i64}
  llvm::StructType *fieldTy;  ///< srt_field
  llvm::StructType *layoutTy; ///< srt_layout

  /// Declares (once) a runtime function, typed from srt/abi.def.
  llvm::FunctionCallee fn(Abi f);
  /// Calls a runtime function; asserts (in debug) that \p args has the
  /// listed number of arguments.
  llvm::CallInst *call(llvm::IRBuilderBase &b, Abi f, llvm::ArrayRef<llvm::Value *> args);
  /// Declares (once) a function outside the runtime (libc's bcmp).
  llvm::FunctionCallee libcFn(const char *name, llvm::Type *ret, std::vector<llvm::Type *> args);
  /// A NUL-terminated constant string (deduplicated).
  llvm::Constant *cstring(const std::string &s);
  /// The LLVM type of a value of \p kind.
  llvm::Type *valueType(TypeKind kind);
  /// The global holding the compiled regular expression (srt_regex*) of
  /// \p pattern, the pattern argument of a PatternArg built-in: one per
  /// distinct constant pattern, created on first use. The start-up code
  /// (Generator::compilePatterns) fills it before any record is read.
  llvm::GlobalVariable *patternGlobal(const PlanExpr &pattern);
  size_t patternCount() const { return patterns_.size(); }

private:
  llvm::Module &module_;
  std::map<std::string, llvm::Constant *> strings_;
  std::map<std::string, llvm::GlobalVariable *> patterns_;
};

class ExprCodeGen {
public:
  struct Env {
    llvm::Value *record = nullptr;
    const RecordType *type = nullptr;
    const RecordLayout *layout = nullptr;
    /// A join's other side (OtherField), while its condition is evaluated.
    llvm::Value *other = nullptr;
    const RecordType *otherType = nullptr;
    const RecordLayout *otherLayout = nullptr;
    llvm::Value *ctx = nullptr; ///< srt_ctx*
    /// Emits the rejection of the current record (the insert block is then
    /// terminated). Empty: the records evaluated were accepted before (a
    /// frame's records, folded again), and nothing rejects them now.
    std::function<void(const char *)> reject;
    /// Inside an fn body (when inlining was disabled): the arguments.
    const std::vector<Val> *fnArgs = nullptr;
    /// A window's entries: the values of its aggregates (AggRef(i)).
    const std::vector<Val> *aggregates = nullptr;
    /// Params read at start-up (built executables): their value and null
    /// flag globals. Without them params are constants.
    const std::map<const ParamDecl *, std::pair<llvm::GlobalVariable *, llvm::GlobalVariable *>>
        *params = nullptr;
  };

  ExprCodeGen(llvm::IRBuilder<> &b, RuntimeDecls &rt, llvm::Function *fn, llvm::BasicBlock *entry,
              Env env, const Plan &plan)
      : b_(b), rt_(rt), fn_(fn), entry_(entry), env_(std::move(env)), plan_(plan) {}

  Val emit(const PlanExpr &e);

  Val loadField(llvm::Value *record, const RecordLayout &layout, const RecordType &type, int index);
  void storeField(llvm::Value *record, const RecordLayout &layout, const RecordType &type,
                  int index, Val v);

  /// Rejects the record when \p bad holds (and continues otherwise).
  void rejectIf(llvm::Value *bad, const std::string &reason);
  /// `a op b` with the signed-overflow intrinsic \p op
  /// (llvm.sadd.with.overflow, ...): an overflow rejects the record unless
  /// \p null (§2).
  llvm::Value *overflowChecked(llvm::Intrinsic::ID op, llvm::Value *a, llvm::Value *b,
                               llvm::Value *null, const std::string &reason);
  /// \p v, after rejecting the record when it is NaN or infinite and not
  /// \p null: no NaN or infinity is ever stored (§2).
  llvm::Value *finiteChecked(llvm::Value *v, llvm::Value *null, const std::string &reason);

private:
  Val constant(const PlanExpr &e);
  Val unary(const PlanExpr &e);
  Val binary(const PlanExpr &e);
  Val logical(const PlanExpr &e);
  Val compare(BinaryOp op, Val a, Val b, TypeKind kind);
  Val ifExpr(const PlanExpr &e);
  Val in(const PlanExpr &e);
  Val call(const PlanExpr &e);
  /// abs, sqrt, exp, ln, log10, pow, floor, ceil, round, min, max.
  Val numericCall(const PlanExpr &e, const std::vector<Val> &a, llvm::Value *null);
  /// regexp_like, regexp_extract, regexp_replace (RegexCodeGen.cpp).
  Val regexCall(const PlanExpr &e, const std::vector<Val> &a, llvm::Value *null);
  Val coalesce(const PlanExpr &e);
  Val fnCall(const PlanExpr &e);

  llvm::Value *anyNull(std::initializer_list<Val> vals);
  llvm::Value *zero(TypeKind kind);
  llvm::AllocaInst *strSlot();
  Val callStr(Abi f, std::vector<llvm::Value *> args, llvm::Value *null);
  llvm::Value *ptrOf(llvm::Value *str) { return b_.CreateExtractValue(str, 0); }
  llvm::Value *lenOf(llvm::Value *str) { return b_.CreateExtractValue(str, 1); }
  llvm::Value *strCompare(llvm::Value *a, llvm::Value *b);
  /// `x == item` with SQL nulls (emits \p item, unless it is a string
  /// literal, which is compared inline).
  Val equalTo(Val x, const PlanExpr &item, TypeKind kind);
  /// True if the string equals \p literal (bytes compared inline).
  llvm::Value *equalsLiteral(llvm::Value *str, const std::string &literal);
  /// Parses a string with a runtime `srt_str_to_*` function; null when it
  /// does not parse.
  Val parseString(Abi f, llvm::Type *type, Val str, llvm::Value *null);
  llvm::BasicBlock *block(const char *name) {
    return llvm::BasicBlock::Create(b_.getContext(), name, fn_);
  }

  llvm::IRBuilder<> &b_;
  RuntimeDecls &rt_;
  llvm::Function *fn_;
  llvm::BasicBlock *entry_;
  Env env_;
  const Plan &plan_;
};

} // namespace streamc
