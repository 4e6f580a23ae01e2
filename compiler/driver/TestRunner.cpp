#include "driver/TestRunner.h"

#include "ast/AST.h"
#include "ast/AstPrinter.h"
#include "jit/Jit.h"
#include "plan/Plan.h"

#include <srt/host.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <ostream>
#include <set>

namespace streamc {
namespace {

using llvm::dyn_cast;

/// At most this many missing (and unexpected) records are listed.
constexpr size_t kListed = 20;

/// A record as a test shows it (fields in the sink's order), and the key
/// it is compared by (fields by name, so records of pipelines that list
/// them in another order compare equal).
struct Row {
  std::string shown;
  std::string key;
};

std::string fieldText(const srt_layout &layout, uint32_t i, const void *record) {
  const srt_field &f = layout.fields[i];
  bool null = srt_field_is_null(&layout, i, record) != 0;
  if (null)
    return "null";
  char buf[40];
  const char *text = nullptr;
  size_t n = srt_format_field(&f, record, buf, &text);
  std::string value(text, n);
  return f.type == SRT_STRING && !null ? quoteString(value) : value;
}

/// An srt_capture_fn: appends the record to a std::vector<Row>.
void captureRow(void *user, const srt_layout *layout, const void *record) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (uint32_t i = 0; i < layout->nfields; ++i)
    if (layout->fields[i].type != SRT_RECORD) // its fields are shown by their dotted names
      fields.emplace_back(layout->fields[i].name, fieldText(*layout, i, record));
  Row row;
  for (const auto &[name, value] : fields)
    row.shown += (row.shown.empty() ? "{" : ", ") + name + ": " + value;
  row.shown += "}";
  std::sort(fields.begin(), fields.end());
  for (const auto &[name, value] : fields)
    row.key += name + '\x1f' + value + '\x1e';
  static_cast<std::vector<Row> *>(user)->push_back(std::move(row));
}

/// The names of a connector and a format, as a program spells them.
const char *connectorName(srt_connector_kind kind) { return srt_connector_of_kind(kind)->name; }
const char *formatName(int code) {
  uint32_t n = 0;
  const srt_format_info *formats = srt_formats(&n);
  for (uint32_t i = 0; i < n; ++i)
    if (formats[i].code == code)
      return formats[i].name;
  return srt_format_default()->name;
}

std::unique_ptr<ConnectorCall>
makeConnector(SourceRange at, const char *name,
              const std::vector<std::pair<std::string, std::string>> &args) {
  std::vector<std::unique_ptr<ConnectorArg>> list;
  for (const auto &[argName, value] : args)
    list.push_back(std::make_unique<ConnectorArg>(at, argName, at,
                                                  std::make_unique<StringLiteral>(at, value)));
  return std::make_unique<ConnectorCall>(at, name, at, std::move(list));
}

TestDecl *findTest(Module &module, const std::string &name) {
  for (StmtPtr &s : module.stmts)
    if (auto *t = dyn_cast<TestDecl>(s.get()); t && t->name == name)
      return t;
  return nullptr;
}

/// Points the program at test \p t: a given source (or table) reads the
/// given connector, the other sources read nothing; an expected sink is
/// captured (it becomes stdout, which the run hands to the capture), the
/// others write nothing.
void applyTest(Program &program, TestDecl &t) {
  for (auto &m : program.modules)
    for (StmtPtr &s : m->stmts) {
      auto given = [&](const std::string &name) -> TestDecl::Given * {
        for (TestDecl::Given &g : t.given)
          if (g.source == name)
            return &g;
        return nullptr;
      };
      if (auto *source = dyn_cast<SourceDecl>(s.get())) {
        if (TestDecl::Given *g = given(source->name))
          std::swap(source->connector, g->connector);
        else
          source->connector =
              makeConnector(source->connector->range(), connectorName(SRT_CONNECTOR_FILE),
                            {{"", "/dev/null"}, {"format", formatName(SRT_FORMAT_JSON)}});
      } else if (auto *table = dyn_cast<TableDecl>(s.get())) {
        if (TestDecl::Given *g = given(table->name))
          std::swap(table->connector, g->connector);
      } else if (auto *sink = dyn_cast<SinkDecl>(s.get())) {
        bool expected =
            std::any_of(t.expect.begin(), t.expect.end(),
                        [&](const TestDecl::Expect &e) { return e.sink == sink->name; });
        SourceRange at = sink->connector->range();
        sink->connector = expected ? makeConnector(at, connectorName(SRT_CONNECTOR_STDOUT),
                                                   {{"format", formatName(SRT_FORMAT_JSON)}})
                                   : makeConnector(at, connectorName(SRT_CONNECTOR_NULL), {});
      }
    }
}

/// `schema <name> { ... }` for \p type and, before it, every schema of a
/// record nested in it (once each).
void declareSchema(const RecordType &type, const std::string &name, std::set<std::string> &done,
                   std::string &text) {
  std::string fields;
  for (const Field &f : type.fields) {
    if (f.type.isRecord() && f.type.record && !done.count(f.type.record->name)) {
      done.insert(f.type.record->name);
      declareSchema(*f.type.record, f.type.record->name, done, text);
    }
    fields += std::string(fields.empty() ? " " : ", ") + "`" + f.name + "`: " + f.type.str();
  }
  text += "schema `" + name + "` {" + fields + " }\n";
}

/// A program that reads an expect's file as records of its sink's type.
std::string expectedProgram(const TestDecl::Expect &e, const Sema &sema) {
  std::string text;
  std::set<std::string> done;
  declareSchema(*e.recordType, "expected__", done, text);
  text += "source expected_" + e.sink + ": `expected__` = " + e.connector->name + "(";
  for (size_t i = 0; i < e.connector->args.size(); ++i) {
    const ConnectorArg &a = *e.connector->args[i];
    std::optional<Value> v = sema.evalConstant(*a.value);
    text += std::string(i ? ", " : "") + (a.name.empty() ? "" : a.name + ": ") +
            (v ? v->str() : "null");
  }
  return text + ")\nsink got = stdout(format: \"json\")\nfrom expected_" + e.sink + " | into got\n";
}

struct Outcome {
  bool passed = true;
  std::vector<std::string> lines; ///< what differs, indented
};

void compare(const std::string &sink, bool ordered, const std::vector<Row> &written,
             const std::vector<Row> &expected, Outcome &outcome) {
  std::map<std::string, std::vector<const Row *>> pending;
  for (const Row &r : expected)
    pending[r.key].push_back(&r);
  std::vector<const Row *> unexpected, missing;
  for (const Row &r : written) {
    auto it = pending.find(r.key);
    if (it == pending.end() || it->second.empty())
      unexpected.push_back(&r);
    else
      it->second.pop_back();
  }
  std::set<const Row *> left;
  for (const auto &[key, rows] : pending)
    left.insert(rows.begin(), rows.end());
  for (const Row &r : expected) // in the file's order
    if (left.count(&r))
      missing.push_back(&r);
  auto plural = [](size_t n) { return std::to_string(n) + (n == 1 ? " record" : " records"); };
  if (missing.empty() && unexpected.empty()) {
    if (!ordered)
      return;
    for (size_t i = 0; i < written.size(); ++i)
      if (written[i].key != expected[i].key) {
        outcome.passed = false;
        outcome.lines.push_back("  " + sink + ": the records match but not their order: record " +
                                std::to_string(i + 1) + " is " + written[i].shown + ", expected " +
                                expected[i].shown);
        return;
      }
    return;
  }
  outcome.passed = false;
  outcome.lines.push_back("  " + sink + ": " + plural(written.size()) + " written, " +
                          plural(expected.size()) + " expected; " + std::to_string(missing.size()) +
                          " missing, " + std::to_string(unexpected.size()) + " unexpected");
  auto list = [&](const std::vector<const Row *> &rows, const std::string &what) {
    std::string label = what + std::string(std::strlen("unexpected") - what.size(), ' ');
    for (size_t i = 0; i < rows.size() && i < kListed; ++i)
      outcome.lines.push_back("    " + label + " " + rows[i]->shown);
    if (rows.size() > kListed)
      outcome.lines.push_back("    ... and " + std::to_string(rows.size() - kListed) + " more " +
                              what);
  };
  list(missing, "missing");
  list(unexpected, "unexpected");
}

class TestRun {
public:
  TestRun(const TestRunOptions &options, std::ostream &err) : options_(options), err_(err) {}

