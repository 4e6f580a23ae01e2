#include "opt/PassManager.h"

#include <chrono>
#include <cstdio>
#include <ostream>

namespace streamc {

std::vector<std::unique_ptr<Pass>> defaultPipeline() {
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(createInliningPass());
  passes.push_back(createConstantFoldingPass());
  passes.push_back(createFusionPass());
  passes.push_back(createProjectionPruningPass());
  return passes;
}

std::vector<std::string> PassManager::passNames() const {
  std::vector<std::string> names;
  for (const auto &p : passes_)
    names.push_back(p->name());
  return names;
}

std::vector<std::string> PassManager::unknownDisabled() const {
  std::vector<std::string> unknown;
  for (const std::string &d : disabled_) {
    bool found = false;
    for (const auto &p : passes_)
      found |= d == p->name();
    if (!found)
      unknown.push_back(d);
  }
  return unknown;
}

bool PassManager::run(Plan &plan, std::string &error) {
  timings_.clear();
  if (auto problems = verifyPlan(plan); !problems.empty()) {
    error = "the plan is invalid before optimisation: " + problems.front();
    return false;
  }
  for (const auto &pass : passes_) {
    if (disabled_.count(pass->name())) {
      timings_.push_back({pass->name(), 0, false, true});
      continue;
    }
    auto start = std::chrono::steady_clock::now();
    bool changed = pass->run(plan, options_);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    timings_.push_back({pass->name(), ms, changed, false});
    if (auto problems = verifyPlan(plan); !problems.empty()) {
      error =
          "the plan is invalid after pass '" + std::string(pass->name()) + "': " + problems.front();
      return false;
    }
  }
  return true;
}

void PassManager::printTimings(std::ostream &os) const {
  os << "pass timings:\n";
  double total = 0;
  for (const Timing &t : timings_) {
    char buf[160];
    if (t.skipped)
      std::snprintf(buf, sizeof buf, "  %-20s disabled\n", t.name.c_str());
    else
      std::snprintf(buf, sizeof buf, "  %-20s %8.3f ms%s\n", t.name.c_str(), t.ms,
                    t.changed ? "  (changed the plan)" : "");
    os << buf;
    total += t.ms;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "  %-20s %8.3f ms\n", "total", total);
  os << buf;
}

} // namespace streamc
