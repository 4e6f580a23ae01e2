#include "jit/Jit.h"

#include "codegen/CodeGen.h"
#include "codegen/Target.h"
#include "jit/RuntimeSymbols.h"

#include <srt/host.h>

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/raw_os_ostream.h>

#include <cstdio>
#include <ostream>

namespace streamc {

namespace {
/// Generates and optimises the module for the host.
std::unique_ptr<llvm::Module> compile(const Plan &plan, DiagnosticEngine &diags, int level,
                                      llvm::LLVMContext &context) {
  std::string error;
  auto tm = hostTargetMachine(level, error);
  if (!tm) {
    diags.error({}, "cannot generate code for this machine: " + error);
    return nullptr;
  }
  auto module = generateModule(plan, context, diags);
  if (!module)
    return nullptr;
  module->setDataLayout(tm->createDataLayout());
  module->setTargetTriple(tm->getTargetTriple().str());
  optimizeModule(*module, *tm, level);
  return module;
}
} // namespace

bool printLlvm(const Plan &plan, DiagnosticEngine &diags, int optLevel, std::ostream &os) {
  llvm::LLVMContext context;
  auto module = compile(plan, diags, optLevel, context);
  if (!module)
    return false;
  llvm::raw_os_ostream out(os);
  module->print(out, nullptr);
  return true;
}

int runPlan(const Plan &plan, DiagnosticEngine &diags, const JitOptions &options) {
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = compile(plan, diags, options.optLevel, *context);
  if (!module)
    return 1;

  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit) {
    diags.error({}, "cannot start the JIT: " + llvm::toString(jit.takeError()));
    return 1;
  }
  // Runtime and C library symbols come from this process.
  auto generator = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!generator) {
    diags.error({}, "cannot start the JIT: " + llvm::toString(generator.takeError()));
    return 1;
  }
  auto &dylib = (*jit)->getMainJITDylib();
  dylib.addGenerator(std::move(*generator));
  llvm::orc::SymbolMap runtime;
  for (const auto &[name, address] : runtimeSymbols())
    runtime[(*jit)->mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                              llvm::JITSymbolFlags::Exported};
  if (auto err = dylib.define(llvm::orc::absoluteSymbols(std::move(runtime)))) {
    diags.error({}, "cannot bind the runtime: " + llvm::toString(std::move(err)));
    return 1;
  }
  if (auto err =
          (*jit)->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
    diags.error({}, "cannot load the generated code: " + llvm::toString(std::move(err)));
    return 1;
  }
  auto entry = (*jit)->lookup(kEntryPoint);
  if (!entry) {
    diags.error({}, "cannot find the generated entry point: " + llvm::toString(entry.takeError()));
    return 1;
  }
  auto *main = entry->toPtr<int (*)(srt_run *, srt_ctx *)>();

  srt_run *run = srt_run_create();
  if (options.config)
    srt_run_use_config(run, options.config);
  if (!options.programName.empty())
    srt_run_set_name(run, options.programName.c_str());
  if (!options.kafkaBrokers.empty())
    srt_run_set_kafka_brokers(run, options.kafkaBrokers.c_str());
  srt_run_set_verbose(run, options.verbose);
  srt_ctx *ctx = srt_ctx_create(run);
  if (options.beforeRun)
    options.beforeRun(run);
  if (options.stopOnSignals)
    srt_run_stop_on_signals(run);
  int status = main(run, ctx);
  if (options.stopOnSignals)
    srt_run_stop_on_signals(nullptr);
  if (options.afterRun)
    options.afterRun(run);
  std::fflush(stdout);
  if (const char *error = srt_run_error(run)) {
    std::fprintf(stderr, "error: %s\n", error);
    if (status == 0) // a fatal error found while running (a stream's bad CSV header)
      status = 2;
  }
  srt_run_report(run, options.verbose);
  srt_ctx_destroy(ctx);
  srt_run_destroy(run);
  return status;
}

} // namespace streamc
