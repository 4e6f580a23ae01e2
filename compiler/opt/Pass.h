#pragma once
/// \file
/// An optimisation pass over the logical plan. Each pass lives in its own
/// file and is run by the PassManager, which can disable it by name, times it
/// and verifies the plan after it.

#include "plan/Plan.h"

#include <memory>
#include <vector>

namespace streamc {

struct PassOptions {
  /// Substitute param values (known when the program runs under the JIT).
  bool inlineParams = true;
};

class Pass {
public:
  virtual ~Pass() = default;
  /// The name used by --disable-pass.
  virtual const char *name() const = 0;
  virtual const char *description() const = 0;
  /// Rewrites the plan; returns true if it changed anything.
  virtual bool run(Plan &plan, const PassOptions &options) = 0;
};

std::unique_ptr<Pass> createInliningPass();
std::unique_ptr<Pass> createConstantFoldingPass();
std::unique_ptr<Pass> createFusionPass();
std::unique_ptr<Pass> createProjectionPruningPass();

/// The passes in the order the optimiser runs them.
std::vector<std::unique_ptr<Pass>> defaultPipeline();

} // namespace streamc
