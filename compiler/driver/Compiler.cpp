#include "driver/Compiler.h"

#include "opt/PassManager.h"
#include "plan/PlanBuilder.h"
#include "sema/Imports.h"

#include <iostream>

namespace streamc {

Compiler::Compiler(CompilerOptions options)
    : options_(std::move(options)), diags_(sources_), sema_(sources_, diags_) {}

Compiler::~Compiler() = default;

bool Compiler::load(const std::string &path) {
  std::string why;
  mainFile_ = sources_.loadFile(path, why);
  if (!mainFile_) {
    diags_.error({}, "cannot read '" + path + "': " + why);
    return false;
  }
  ImportLoader loader(sources_, diags_, options_.stdlibDir);
  bool ok = loader.load(mainFile_, program_);
  return ok && !diags_.hasErrors();
}

bool Compiler::loadBuffer(const std::string &name, std::string text) {
  unsigned errorsBefore = diags_.errorCount();
  mainFile_ = sources_.addBuffer(name, std::move(text));
  ImportLoader loader(sources_, diags_, options_.stdlibDir);
  bool ok = loader.load(mainFile_, program_);
  return ok && diags_.errorCount() == errorsBefore;
}

bool Compiler::analyze() {
  sema_.setParamOverrides(options_.params);
  sema_.setParamOrigins(options_.paramOrigins);
  sema_.setWarnUnusedLets(options_.warnUnusedLets);
  sema_.setTestsNeedPipelines(options_.testsNeedPipelines);
  return sema_.check(program_) && !diags_.hasErrors();
}

bool Compiler::buildPlan() {
  plan_ = streamc::buildPlan(program_, sema_, sources_);
  return plan_ != nullptr;
}

bool Compiler::optimize() {
  PassOptions passOptions;
  passOptions.inlineParams = options_.inlineParams;
  PassManager pm(passOptions);
  pm.addDefaultPipeline();
  for (const std::string &name : options_.disabledPasses)
    pm.disable(name);
  for (const std::string &unknown : pm.unknownDisabled()) {
    std::string list;
    for (const std::string &n : pm.passNames())
      list += (list.empty() ? "" : ", ") + n;
    diags_.error({}, "unknown pass '" + unknown + "' in --disable-pass (passes: " + list + ")");
  }
  if (diags_.hasErrors())
    return false;
  std::string error;
  if (!pm.run(*plan_, error)) {
    diags_.error({}, "internal compiler error: " + error);
    return false;
  }
  if (options_.timePasses)
    pm.printTimings(std::cerr);
  return true;
}

} // namespace streamc
