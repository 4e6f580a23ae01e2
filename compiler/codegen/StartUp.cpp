// What a program computes once, before it reads a record: derived param
// defaults (built executables), settings that may read params (window
// sizes, max_delay), and the context start-up expressions are emitted in.
#include "codegen/Generator.h"

#include "ast/AST.h"

namespace streamc::codegen_detail {

ExprCodeGen Generator::startUpExprGen(const std::string &what) {
  ExprCodeGen::Env env;
  env.ctx = ctxArg_;
  if (options_.standalone)
    env.params = &paramGlobals_;
  env.reject = [this, what](const char *reason) {
    // There is no record to skip: the run cannot start.
    rt_.call(b_, Abi::srt_run_fail, {runArg_, rt_.cstring(what + ": " + reason)});
    b_.CreateBr(failBlock_);
  };
  return ExprCodeGen(b_, rt_, fn_, entry_, env, plan_);
}

llvm::Value *Generator::startUpSetting(const PlanExpr *e, int64_t compiled, int64_t minimum,
                                       const std::string &what, bool isDuration) {
  if (!e || e->isConst())
    return b_.getInt64(compiled); // checked by sema
  llvm::Value *v = startUpExprGen(what).emit(*e).v;
  llvm::Value *rc = rt_.call(
      b_, Abi::srt_run_check_setting,
      {runArg_, rt_.cstring(what), v, b_.getInt64(minimum), b_.getInt32(isDuration ? 1 : 0)});
  checkStatus(rc, "setting.ok");
  return v;
}

void Generator::computeParamDefaults() {
  for (const auto &[param, expr] : plan_.paramDefaults) {
    auto [value, null] = paramGlobals_.at(param);
    llvm::Value *given = b_.CreateLoad(rt_.i8, paramGiven_.at(param));
    auto *compute = llvm::BasicBlock::Create(ctx_, "param.default", fn_);
    auto *done = llvm::BasicBlock::Create(ctx_, "param.done", fn_);
    b_.CreateCondBr(b_.CreateICmpNE(given, b_.getInt8(0)), done, compute);
    b_.SetInsertPoint(compute);
    Val v = startUpExprGen("the default value of param '" + param->name + "'").emit(*expr);
    llvm::Value *stored = v.v;
    if (param->type->resolved.kind == TypeKind::Bool)
      stored = b_.CreateZExt(stored, rt_.i8);
    if (param->type->resolved.kind == TypeKind::String) {
      // Built in the per-record arena: the param must outlive it.
      llvm::Value *slot = entryAlloca(16, "param.string");
      b_.CreateStore(stored, slot);
      rt_.call(b_, Abi::srt_run_keep_string, {runArg_, slot});
      stored = b_.CreateLoad(rt_.strTy, slot);
    }
    b_.CreateStore(stored, value);
    b_.CreateStore(b_.CreateZExt(v.null, rt_.i8), null);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }
}

} // namespace streamc::codegen_detail
