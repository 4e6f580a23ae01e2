/// \file
/// Regular expressions in generated code (LANGUAGE.md §7). Each distinct
/// pattern is compiled once, at start-up, into a module global; a call
/// loads it and hands it to the runtime (text/Regex.cpp) with the string,
/// which RE2 reads in place.
#include "codegen/Generator.h"

#include "plan/ExprWalker.h"

#include <cassert>
#include <set>

namespace streamc {

llvm::GlobalVariable *RuntimeDecls::patternGlobal(const PlanExpr &pattern) {
  // Equal constant patterns share one compiled expression; a pattern read
  // from a param (built executables) has its own.
  std::string key = pattern.isConst() ? "=" + pattern.value.asString()
                                      : "@" + std::to_string(reinterpret_cast<uintptr_t>(&pattern));
  auto [it, added] = patterns_.try_emplace(key, nullptr);
  if (added)
    it->second = new llvm::GlobalVariable(module_, ptr, false, llvm::GlobalValue::InternalLinkage,
                                          llvm::ConstantPointerNull::get(ptr), "regex");
  return it->second;
}

Val ExprCodeGen::regexCall(const PlanExpr &e, const std::vector<Val> &a, llvm::Value *null) {
  llvm::Value *re = b_.CreateLoad(rt_.ptr, rt_.patternGlobal(*e.children[kPatternArg]));
  llvm::Value *s = ptrOf(a[0].v), *len = lenOf(a[0].v);
  switch (e.builtin) {
  case BuiltinId::RegexpLike: {
    llvm::Value *r = rt_.call(b_, Abi::srt_regex_like, {re, s, len});
    return {b_.CreateICmpNE(r, b_.getInt32(0)), null};
  }
  case BuiltinId::RegexpExtract: {
    // No match, or a group that took no part in it: null.
    llvm::AllocaInst *out = strSlot();
    llvm::Value *found = rt_.call(b_, Abi::srt_regex_extract, {re, s, len, a[2].v, out});
    return {b_.CreateLoad(rt_.strTy, out),
            b_.CreateOr(null, b_.CreateICmpEQ(found, b_.getInt32(0)))};
  }
  case BuiltinId::RegexpReplace: {
    llvm::AllocaInst *out = strSlot();
    llvm::Value *rc = rt_.call(b_, Abi::srt_regex_replace,
                               {env_.ctx, re, s, len, ptrOf(a[2].v), lenOf(a[2].v), out});
    // A constant replacement was checked by sema; one computed per record
    // may refer to a group the pattern lacks.
    if (!e.children[2]->isConst())
      rejectIf(b_.CreateAnd(b_.CreateNot(null), b_.CreateICmpNE(rc, b_.getInt32(0))),
               "regexp_replace: the replacement refers to a group the pattern does not have, "
               "or has a backslash not followed by a digit or a backslash");
    return {b_.CreateLoad(rt_.strTy, out), null};
  }
  default:
    assert(false && "not a regular-expression built-in");
    return {b_.getFalse(), b_.getTrue()};
  }
}

namespace codegen_detail {

void Generator::compilePatterns() {
  std::vector<const PlanExpr *> patterns;
  forEachExpr(plan_, [&](const PlanExpr &top, ExprPhase) {
    top.walk([&](const PlanExpr &e) {
      if (e.kind == PlanExpr::Kind::Call && (scalarBuiltin(e.builtin).flags & PatternArg))
        patterns.push_back(e.children[kPatternArg].get());
    });
  });
  std::set<llvm::GlobalVariable *> compiled;
  for (const PlanExpr *pattern : patterns) {
    llvm::GlobalVariable *global = rt_.patternGlobal(*pattern);
    if (!compiled.insert(global).second)
      continue;
    std::string what = "the pattern " + pattern->str();
    if (pattern->kind == PlanExpr::Kind::Param)
      what = "the pattern of param '" + pattern->name + "'";
    Val text = startUpExprGen(what).emit(*pattern);
    llvm::Value *re = rt_.call(b_, Abi::srt_regex_compile,
                               {runArg_, rt_.cstring(what), b_.CreateExtractValue(text.v, 0),
                                b_.CreateExtractValue(text.v, 1)});
    b_.CreateStore(re, global);
    auto *ok = llvm::BasicBlock::Create(ctx_, "regex.ok", fn_);
    b_.CreateCondBr(b_.CreateIsNull(re), failBlock_, ok);
    b_.SetInsertPoint(ok);
  }
  compiledPatterns_ = compiled.size();
}

bool Generator::patternsAllCompiled() {
  if (rt_.patternCount() == compiledPatterns_)
    return true;
  diags_.error({}, "internal compiler error: a regular expression was not compiled at start-up "
                   "(the expression walk missed it)");
  return false;
}

} // namespace codegen_detail
} // namespace streamc
