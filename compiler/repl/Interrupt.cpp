#include "repl/Interrupt.h"

#include <srt/host.h>

#include <atomic>

namespace streamc::repl {

namespace {

std::atomic<srt_run *> target{nullptr};
volatile std::sig_atomic_t pressed = 0;

static_assert(std::atomic<srt_run *>::is_always_lock_free, "read in a signal handler");

extern "C" void onSigint(int) {
  pressed = 1;
  if (srt_run *run = target.load())
    srt_run_interrupt(run);
}

} // namespace

SigintScope::SigintScope() {
  struct sigaction action {};
  action.sa_handler = onSigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; // no SA_RESTART: blocked reads return EINTR
  sigaction(SIGINT, &action, &previous_);
}

SigintScope::~SigintScope() { sigaction(SIGINT, &previous_, nullptr); }

void setInterruptTarget(srt_run *run) { target.store(run); }

bool interruptPending() { return pressed != 0; }

bool takeInterrupt() {
  bool was = pressed != 0;
  pressed = 0;
  return was;
}

} // namespace streamc::repl
