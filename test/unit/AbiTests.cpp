/// \file
/// srt/abi.def against the runtime and codegen: the JIT symbol table built
/// from the list has one non-null, uniquely named entry per function, and
/// codegen declares each under the same name. (That each C declaration from
/// the list matches the runtime's definition, and its LLVM kinds the C types,
/// is checked by the C++ compiler.)

#include "codegen/ExprCodeGen.h"
#include "jit/RuntimeSymbols.h"

#include <gtest/gtest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <set>
#include <string>

using namespace streamc;

namespace {

const char *const kAbiNames[] = {
#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params) #name,
#include <srt/abi.def>
};

TEST(AbiTest, SymbolTableEntriesAreNonNullAndUnique) {
  const auto &symbols = runtimeSymbols();
  EXPECT_EQ(symbols.size(), std::size(kAbiNames));
  std::set<std::string> names;
  for (const auto &[name, address] : symbols) {
    EXPECT_NE(address, nullptr) << name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
    EXPECT_EQ(std::string(name).rfind("srt_", 0), 0u) << name;
  }
}

TEST(AbiTest, CodegenDeclaresEachFunctionUnderItsName) {
  llvm::LLVMContext context;
  llvm::Module module("abi", context);
  RuntimeDecls rt(module);
  for (size_t i = 0; i < std::size(kAbiNames); ++i) {
    llvm::FunctionCallee callee = rt.fn(static_cast<Abi>(i));
    auto *f = llvm::dyn_cast<llvm::Function>(callee.getCallee());
    ASSERT_NE(f, nullptr) << kAbiNames[i];
    EXPECT_EQ(f->getName(), kAbiNames[i]);
    EXPECT_EQ(runtimeSymbols()[i].first, std::string(kAbiNames[i]));
  }
}

} // namespace
