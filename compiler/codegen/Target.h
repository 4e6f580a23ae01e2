#pragma once
/// \file
/// The machine code is generated for: the host (JIT, and AOT by default).

#include <llvm/Target/TargetMachine.h>

#include <memory>
#include <string>

namespace streamc {

/// Initialises LLVM's native target once.
void initializeNativeTarget();

/// A target machine for the host at optimisation level \p level (0..3),
/// position-independent (so its objects link into executables). Null, with
/// \p error set, when the host is not supported.
std::unique_ptr<llvm::TargetMachine> hostTargetMachine(int level, std::string &error);

} // namespace streamc
