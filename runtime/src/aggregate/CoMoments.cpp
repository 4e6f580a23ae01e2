/// \file
/// The co-moments of regr_slope, regr_intercept, regr_r2, corr, covar_samp
/// and covar_pop (LANGUAGE.md §6.2): merging two (Chan et al.'s pairwise
/// formula) and the statistics, as SQL defines them (PostgreSQL's
/// float8_regr_*). Updates are generated code (Welford).

#include "srt/abi.h"

#include <cmath>
#include <limits>

extern "C" void srt_agg_comoments_merge(srt_agg_comoments *dst, const srt_agg_comoments *src) {
  if (src->n == 0)
    return;
  if (dst->n == 0) {
    *dst = *src;
    return;
  }
  double na = static_cast<double>(dst->n), nb = static_cast<double>(src->n), n = na + nb;
  double dx = src->mean_x - dst->mean_x, dy = src->mean_y - dst->mean_y;
  double weight = na * nb / n;
  dst->mean_x += dx * nb / n;
  dst->mean_y += dy * nb / n;
  dst->m2_x += src->m2_x + dx * dx * weight;
  dst->m2_y += src->m2_y + dy * dy * weight;
  dst->c_xy += src->c_xy + dx * dy * weight;
  dst->n += src->n;
}

extern "C" double srt_agg_comoments_result(const srt_agg_comoments *m, int32_t which) {
  constexpr double undefined = std::numeric_limits<double>::quiet_NaN();
  double n = static_cast<double>(m->n);
  switch (which) {
  case SRT_COVAR_POP:
    return m->n >= 1 ? m->c_xy / n : undefined;
  case SRT_COVAR_SAMP:
    return m->n >= 2 ? m->c_xy / (n - 1) : undefined;
  case SRT_CORR: {
    if (m->n < 2 || m->m2_x <= 0 || m->m2_y <= 0)
      return undefined;
    // One square root where the product is finite (a perfect line gives
    // exactly ±1); clamped, as rounding may take it a hair past ±1.
    double product = m->m2_x * m->m2_y;
    double norm =
        std::isfinite(product) ? std::sqrt(product) : std::sqrt(m->m2_x) * std::sqrt(m->m2_y);
    return std::fmax(-1.0, std::fmin(1.0, m->c_xy / norm));
  }
  case SRT_REGR_SLOPE:
    return m->n >= 2 && m->m2_x > 0 ? m->c_xy / m->m2_x : undefined;
  case SRT_REGR_INTERCEPT:
    return m->n >= 2 && m->m2_x > 0 ? m->mean_y - m->c_xy / m->m2_x * m->mean_x : undefined;
  case SRT_REGR_R2:
    if (m->n < 2 || m->m2_x <= 0)
      return undefined;
    if (m->m2_y <= 0) // y constant: a perfect (flat) fit, as in SQL
      return 1.0;
    return std::fmin(1.0, m->c_xy * m->c_xy / (m->m2_x * m->m2_y));
  default:
    return undefined;
  }
}
