#pragma once
/// \file
/// The context generated code runs in (srt_ctx): the run, the per-record
/// string arena and the record's clock. Runtime files that build strings
/// for expressions (Context.cpp, text/Regex.cpp) allocate from its arena.

#include "srt/types.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

struct srt_ctx {
  srt_run *run = nullptr;
  /// Arena blocks: strings of the current record. Blocks are kept and
  /// reused, so a steady stream allocates nothing.
  std::vector<std::unique_ptr<char[]>> blocks;
  std::vector<size_t> sizes;
  size_t block = 0, used = 0;
  int64_t now = INT64_MIN;

  char *alloc(size_t n) {
    for (;;) {
      if (block < blocks.size() && used + n <= sizes[block]) {
        char *p = blocks[block].get() + used;
        used += n;
        return p;
      }
      if (block < blocks.size() && used > 0) {
        ++block;
        used = 0;
        continue;
      }
      if (block >= blocks.size() || n > sizes[block]) {
        size_t size = std::max<size_t>(n, 64 * 1024);
        blocks.insert(blocks.begin() + static_cast<long>(block), std::make_unique<char[]>(size));
        sizes.insert(sizes.begin() + static_cast<long>(block), size);
        used = 0;
      }
    }
  }
  void reset() {
    block = 0;
    used = 0;
    now = INT64_MIN;
  }
};
