#pragma once
/// \file
/// Code generation: the optimised plan becomes one LLVM module whose entry
/// point, `streamc_main(srt_run*, srt_ctx*)`, opens the sources and sinks
/// and runs one loop per source. Each loop parses a record into a stack
/// struct and runs every downstream stage inline (fused stages are straight-
/// line code, a fan-out is the consumers one after the other), then writes
/// it: no interpretation, virtual call or allocation per record.

#include "plan/Plan.h"
#include "support/Diagnostics.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>

namespace llvm {
class TargetMachine;
}

namespace streamc {

/// The name of the generated entry point.
inline constexpr const char *kEntryPoint = "streamc_main";

struct CodegenOptions {
  /// A standalone executable: params are globals set by `--param` at
  /// start-up (not constants), and the module defines `main`.
  bool standalone = false;
};

/// Generates the module for \p plan. Operators code generation does not
/// support yet are reported (at their location) and yield null.
std::unique_ptr<llvm::Module> generateModule(const Plan &plan, llvm::LLVMContext &context,
                                             DiagnosticEngine &diags,
                                             const CodegenOptions &options = {});

/// Runs LLVM's standard pipeline at -O0..-O3 on \p module.
void optimizeModule(llvm::Module &module, llvm::TargetMachine &target, int level);

} // namespace streamc