  /// Runs test \p name: false when it failed (what differs in \p outcome).
  void run(const std::string &name, Outcome &outcome) {
    Compiler compiler(options_.compiler);
    DiagnosticEngine &diags = compiler.diagnostics();
    TestDecl *test = nullptr;
    if (compiler.load(options_.file))
      test = findTest(*compiler.program().main, name);
    if (test)
      applyTest(compiler.program(), *test);
    if (!test || !compiler.analyze() || !compiler.buildPlan() || !compiler.optimize()) {
      diags.flush(err_, options_.color);
      fail(outcome, "  the program does not compile for this test");
      return;
    }
    std::map<std::string, std::vector<Row>> written;
    for (const TestDecl::Expect &e : test->expect)
      written[e.sink];
    JitOptions jit;
    jit.optLevel = options_.optLevel;
    jit.programName = options_.file;
    jit.beforeRun = [&](srt_run *run) {
      for (auto &[sink, rows] : written)
        srt_run_capture_sink(run, sink.c_str(), &captureRow, &rows);
    };
    int status = runPlan(*compiler.plan(), diags, jit);
    diags.flush(err_, options_.color);
    if (status != 0) {
      fail(outcome, "  the run failed (see above)");
      return;
    }
    for (const TestDecl::Expect &e : test->expect) {
      std::vector<Row> expected;
      if (!readExpected(e, compiler.sema(), expected, outcome))
        continue;
      compare(e.sink, e.ordered, written[e.sink], expected, outcome);
    }
  }

private:
  static void fail(Outcome &outcome, std::string line) {
    outcome.passed = false;
    outcome.lines.push_back(std::move(line));
  }

