#pragma once
/// \file
/// `streamc build`: compiles a plan to an object file and links it with the
/// runtime library into a standalone executable that takes `--param`,
/// `--help` and `-v` and needs no compiler to run.

#include "plan/Plan.h"
#include "support/Diagnostics.h"

#include <string>

namespace streamc {

struct BuildOptions {
  std::string output; ///< the executable to write
  int optLevel = 2;
  std::string argv0; ///< to find the runtime library beside an installed streamc
};

/// Returns 0 on success; problems are reported to \p diags (1: the program,
/// 2: the toolchain or the output file).
int buildExecutable(const Plan &plan, DiagnosticEngine &diags, const BuildOptions &options);

} // namespace streamc
