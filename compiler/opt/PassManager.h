#pragma once
/// \file
/// Runs the optimisation passes in order: skips the disabled ones, times
/// each, and verifies the plan after each (a violation is a compiler bug,
/// reported with the pass that caused it).

#include "opt/Pass.h"

#include <iosfwd>
#include <set>
#include <string>

namespace streamc {

class PassManager {
public:
  explicit PassManager(PassOptions options) : options_(options) {}

  void add(std::unique_ptr<Pass> pass) { passes_.push_back(std::move(pass)); }
  void addDefaultPipeline() {
    for (auto &p : defaultPipeline())
      add(std::move(p));
  }
  void disable(const std::string &name) { disabled_.insert(name); }
  /// Names given to disable() that are not passes, for a helpful error.
  std::vector<std::string> unknownDisabled() const;
  std::vector<std::string> passNames() const;

  /// Runs the pipeline. Returns false, with \p error set, if the plan fails
  /// verification after a pass.
  bool run(Plan &plan, std::string &error);

  /// Writes each pass's time (after run()) in milliseconds.
  void printTimings(std::ostream &os) const;

private:
  PassOptions options_;
  std::vector<std::unique_ptr<Pass>> passes_;
  std::set<std::string> disabled_;
  struct Timing {
    std::string name;
    double ms;
    bool changed;
    bool skipped;
  };
  std::vector<Timing> timings_;
};

} // namespace streamc
