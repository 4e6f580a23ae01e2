#include "sema/Imports.h"

#include "parse/Parser.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace streamc {

bool ImportLoader::load(FileId mainFile, Program &program) {
  auto module = parseFile(sm_, mainFile, diags_);
  Module *main = module.get();
  stack_.push_back(mainFile);
  bool ok = visit(*main, program);
  stack_.pop_back();
  program.modules.push_back(std::move(module));
  program.main = main;
  return ok;
}

bool ImportLoader::loadImportsOf(Module &module, Program &program) {
  return visit(module, program);
}

bool ImportLoader::visit(Module &module, Program &program) {
  bool ok = true;
  for (const StmtPtr &stmt : module.stmts) {
    auto *imp = llvm::dyn_cast<ImportDecl>(stmt.get());
    if (!imp)
      continue;
    std::string path;
    if (imp->isPath) {
      fs::path base = fs::path(sm_.name(module.file)).parent_path();
      path = (base / imp->target).lexically_normal().string();
    } else {
      std::string rel = imp->target;
      std::replace(rel.begin(), rel.end(), '.', '/');
      path = (fs::path(stdlibDir_) / (rel + ".stream")).string();
    }
    std::error_code ec;
    std::string canonical = fs::weakly_canonical(path, ec).string();
    if (FileId existing = sm_.findByCanonicalPath(canonical)) {
      auto onStack = std::find(stack_.begin(), stack_.end(), existing);
      if (onStack != stack_.end()) {
        std::string chain;
        for (auto it = onStack; it != stack_.end(); ++it)
          chain += sm_.name(*it) + " -> ";
        chain += sm_.name(existing);
        diags_.error(imp->range(), "import cycle: " + chain);
        ok = false;
      }
      continue; // already loaded: its declarations are in the program once
    }
    std::string why;
    FileId id = sm_.loadFile(path, why);
    if (!id) {
      if (imp->isPath)
        diags_.error(imp->range(), "cannot import \"" + imp->target + "\": " + path + ": " + why);
      else
        diags_.error(imp->range(), "unknown module '" + imp->target + "': no file " + path);
      ok = false;
      continue;
    }
    auto child = parseFile(sm_, id, diags_);
    stack_.push_back(id);
    ok &= visit(*child, program);
    stack_.pop_back();
    program.modules.push_back(std::move(child));
  }
  return ok;
}

std::string defaultStdlibDir(const char *argv0) {
  if (const char *env = std::getenv("STREAMC_STDLIB"))
    return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec && argv0)
    exe = fs::absolute(argv0, ec);
  if (!exe.empty()) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      for (const char *sub : {"stdlib", "share/streamc/stdlib"})
        if (fs::is_directory(dir / sub / "std", ec))
          return (dir / sub).string();
    }
  }
  return STREAMC_SOURCE_STDLIB;
}

} // namespace streamc
