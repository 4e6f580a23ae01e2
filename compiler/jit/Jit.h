#pragma once
/// \file
/// `streamc run`: compiles a plan to native code with LLVM's ORC LLJIT and
/// runs it in this process. Runtime functions resolve to the copies linked
/// into `streamc`.

#include "plan/Plan.h"
#include "support/Diagnostics.h"

#include <srt/host.h>

#include <functional>
#include <iosfwd>
#include <string>

namespace streamc {

struct JitOptions {
  int optLevel = 2;
  bool verbose = false;                 ///< the run summary even when nothing went wrong
  const ::srt_config *config = nullptr; ///< --config: source/sink overrides
  std::string programName;              ///< the .stream file (default Kafka groups)
  std::string kafkaBrokers;             ///< --kafka-brokers
  /// SIGINT and SIGTERM stop the run cleanly (`streamc run`; the REPL
  /// handles Ctrl-C itself).
  bool stopOnSignals = false;
  /// Called with the run once the code is compiled, just before it starts
  /// (the REPL captures its table's sink and points Ctrl-C at the run).
  std::function<void(::srt_run *)> beforeRun;
  /// Called when the generated code has returned, before the run's error
  /// and summary are printed and the run is destroyed.
  std::function<void(::srt_run *)> afterRun;
};

/// Compiles and runs \p plan. Compile problems go to \p diags (status 1);
/// a connector failure (missing file, unwritable sink) is printed as one line
/// naming the source or sink (status 2). Otherwise 0.
int runPlan(const Plan &plan, DiagnosticEngine &diags, const JitOptions &options);

/// Generates and optimises the module for \p plan and prints its IR
/// (`--emit=llvm`). Returns false after reporting a problem.
bool printLlvm(const Plan &plan, DiagnosticEngine &diags, int optLevel, std::ostream &os);

} // namespace streamc
