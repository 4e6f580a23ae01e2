#pragma once
/// \file
/// `streamc test` (LANGUAGE.md §8): runs a program's `test` statements. Each
/// test compiles the program again with its `given` sources reading the
/// given connectors (the other sources read nothing, the sinks it does not
/// expect write nothing), runs it with the JIT while capturing the expected
/// sinks, reads each expected file as records of the type its sink is
/// written, and compares the two: as multisets, or as sequences for
/// `expect ordered`.

#include "driver/Compiler.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace streamc {

struct TestRunOptions {
  std::string file;
  /// The tests to run, by name (all when empty).
  std::vector<std::string> names;
  CompilerOptions compiler;
  int optLevel = 2;
  bool color = false;
};

/// Runs the tests; prints `PASS name` or `FAIL name` with what differs to
/// \p out, diagnostics to \p err. Returns 0 when every test passed, 1 when
/// one failed or the program does not compile, 2 when a run failed (a
/// missing input file).
int runTests(const TestRunOptions &options, std::ostream &out, std::ostream &err);

} // namespace streamc
