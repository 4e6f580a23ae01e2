/// \file
/// Merging the moments of variance and stddev: the slices of a sliding
/// window and sessions that meet. Updates are generated code (Welford).

#include "srt/abi.h"

extern "C" void srt_agg_moments_merge(srt_agg_moments *dst, const srt_agg_moments *src) {
  // Chan et al.'s pairwise combination of count, mean and M2.
  if (src->n == 0)
    return;
  if (dst->n == 0) {
    *dst = *src;
    return;
  }
  double n = static_cast<double>(dst->n + src->n);
  double delta = src->mean - dst->mean;
  dst->mean += delta * static_cast<double>(src->n) / n;
  dst->m2 +=
      src->m2 + delta * delta * static_cast<double>(dst->n) * static_cast<double>(src->n) / n;
  dst->n += src->n;
}
