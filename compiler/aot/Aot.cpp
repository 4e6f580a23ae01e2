#include "aot/Aot.h"

#include <llvm/ADT/StringExtras.h>

#include "codegen/CodeGen.h"
#include "codegen/Target.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace streamc {

namespace {

/// The runtime library to link: $STREAMC_RUNTIME_LIB, beside an installed
/// streamc (../lib), or the build tree's.
std::string runtimeLibrary(const std::string &argv0) {
  if (const char *env = std::getenv("STREAMC_RUNTIME_LIB"))
    return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    exe = fs::absolute(argv0, ec);
  fs::path installed = exe.parent_path().parent_path() / "lib" / "libstreamc_runtime.a";
  if (fs::exists(installed, ec))
    return installed.string();
  return STREAMC_RUNTIME_LIB;
}

} // namespace

int buildExecutable(const Plan &plan, DiagnosticEngine &diags, const BuildOptions &options) {
  std::string error;
  auto tm = hostTargetMachine(options.optLevel, error);
  if (!tm) {
    diags.error({}, "cannot generate code for this machine: " + error);
    return 2;
  }
  llvm::LLVMContext context;
  CodegenOptions cg;
  cg.standalone = true;
  auto module = generateModule(plan, context, diags, cg);
  if (!module)
    return 1;
  module->setDataLayout(tm->createDataLayout());
  module->setTargetTriple(tm->getTargetTriple().str());
  optimizeModule(*module, *tm, options.optLevel);

  // The object file, next to the output while it is linked.
  llvm::SmallString<128> object;
  if (auto ec = llvm::sys::fs::createTemporaryFile("streamc", "o", object)) {
    diags.error({}, "cannot create a temporary object file: " + ec.message());
    return 2;
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(object, ec, llvm::sys::fs::OF_None);
    if (ec) {
      diags.error({}, "cannot write " + std::string(object) + ": " + ec.message());
      return 2;
    }
    llvm::legacy::PassManager pm;
    if (tm->addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
      diags.error({}, "this machine cannot emit object files");
      return 2;
    }
    pm.run(*module);
  }

  // Link with the C++ driver: the runtime is C++ (libstdc++) and uses
  // simdjson, yaml-cpp, xxHash, librdkafka and RE2.
  const char *cxx = std::getenv("CXX");
  auto driver = llvm::sys::findProgramByName(cxx && *cxx ? cxx : "c++");
  if (!driver) {
    diags.error({}, "cannot link: no C++ compiler driver found (set CXX or install g++)");
    llvm::sys::fs::remove(object);
    return 2;
  }
  std::string runtime = runtimeLibrary(options.argv0);
  const std::vector<std::string> libraries = {"-lsimdjson", "-lyaml-cpp", "-lxxhash",
                                              "-lrdkafka", "-lre2", "-lm"};
  std::vector<std::string> args = {*driver, std::string(object), runtime};
  args.insert(args.end(), libraries.begin(), libraries.end());
  args.insert(args.end(), {"-o", options.output});
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::string linkError;
  int rc = llvm::sys::ExecuteAndWait(*driver, refs, std::nullopt, {}, 0, 0, &linkError);
  llvm::sys::fs::remove(object);
  if (rc != 0) {
    diags.error({}, "linking " + options.output + " failed" +
                        (linkError.empty() ? "" : ": " + linkError) + " (command: " + args[0] +
                        " ... " + runtime + " " + llvm::join(libraries, " ") + " -o " +
                        options.output + ")");
    return 2;
  }
  return 0;
}

} // namespace streamc
