#pragma once
/// \file
/// A whole program: the main module and every module it imports.

#include "ast/AST.h"

#include <memory>
#include <vector>

namespace streamc {

struct Program {
  /// Every module, in load order: a module comes after the modules it imports,
  /// so the main module is last.
  std::vector<std::unique_ptr<Module>> modules;
  Module *main = nullptr;
};

} // namespace streamc
