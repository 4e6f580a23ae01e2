#pragma once
/// \file
/// Merging and freeing windows' aggregate states (internal to the runtime).

#include "srt/types.h"

#include <cstdint>
#include <vector>

/// The slots of one window's aggregate state, from its srt_window_desc.
struct AggLayout {
  explicit AggLayout(const srt_window_desc &desc);
  std::vector<srt_agg_desc> slots;
  uint32_t size = 0;
  /// Some slot owns memory (a string copy, a sketch) that must be freed.
  bool ownsMemory = false;
};

/// Folds \p src into \p dst (both states of the same layout).
void mergeAggState(const AggLayout &layout, void *dst, const void *src);
/// Frees what a state owns and zeroes it.
void destroyAggState(const AggLayout &layout, void *state);
