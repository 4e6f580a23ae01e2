/// \file
/// The string slot of min, max, first and last over strings (and arg_max's
/// value): an owned copy of the string, reallocated only to grow.

#include "srt/abi.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

extern "C" void srt_agg_string_set(srt_agg_string *slot, const char *ptr, int64_t len) {
  if (len > slot->cap) {
    int64_t cap = std::max<int64_t>(len, 2 * slot->cap);
    std::free(slot->ptr);
    slot->ptr = static_cast<char *>(std::malloc(static_cast<size_t>(std::max<int64_t>(cap, 1))));
    slot->cap = cap;
  }
  if (len > 0)
    std::memcpy(slot->ptr, ptr, static_cast<size_t>(len));
  slot->len = len;
}

extern "C" void srt_agg_string_free(srt_agg_string *slot) {
  std::free(slot->ptr);
  slot->ptr = nullptr;
  slot->len = slot->cap = 0;
}