  /// Reads what \p e expects through a program of its own (so the file is
  /// read, typed and checked as any source is).
  bool readExpected(const TestDecl::Expect &e, const Sema &sema, std::vector<Row> &rows,
                    Outcome &outcome) {
    CompilerOptions options = options_.compiler;
    options.params.clear();
    options.paramOrigins.clear();
    Compiler compiler(options);
    DiagnosticEngine &diags = compiler.diagnostics();
    std::string what = "<the records test expects of " + e.sink + ">";
    if (!compiler.loadBuffer(what, expectedProgram(e, sema)) || !compiler.analyze() ||
        !compiler.buildPlan() || !compiler.optimize()) {
      diags.flush(err_, options_.color);
      fail(outcome, "  " + e.sink + ": its expected records cannot be read");
      return false;
    }
    int64_t skipped = 0;
    JitOptions jit;
    jit.optLevel = 0;
    jit.beforeRun = [&](srt_run *run) { srt_run_capture_sink(run, "got", &captureRow, &rows); };
    jit.afterRun = [&](srt_run *run) { skipped = srt_run_skipped(run); };
    int status = runPlan(*compiler.plan(), diags, jit);
    diags.flush(err_, options_.color);
    if (status != 0 || skipped > 0) {
      fail(outcome,
           "  " + e.sink + ": " +
               (status != 0 ? std::string("its expected records cannot be read")
                : skipped == 1
                    ? "1 expected record does not fit the sink's records " + e.recordType->str()
                    : std::to_string(skipped) + " expected records do not fit the sink's records " +
                          e.recordType->str()) +
               " (see above)");
      return false;
    }
    return true;
  }

  const TestRunOptions &options_;
  std::ostream &err_;
};

} // namespace

int runTests(const TestRunOptions &options, std::ostream &out, std::ostream &err) {
  // The whole program, its tests included, is checked once first.
  Compiler compiler(options.compiler);
  bool ok = compiler.load(options.file) && compiler.analyze();
  compiler.diagnostics().flush(err, options.color);
  if (!ok)
    return 1;
  std::vector<std::string> names;
  for (const StmtPtr &s : compiler.program().main->stmts)
    if (auto *t = dyn_cast<TestDecl>(s.get()))
      names.push_back(t->name);
  if (names.empty()) {
    err << "error: " << options.file << " has no test statements\n";
    return 1;
  }
  std::vector<std::string> selected = options.names.empty() ? names : options.names;
  for (const std::string &n : selected)
    if (std::find(names.begin(), names.end(), n) == names.end()) {
      std::string list;
      for (const std::string &t : names)
        list += (list.empty() ? "" : ", ") + t;
      err << "error: " << options.file << " has no test '" << n << "' (its tests: " << list
          << ")\n";
      return 1;
    }

  size_t failed = 0;
  TestRun runner(options, err);
  for (const std::string &name : selected) {
    Outcome outcome;
    runner.run(name, outcome);
    out << (outcome.passed ? "PASS " : "FAIL ") << name << '\n';
    for (const std::string &line : outcome.lines)
      out << line << '\n';
    out.flush();
    failed += outcome.passed ? 0 : 1;
  }
  out << selected.size() << (selected.size() == 1 ? " test: " : " tests: ")
      << selected.size() - failed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

} // namespace streamc
