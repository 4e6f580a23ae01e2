/// \file
/// The parts of a window's aggregate state the runtime handles: merging two
/// states (the slices of a sliding window, sessions that meet) and freeing
/// what a state owns. Updates are generated code; these run per window or
/// per merge, never per record.

#include "window/AggState.h"
#include "srt/abi.h"
#include "srt/sketch.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace {

template <typename T> T &slot(void *state, const srt_agg_desc &d) {
  return *reinterpret_cast<T *>(static_cast<char *>(state) + d.offset);
}
template <typename T> const T &slot(const void *state, const srt_agg_desc &d) {
  return *reinterpret_cast<const T *>(static_cast<const char *>(state) + d.offset);
}

int compareStrings(const srt_agg_string &a, const srt_agg_string &b) {
  return srt_str_compare(a.ptr, a.len, b.ptr, b.len);
}

/// Takes src's value when `better` says so; counts src's values either way.
template <typename Better> void mergeValue(srt_agg_value &dst, const srt_agg_value &src, Better better) {
  if (src.n == 0)
    return;
  if (dst.n == 0 || better(src, dst)) {
    dst.v = src.v;
    dst.seq = src.seq;
  }
  dst.n += src.n;
}

template <typename Better>
void mergeString(srt_agg_string &dst, const srt_agg_string &src, Better better) {
  if (src.n == 0)
    return;
  if (dst.n == 0 || better(src, dst)) {
    srt_agg_string_set(&dst, src.ptr, src.len);
    dst.seq = src.seq;
  }
  dst.n += src.n;
}

/// True for the slots destroyAggState frees: string copies and sketches.
bool slotOwnsMemory(uint32_t kind) {
  switch (kind) {
  case SRT_AGG_MIN_STR:
  case SRT_AGG_MAX_STR:
  case SRT_AGG_FIRST_STR:
  case SRT_AGG_LAST_STR:
  case SRT_AGG_DISTINCT:
  case SRT_AGG_HLL:
  case SRT_AGG_DIGEST:
    return true;
  default:
    return false;
  }
}

} // namespace

void mergeAggState(const AggLayout &layout, void *dst, const void *src) {
  for (const srt_agg_desc &d : layout.slots) {
    switch (d.kind) {
    case SRT_AGG_COUNT:
      slot<srt_agg_value>(dst, d).n += slot<srt_agg_value>(src, d).n;
      break;
    case SRT_AGG_SUM_I64: {
      auto &a = slot<srt_agg_value>(dst, d);
      const auto &b = slot<srt_agg_value>(src, d);
      a.v.i = static_cast<int64_t>(static_cast<uint64_t>(a.v.i) + static_cast<uint64_t>(b.v.i));
      a.n += b.n;
      break;
    }
    case SRT_AGG_SUM_F64: {
      auto &a = slot<srt_agg_value>(dst, d);
      const auto &b = slot<srt_agg_value>(src, d);
      a.v.f += b.v.f;
      a.n += b.n;
      break;
    }
    case SRT_AGG_MIN_I64:
      mergeValue(slot<srt_agg_value>(dst, d), slot<srt_agg_value>(src, d),
                 [](auto &s, auto &t) { return s.v.i < t.v.i; });
      break;
    case SRT_AGG_MAX_I64:
      mergeValue(slot<srt_agg_value>(dst, d), slot<srt_agg_value>(src, d),
                 [](auto &s, auto &t) { return s.v.i > t.v.i; });
      break;
    case SRT_AGG_MIN_F64:
      mergeValue(slot<srt_agg_value>(dst, d), slot<srt_agg_value>(src, d),
                 [](auto &s, auto &t) { return s.v.f < t.v.f; });
      break;
    case SRT_AGG_MAX_F64:
      mergeValue(slot<srt_agg_value>(dst, d), slot<srt_agg_value>(src, d),
                 [](auto &s, auto &t) { return s.v.f > t.v.f; });
      break;
    case SRT_AGG_FIRST:
      mergeValue(slot<srt_agg_value>(dst, d), slot<srt_agg_value>(src, d),
                 [](auto &s, auto &t) { return s.seq < t.seq; });
      break;
    case SRT_AGG_LAST:
      mergeValue(slot<srt_agg_value>(dst, d), slot<srt_agg_value>(src, d),
                 [](auto &s, auto &t) { return s.seq > t.seq; });
      break;
    case SRT_AGG_MIN_STR:
      mergeString(slot<srt_agg_string>(dst, d), slot<srt_agg_string>(src, d),
                  [](auto &s, auto &t) { return compareStrings(s, t) < 0; });
      break;
    case SRT_AGG_MAX_STR:
      mergeString(slot<srt_agg_string>(dst, d), slot<srt_agg_string>(src, d),
                  [](auto &s, auto &t) { return compareStrings(s, t) > 0; });
      break;
    case SRT_AGG_FIRST_STR:
      mergeString(slot<srt_agg_string>(dst, d), slot<srt_agg_string>(src, d),
                  [](auto &s, auto &t) { return s.seq < t.seq; });
      break;
    case SRT_AGG_LAST_STR:
      mergeString(slot<srt_agg_string>(dst, d), slot<srt_agg_string>(src, d),
                  [](auto &s, auto &t) { return s.seq > t.seq; });
      break;
    case SRT_AGG_MOMENTS: {
      // Chan et al.'s pairwise combination of count, mean and M2.
      auto &a = slot<srt_agg_moments>(dst, d);
      const auto &b = slot<srt_agg_moments>(src, d);
      if (b.n == 0)
        break;
      if (a.n == 0) {
        a = b;
        break;
      }
      double n = static_cast<double>(a.n + b.n);
      double delta = b.mean - a.mean;
      a.mean += delta * static_cast<double>(b.n) / n;
      a.m2 += b.m2 + delta * delta * static_cast<double>(a.n) * static_cast<double>(b.n) / n;
      a.n += b.n;
      break;
    }
    case SRT_AGG_DISTINCT:
      srt_distinct_merge(&slot<void *>(dst, d), slot<void *>(src, d));
      break;
    case SRT_AGG_HLL:
      srt_hll_merge(&slot<void *>(dst, d), slot<void *>(src, d));
      break;
    case SRT_AGG_DIGEST:
      srt_digest_merge(&slot<void *>(dst, d), slot<void *>(src, d));
      break;
    default:
      break;
    }
  }
}

void destroyAggState(const AggLayout &layout, void *state) {
  if (!layout.ownsMemory)
    return;
  for (const srt_agg_desc &d : layout.slots) {
    switch (d.kind) {
    case SRT_AGG_MIN_STR:
    case SRT_AGG_MAX_STR:
    case SRT_AGG_FIRST_STR:
    case SRT_AGG_LAST_STR:
      std::free(slot<srt_agg_string>(state, d).ptr);
      break;
    case SRT_AGG_DISTINCT:
      srt_distinct_free(slot<void *>(state, d));
      break;
    case SRT_AGG_HLL:
      srt_hll_free(slot<void *>(state, d));
      break;
    case SRT_AGG_DIGEST:
      srt_digest_free(slot<void *>(state, d));
      break;
    default:
      break;
    }
  }
  std::memset(state, 0, layout.size);
}

AggLayout::AggLayout(const srt_window_desc &desc)
    : slots(desc.aggs, desc.aggs + desc.naggs), size(desc.state_size) {
  ownsMemory = std::any_of(slots.begin(), slots.end(),
                           [](const srt_agg_desc &d) { return slotOwnsMemory(d.kind); });
}

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
