/// \file
/// srt/abi.def against what it describes. That each C declaration from the
/// list matches the runtime's definition, and its LLVM kinds the C types, is
/// checked by the C++ compiler; these tests check the rest against sources
/// independent of the list:
/// - generated code calling through codegen's declarations, bound only by
///   the JIT symbol table, reaches the right runtime functions with the right
///   arguments (integers, doubles, pointers, results in registers and
///   through pointers);
/// - every entry is called somewhere in compiler/codegen (no dead entry).

#include "codegen/ExprCodeGen.h"
#include "jit/RuntimeSymbols.h"

#include <srt/abi.h>
#include <srt/host.h>

#include <gtest/gtest.h>

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/TargetSelect.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

using namespace streamc;

namespace {

const char *const kAbiNames[] = {
#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params) #name,
#include <srt/abi.def>
};

/// `int32_t probe(srt_ctx *ctx, srt_str *f, srt_str *i)`: compares "ab" with
/// "abc", formats 2.5 into *f and -42 into *i, through codegen's declarations.
std::unique_ptr<llvm::Module> probeModule(llvm::LLVMContext &context) {
  auto module = std::make_unique<llvm::Module>("probe", context);
  RuntimeDecls rt(*module);
  auto *type = llvm::FunctionType::get(rt.i32, {rt.ptr, rt.ptr, rt.ptr}, false);
  auto *fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, "probe", *module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", fn));
  llvm::Value *cmp = rt.call(b, Abi::srt_str_compare,
                             {rt.cstring("ab"), b.getInt64(2), rt.cstring("abc"), b.getInt64(3)});
  rt.call(b, Abi::srt_f64_to_str,
          {fn->getArg(0), llvm::ConstantFP::get(rt.f64, 2.5), fn->getArg(1)});
  rt.call(b, Abi::srt_i64_to_str, {fn->getArg(0), b.getInt64(-42), fn->getArg(2)});
  b.CreateRet(cmp);
  return module;
}

TEST(AbiTest, GeneratedCallsReachTheRuntimeThroughTheSymbolTable) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = probeModule(*context);
  auto jit = llvm::orc::LLJITBuilder().create();
  ASSERT_TRUE(static_cast<bool>(jit)) << llvm::toString(jit.takeError());
  module->setDataLayout((*jit)->getDataLayout());
  // Only the table: no search of this process's symbols.
  llvm::orc::SymbolMap runtime;
  for (const auto &[name, address] : runtimeSymbols())
    runtime[(*jit)->mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                              llvm::JITSymbolFlags::Exported};
  ASSERT_FALSE(static_cast<bool>(
      (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(runtime)))));
  ASSERT_FALSE(static_cast<bool>(
      (*jit)->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))));
  auto probe = (*jit)->lookup("probe");
  ASSERT_TRUE(static_cast<bool>(probe)) << llvm::toString(probe.takeError());
  auto *call = probe->toPtr<int32_t (*)(srt_ctx *, srt_str *, srt_str *)>();

  srt_run *run = srt_run_create();
  srt_ctx *ctx = srt_ctx_create(run);
  srt_str f{}, i{};
  EXPECT_EQ(call(ctx, &f, &i), -1);
  EXPECT_EQ(std::string(f.ptr, static_cast<size_t>(f.len)), "2.5");
  EXPECT_EQ(std::string(i.ptr, static_cast<size_t>(i.len)), "-42");
  srt_ctx_destroy(ctx);
  srt_run_destroy(run);
}

TEST(AbiTest, EveryEntryIsCalledByCodegen) {
  std::string sources;
  for (const char *dir : {"/compiler/codegen", "/compiler/aggregates"})
    for (const auto &entry :
         std::filesystem::directory_iterator(std::string(STREAMC_SOURCE_DIR) + dir)) {
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      sources += text.str();
    }
  ASSERT_FALSE(sources.empty());
  std::set<std::string> unused;
  for (const char *name : kAbiNames)
    if (sources.find(std::string("Abi::") + name) == std::string::npos)
      unused.insert(name);
  EXPECT_TRUE(unused.empty()) << "listed in srt/abi.def, called by no generated code: "
                              << *unused.begin();
}

TEST(AbiTest, SymbolTableEntriesAreNonNullAndUnique) {
  std::set<std::string> names;
  std::set<void *> addresses;
  for (const auto &[name, address] : runtimeSymbols()) {
    EXPECT_NE(address, nullptr) << name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
    EXPECT_TRUE(addresses.insert(address).second) << "two names for one function: " << name;
    EXPECT_EQ(std::string(name).rfind("srt_", 0), 0u) << name;
  }
}

} // namespace
