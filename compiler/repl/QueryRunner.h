#pragma once
/// \file
/// Runs a query of the REPL: the optimised plan of one pipeline is compiled
/// and run with the JIT (compiler/jit), its rows without `into` shown as a
/// ResultTable, Ctrl-C pointed at the run, then a footer:
/// `3 rows · compiled in 41 ms · ran in 2 ms`. An interrupted query ends as
/// if its sources had ended (open windows fire, sinks are flushed) and says
/// `interrupted` before its footer.

#include "plan/Plan.h"
#include "support/Diagnostics.h"

#include <chrono>
#include <ostream>

namespace streamc::repl {

/// Whether a query runs until Ctrl-C or paces its input, so its rows are
/// shown as they arrive: a source on stdin or Kafka, or a generator without
/// `events` or with a `rate`.
bool isStreaming(const Plan &plan);

struct QueryOptions {
  int optLevel = 2;
  size_t limit = 20; ///< rows a bounded table shows
  /// When compiling the query started (the footer's "compiled in").
  std::chrono::steady_clock::time_point compileStart;
};

/// Compiles and runs \p plan, printing its rows and footer to \p out.
/// Returns 0, 1 after a compile problem (reported to \p diags), or 2 after
/// a run-time failure (printed by the JIT: a missing file, ...).
int runQuery(const Plan &plan, DiagnosticEngine &diags, const QueryOptions &options,
             std::ostream &out);

} // namespace streamc::repl
