#pragma once
/// \file
/// A window's aggregate state as the runtime sees it: bytes it zeroes,
/// merges and frees through the functions the compiler generated for the
/// window (srt_window_desc). Internal to the runtime.

#include "srt/types.h"

#include <cstdint>
#include <cstring>

struct AggOps {
  explicit AggOps(const srt_window_desc &desc)
      : merge(desc.merge), destroy(desc.destroy), size(desc.state_size) {}
  srt_state_merge_fn merge;
  srt_state_free_fn destroy;
  uint32_t size;
  /// Some aggregate owns memory (a string copy, a sketch) that must be freed.
  bool ownsMemory() const { return destroy != nullptr; }
};

/// Folds \p src into \p dst (both states of the same window).
inline void mergeAggState(const AggOps &ops, void *dst, const void *src) { ops.merge(dst, src); }

/// Frees what a state owns and zeroes it, ready to be reused.
inline void destroyAggState(const AggOps &ops, void *state) {
  if (!ops.ownsMemory())
    return;
  ops.destroy(state);
  std::memset(state, 0, ops.size);
}
