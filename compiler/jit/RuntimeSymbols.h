#pragma once
/// \file
/// The runtime entry points generated code may call, with their addresses
/// in this process: the JIT binds generated code to them.

#include <cstdint>
#include <utility>
#include <vector>

namespace streamc {

/// Every `srt_` function generated code can call.
const std::vector<std::pair<const char *, void *>> &runtimeSymbols();

} // namespace streamc
