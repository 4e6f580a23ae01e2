/// \file
/// The `streamc` command line: a thin layer over the Compiler facade.

#include "aot/Aot.h"
#include "ast/AST.h"
#include "ast/AstPrinter.h"
#include "driver/Compiler.h"
#include "driver/TestRunner.h"
#include "jit/Jit.h"
#include "opt/PassManager.h"
#include "parse/Parser.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/Plan.h"
#include "repl/LineEditor.h"
#include "repl/Repl.h"
#include "sema/Imports.h"

#include <CLI/CLI.hpp>
#include <llvm/Support/thread.h>
#include <srt/host.h>

#include <algorithm>
#include <tuple>

#include <filesystem>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

using namespace streamc;

namespace {

/// Exit statuses (LANGUAGE.md §9).
enum Exit { kOk = 0, kCompileError = 1, kConfigError = 2 };

struct CommonArgs {
  std::string file;
  std::string emit;
  std::vector<std::string> params;
  std::vector<std::string> disabledPasses;
  bool timePasses = false;
  std::string color = "auto";
  int optLevel = 2;
  bool verbose = false;
  std::string config;       ///< --config app.yaml
  std::string kafkaBrokers; ///< --kafka-brokers host:port,...
};

/// A loaded configuration (owned).
struct ConfigHandle {
  srt_config *config = nullptr;
  ~ConfigHandle() { srt_config_destroy(config); }
};

/// What to do after the plan is optimised.
enum class Then { Nothing, Run, Build };

bool useColor(const std::string &mode) {
  if (mode == "always")
    return true;
  if (mode == "never")
    return false;
  return isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
}

void addCommonOptions(CLI::App *cmd, CommonArgs &args, bool withEmit) {
  cmd->add_option("file", args.file, "The .stream program")->required();
  if (withEmit)
    cmd->add_option("--emit", args.emit,
                    "Print a stage of compilation: tokens, ast, plan, plan-opt, llvm or dot")
        ->check(CLI::IsMember({"tokens", "ast", "plan", "plan-opt", "llvm", "dot"}));
  cmd->add_option("--param", args.params, "Set a param: --param name=value")->type_name("K=V");
  cmd->add_option("--disable-pass", args.disabledPasses,
                  "Skip an optimisation pass (inline, constant-fold, fusion, projection-pruning)")
      ->type_name("NAME");
  cmd->add_flag("--time-passes", args.timePasses, "Print how long each optimisation pass took");
  cmd->add_option("--color", args.color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("-O", args.optLevel,
                  "Optimisation level of the generated code, 0 to 3 (default 2)")
      ->check(CLI::Range(0, 3));
}

/// Checks a config against the program (LANGUAGE.md §8): every source and
/// sink it names must exist, runtime.dead_letter must name a sink no
/// pipeline writes to, and each override must be an argument its connector
/// takes. Reports every mistake; false if there is one.
bool checkConfig(const Plan &plan, const srt_config *config, DiagnosticEngine &diags) {
  std::vector<const char *> sources, sinks, written;
  std::vector<std::pair<const char *, const char *>> sourceConnectors;
  for (const auto &op : plan.operators()) {
    if (auto *s = llvm::dyn_cast<LogicalSource>(op.get())) {
      sources.push_back(s->sourceName.c_str());
      sourceConnectors.emplace_back(s->sourceName.c_str(), s->connectorName.c_str());
    } else if (auto *k = llvm::dyn_cast<LogicalSink>(op.get())) {
      written.push_back(k->sinkName.c_str());
    }
  }
  for (const Plan::DeclaredSink &d : plan.declaredSinks)
    sinks.push_back(d.name.c_str());
  auto report = [](void *user, const char *message) {
    static_cast<DiagnosticEngine *>(user)->error({}, message);
  };
  uint32_t mistakes =
      srt_config_check_names(config, sources.data(), static_cast<uint32_t>(sources.size()),
                             sinks.data(), static_cast<uint32_t>(sinks.size()), written.data(),
                             static_cast<uint32_t>(written.size()), report, &diags);
  for (auto [name, connector] : sourceConnectors)
    mistakes +=
        srt_config_check_connector(config, SRT_CONFIG_SOURCES, name, connector, report, &diags);
  for (const Plan::DeclaredSink &d : plan.declaredSinks)
    mistakes += srt_config_check_connector(config, SRT_CONFIG_SINKS, d.name.c_str(),
                                           d.connectorName.c_str(), report, &diags);
  return mistakes == 0;
}

EmitAction emitAction(const std::string &s) {
  if (s == "tokens")
    return EmitAction::Tokens;
  if (s == "ast")
    return EmitAction::Ast;
  if (s == "plan")
    return EmitAction::Plan;
  if (s == "plan-opt")
    return EmitAction::PlanOpt;
  if (s == "llvm")
    return EmitAction::Llvm;
  if (s == "dot")
    return EmitAction::Dot;
  return EmitAction::None;
}

/// Runs the stages an action needs, printing what it asks for. Returns the
/// exit status.
int compile(const CommonArgs &args, const char *argv0, EmitAction action, bool inlineParams,
            Then then = Then::Nothing, const std::string &output = "") {
  CompilerOptions options;
  options.stdlibDir = defaultStdlibDir(argv0);
  options.disabledPasses = args.disabledPasses;
  options.timePasses = args.timePasses;
  options.inlineParams = inlineParams;
  bool color = useColor(args.color);
  Compiler compiler(options);
  DiagnosticEngine &diags = compiler.diagnostics();
  auto finish = [&](int status) {
    diags.flush(std::cerr, color);
    return status;
  };

  // A misspelt pass name is a usage error, found before compiling.
  {
    PassManager pm{PassOptions{}};
    pm.addDefaultPipeline();
    for (const std::string &name : args.disabledPasses)
      pm.disable(name);
    if (!pm.unknownDisabled().empty()) {
      std::string list;
      for (const std::string &n : pm.passNames())
        list += (list.empty() ? "" : ", ") + n;
      for (const std::string &bad : pm.unknownDisabled()) {
        std::string near = closestMatch(bad, pm.passNames());
        diags.error({}, "unknown pass '" + bad + "' in --disable-pass" +
                            (near.empty() ? "" : "; did you mean '" + near + "'?") +
                            " (passes: " + list + ")");
      }
      return finish(kConfigError);
    }
  }

  // The config's params first: --param wins over them.
  // Every mistake of the config is reported: those of the file itself
  // here, those against the program once it is checked.
  ConfigHandle config;
  unsigned configMistakes = 0;
  if (!args.config.empty()) {
    srt_run *scratch = srt_run_create();
    config.config = srt_config_load(scratch, args.config.c_str());
    if (!config.config)
      diags.error({}, srt_run_error(scratch));
    srt_run_destroy(scratch);
    if (!config.config)
      return finish(kConfigError);
    configMistakes = srt_config_error_count(config.config);
    for (uint32_t i = 0; i < configMistakes; ++i)
      diags.error({}, srt_config_error(config.config, i));
    for (uint32_t i = 0; i < srt_config_count(config.config, SRT_CONFIG_PARAMS); ++i) {
      const char *name = srt_config_name(config.config, SRT_CONFIG_PARAMS, i, nullptr);
      compiler.setParam(name, srt_config_param(config.config, name),
                        srt_config_where(config.config, SRT_CONFIG_PARAMS, i));
    }
  }

  for (const std::string &kv : args.params) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      diags.error({}, "--param expects name=value, found '" + kv + "'");
      return finish(kConfigError);
    }
    compiler.setParam(kv.substr(0, eq), kv.substr(eq + 1)); // typed in analyze()
  }

