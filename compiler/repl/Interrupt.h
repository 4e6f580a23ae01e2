#pragma once
/// \file
/// Ctrl-C in the REPL. While a SigintScope is alive, SIGINT does not end
/// the process: it is remembered, and it stops the run that Ctrl-C points at
/// (srt_run_interrupt). The handler is installed without SA_RESTART, so a
/// read blocked on the terminal (the line editor, a `stdin()` source)
/// returns instead of waiting for more input.

#include <srt/types.h>

#include <csignal>

namespace streamc::repl {

class SigintScope {
public:
  SigintScope();
  ~SigintScope();
  SigintScope(const SigintScope &) = delete;
  SigintScope &operator=(const SigintScope &) = delete;

private:
  struct sigaction previous_;
};

/// Points Ctrl-C at a running program (null: none runs).
void setInterruptTarget(srt_run *run);
/// Whether Ctrl-C was pressed since the last call; forgets it.
bool takeInterrupt();
/// Whether Ctrl-C was pressed and not yet taken.
bool interruptPending();

} // namespace streamc::repl
