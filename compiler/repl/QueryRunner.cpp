#include "repl/QueryRunner.h"

#include "jit/Jit.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "repl/Interrupt.h"
#include "repl/ResultTable.h"

#include <srt/host.h>

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace streamc::repl {

namespace {

using Clock = std::chrono::steady_clock;

long long millis(Clock::duration d) {
  return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

} // namespace

bool isStreaming(const Plan &plan) {
  for (const auto &op : plan.operators()) {
    auto *src = llvm::dyn_cast<LogicalSource>(op.get());
    if (!src)
      continue;
    if (src->connectorKind == SRT_CONNECTOR_STDIN || src->connectorKind == SRT_CONNECTOR_KAFKA)
      return true;
    if (src->connectorKind == SRT_CONNECTOR_GENERATE) {
      auto events = src->args.find("events");
      auto rate = src->args.find("rate");
      if (events == src->args.end() || events->second.isNull())
        return true;
      if (rate != src->args.end() && !rate->second.isNull() && rate->second.asDouble() > 0)
        return true;
    }
  }
  return false;
}

int runQuery(const Plan &plan, DiagnosticEngine &diags, const QueryOptions &options,
             std::ostream &out) {
  // The implicit sink of a pipeline without `into` becomes the table; the
  // declared sinks it writes are counted for the footer.
  const LogicalSink *tableSink = nullptr;
  std::vector<std::string> declaredSinks;
  for (const auto &op : plan.operators())
    if (auto *sink = llvm::dyn_cast<LogicalSink>(op.get())) {
      if (!sink->decl)
        tableSink = sink;
      else
        declaredSinks.push_back(sink->sinkName);
    }

  std::unique_ptr<ResultTable> table;
  Clock::time_point started{}, ended{};
  bool interrupted = false, failed = false;
  std::vector<int64_t> written(declaredSinks.size(), 0);

  JitOptions jit;
  jit.optLevel = options.optLevel;
  jit.beforeRun = [&](srt_run *run) {
    setInterruptTarget(run);
    if (takeInterrupt()) // Ctrl-C while the query compiled: stop it at once
      srt_run_interrupt(run);
    if (tableSink) {
      table = std::make_unique<ResultTable>(out, *tableSink->inputs[0]->output, options.limit,
                                            isStreaming(plan));
      srt_run_capture_sink(run, tableSink->sinkName.c_str(), &ResultTable::capture, table.get());
    }
    out.flush();
    started = Clock::now();
  };
  jit.afterRun = [&](srt_run *run) {
    ended = Clock::now();
    setInterruptTarget(nullptr);
    interrupted = srt_run_interrupted(run) != 0;
    failed = srt_run_error(run) != nullptr;
    for (size_t i = 0; i < declaredSinks.size(); ++i)
      written[i] = std::max<int64_t>(0, srt_run_sink_written(run, declaredSinks[i].c_str()));
    if (table && !failed)
      table->finish();
    out.flush();
  };

  int status;
  {
    SigintScope ctrlC; // also in a script: Ctrl-C stops the query, not the REPL
    status = runPlan(plan, diags, jit);
  }
  takeInterrupt();
  if (started == Clock::time_point{} || failed)
    return status == 0 ? 2 : status;

  if (interrupted) // after the terminal's echo of ^C, on a line of its own
    out << (isatty(STDOUT_FILENO) ? "\ninterrupted\n" : "interrupted\n");
  std::string footer;
  if (table)
    footer = countRows(table->rows());
  for (size_t i = 0; i < declaredSinks.size(); ++i)
    footer +=
        (footer.empty() ? "" : ", ") + countRows(written[i]) + " written to " + declaredSinks[i];
  if (!footer.empty())
    footer += " \u00b7 ";
  footer += "compiled in " + std::to_string(millis(started - options.compileStart)) +
            " ms \u00b7 ran in " + std::to_string(millis(ended - started)) + " ms";
  out << footer << '\n';
  out.flush();
  return status;
}

} // namespace streamc::repl