  if (action == EmitAction::Tokens) {
    std::string why;
    FileId file = compiler.sources().loadFile(args.file, why);
    if (!file) {
      diags.error({}, "cannot read '" + args.file + "': " + why);
      return finish(kCompileError);
    }
    for (const TokenInfo &t : lexFile(compiler.sources(), file, diags))
      std::cout << compiler.sources().describe(t.range.start()) << ": " << t.kind
                << (t.text.empty() ? "" : " '" + t.text + "'") << "\n";
    return finish(diags.hasErrors() ? kCompileError : kOk);
  }

  bool loaded = compiler.load(args.file);
  if (!compiler.mainFile())
    return finish(kCompileError);
  bool checked = compiler.analyze() && loaded;
  if (action == EmitAction::Ast) {
    printAst(std::cout, *compiler.program().main, compiler.sources());
    return finish(checked ? kOk : kCompileError);
  }
  if (!checked) {
    // Only mistakes of the config and --param: the program is fine, its
    // configuration not; the config's other mistakes are reported too.
    bool configOnly =
        compiler.diagnostics().errorCount() == compiler.sema().configErrorCount() + configMistakes;
    if (configOnly && config.config && compiler.buildPlan())
      checkConfig(*compiler.plan(), config.config, diags);
    return finish(configOnly ? kConfigError : kCompileError);
  }

  if (!compiler.buildPlan())
    return finish(kCompileError);
  if (config.config && !checkConfig(*compiler.plan(), config.config, diags))
    return finish(kConfigError);
  if (action == EmitAction::Plan) {
    printPlan(std::cout, *compiler.plan(), compiler.sources());
    return finish(kOk);
  }
  if (!compiler.optimize())
    return finish(kCompileError);
  if (action == EmitAction::PlanOpt) {
    printPlan(std::cout, *compiler.plan(), compiler.sources());
    return finish(kOk);
  }
  if (action == EmitAction::Dot) {
    printPlanDot(std::cout, *compiler.plan());
    return finish(kOk);
  }
  if (action == EmitAction::Llvm)
    return finish(printLlvm(*compiler.plan(), diags, args.optLevel, std::cout) ? kOk
                                                                               : kCompileError);
  if (then == Then::Run) {
    for (const ParamDecl *p : compiler.plan()->params)
      if (!compiler.plan()->paramValues.count(p))
        diags.error(p->nameRange, "param '" + p->name +
                                      "' has no value: give it a default or pass --param " +
                                      p->name + "=...");
    if (diags.hasErrors())
      return finish(kConfigError);
    diags.flush(std::cerr, color); // warnings before the run's output
    JitOptions options;
    options.optLevel = args.optLevel;
    options.verbose = args.verbose;
    options.config = config.config;
    options.programName = args.file;
    options.kafkaBrokers = args.kafkaBrokers;
    options.stopOnSignals = true;
    return finish(runPlan(*compiler.plan(), diags, options));
  }
  if (then == Then::Build) {
    BuildOptions options;
    options.output = output;
    options.optLevel = args.optLevel;
    options.argv0 = argv0;
    return finish(buildExecutable(*compiler.plan(), diags, options));
  }
  return finish(kOk);
}

/// The command line, run on the compiler's thread.
int streamcMain(int argc, char **argv) {
  CLI::App app{"streamc: a compiler for streaming data pipelines", "streamc"};
  app.set_version_flag("--version", std::string("streamc ") + STREAMC_VERSION);
  app.require_subcommand(0, 1);

  CommonArgs checkArgs, runArgs, buildArgs;
  std::string output;

  auto *check = app.add_subcommand("check", "Check a program and report its diagnostics");
  addCommonOptions(check, checkArgs, true);
  auto *run = app.add_subcommand("run", "Compile a program with the JIT and run it");
  addCommonOptions(run, runArgs, false);
  run->add_option("--config", runArgs.config, "YAML configuration file (params, sources, sinks)");
  check->add_option("--config", checkArgs.config,
                    "YAML configuration file to check with the program");
  run->add_option("--kafka-brokers", runArgs.kafkaBrokers,
                  "Kafka bootstrap servers of every Kafka source and sink (host:port,...)");
  run->add_flag("-v,--verbose", runArgs.verbose,
                "Print the run summary even when nothing went wrong");
  auto *test = app.add_subcommand("test", "Run a program's test statements");
  CommonArgs testArgs;
  std::vector<std::string> testNames;
  test->add_option("file", testArgs.file, "The .stream program")->required();
  test->add_option("names", testNames, "The tests to run (default: all)");
  test->add_option("--param", testArgs.params, "Set a param: --param name=value")->type_name("K=V");
  test->add_option("--color", testArgs.color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  test->add_option("-O", testArgs.optLevel, "Optimisation level of the generated code, 0 to 3")
      ->check(CLI::Range(0, 3));
  auto *build = app.add_subcommand("build", "Compile a program to a standalone executable");
  addCommonOptions(build, buildArgs, false);
  build->add_option("-o,--output", output, "The executable to write");
  auto *repl = app.add_subcommand(
      "repl", "Start the interactive shell (reads a script when standard input is not a terminal)");
  std::string replColor = "auto";
  int replOptLevel = 2;
  repl->add_option("--color", replColor, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  repl->add_option("-O", replOptLevel, "Optimisation level of the generated code, 0 to 3")
      ->check(CLI::Range(0, 3));
  std::string genKind, genFormat = srt_format_default()->name;
  int64_t genEvents = 10, genSeed = 0;
  auto *gen = app.add_subcommand("gen", "Write records of a built-in generator to standard output");
  gen->add_option("kind", genKind,
                  "sequence, ysb, nexmark_person, nexmark_auction, nexmark_bid, or ysb-campaigns "
                  "(the YSB ad -> campaign table)")
      ->required();
  gen->add_option("--events", genEvents, "How many records (default 10)")
      ->check(CLI::NonNegativeNumber);
  gen->add_option("--seed", genSeed, "The generator's seed (default 0)");
  gen->add_option("--format", genFormat, "json or csv (default json)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kConfigError;
  }

  if (gen->parsed())
    return srt_gen_main(genKind.c_str(), genEvents, genSeed, genFormat.c_str());
  if (check->parsed())
    return compile(checkArgs, argv[0], emitAction(checkArgs.emit), /*inlineParams=*/true);
  if (run->parsed())
    return compile(runArgs, argv[0], EmitAction::None, /*inlineParams=*/true, Then::Run);
  if (test->parsed()) {
    TestRunOptions options;
    options.file = testArgs.file;
    options.names = testNames;
    options.compiler.stdlibDir = defaultStdlibDir(argv[0]);
    for (const std::string &kv : testArgs.params) {
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "error: --param expects name=value, found '" << kv << "'\n";
        return kConfigError;
      }
      options.compiler.params[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    options.optLevel = testArgs.optLevel;
    options.color = useColor(testArgs.color);
    return runTests(options, std::cout, std::cerr);
  }
  if (build->parsed()) {
    if (output.empty()) // app.stream -> ./app
      output = std::filesystem::path(buildArgs.file).stem().string();
    return compile(buildArgs, argv[0], EmitAction::None, /*inlineParams=*/false, Then::Build,
                   output);
  }
  if (repl->parsed() || argc == 1) {
    if (argc == 1 && !isatty(STDIN_FILENO)) {
      std::cout << app.help();
      return kOk;
    }
    repl::ReplOptions options;
    options.stdlibDir = defaultStdlibDir(argv[0]);
    options.interactive = isatty(STDIN_FILENO);
    options.color = useColor(replColor);
    options.optLevel = replOptLevel;
    options.historyPath = repl::LineEditor::defaultHistoryPath();
    return repl::runRepl(options);
  }
  std::cout << app.help();
  return kOk;
}

} // namespace

/// The front end, the passes and code generation recurse over expressions,
/// as deep as the longest operator chain the parser admits (10,000: see
/// parse/AstBuilder.cpp); they run on a thread whose stack holds that
/// whatever `ulimit -s` says (only the pages used are committed).
constexpr unsigned kCompilerStackBytes = 1024u << 20;

int main(int argc, char **argv) {
  int status = 0;
  llvm::thread compiler(std::optional<unsigned>(kCompilerStackBytes), [&] { status = streamcMain(argc, argv); });
  // Signals (Ctrl-C in the REPL or a run) go to the compiler's thread, which
  // waits for them in ppoll and reads; this one only waits.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  compiler.join();
  return status;
}
