/// \file
/// The learning functions of `extend over` (LANGUAGE.md §6.2), per key:
/// linreg_predict's running co-moments and least-squares solve,
/// logreg_predict's stochastic gradient steps and kmeans_assign's
/// sequential k-means. Generated code calls them per record (the frame's
/// test-then-train order: predict, then learn).

#include "srt/abi.h"

#include <cmath>
#include <limits>

namespace {
constexpr int kMax = SRT_LEARN_MAX_FEATURES + 1;
constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
} // namespace

extern "C" void srt_linreg_add(srt_linreg *m, int32_t k, const double *v) {
  // Welford for the mean vector and the co-moment matrix: with d the
  // deviation from the old mean and e from the new, C += d e^T.
  int dims = k + 1;
  m->n += 1;
  double d[kMax], e[kMax];
  for (int i = 0; i < dims; ++i) {
    d[i] = v[i] - m->mean[i];
    m->mean[i] += d[i] / static_cast<double>(m->n);
    e[i] = v[i] - m->mean[i];
  }
  for (int i = 0; i < dims; ++i)
    for (int j = 0; j < dims; ++j)
      m->c[i * kMax + j] += d[i] * e[j];
}

extern "C" double srt_linreg_predict(const srt_linreg *m, int32_t k, const double *x) {
  if (m->n < k + 1)
    return kUndefined;
  // Solve Sxx b = Sxy (centred: the intercept is mean_y - b . mean_x) by
  // Cholesky; a pivot that vanishes relative to its diagonal (collinear or
  // constant features) leaves the fit undetermined.
  double l[kMax][kMax] = {};
  for (int i = 0; i < k; ++i)
    for (int j = 0; j <= i; ++j) {
      double s = m->c[i * kMax + j];
      for (int p = 0; p < j; ++p)
        s -= l[i][p] * l[j][p];
      if (i == j) {
        double diagonal = m->c[i * kMax + i];
        if (!(s > 1e-12 * diagonal) || !(diagonal > 0))
          return kUndefined;
        l[i][i] = std::sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  double z[kMax], b[kMax];
  for (int i = 0; i < k; ++i) { // L z = Sxy
    double s = m->c[i * kMax + k];
    for (int p = 0; p < i; ++p)
      s -= l[i][p] * z[p];
    z[i] = s / l[i][i];
  }
  for (int i = k - 1; i >= 0; --i) { // L^T b = z
    double s = z[i];
    for (int p = i + 1; p < k; ++p)
      s -= l[p][i] * b[p];
    b[i] = s / l[i][i];
  }
  double y = m->mean[k];
  for (int i = 0; i < k; ++i)
    y += b[i] * (x[i] - m->mean[i]);
  return y;
}

extern "C" double srt_logreg_predict(const srt_logreg *m, int32_t k, const double *x) {
  double z = m->w[0];
  for (int i = 0; i < k; ++i)
    z += m->w[i + 1] * x[i];
  return 1.0 / (1.0 + std::exp(-z));
}

extern "C" void srt_logreg_learn(srt_logreg *m, int32_t k, const double *x, double label,
                                 double rate) {
  double step = rate * (label - srt_logreg_predict(m, k, x));
  m->w[0] += step;
  for (int i = 0; i < k; ++i)
    m->w[i + 1] += step * x[i];
}

extern "C" int64_t srt_kmeans_assign(const srt_kmeans *m, int32_t k, int64_t clusters,
                                     const double *x) {
  if (m->clusters < clusters)
    return m->clusters; // the first records found the centroids
  int64_t best = 0;
  double bestDistance = std::numeric_limits<double>::infinity();
  for (int64_t c = 0; c < m->clusters; ++c) {
    double distance = 0;
    for (int i = 0; i < k; ++i) {
      double d = x[i] - m->c[c * SRT_LEARN_MAX_FEATURES + i];
      distance += d * d;
    }
    if (distance < bestDistance) { // ties keep the lowest index
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

extern "C" void srt_kmeans_learn(srt_kmeans *m, int32_t k, int64_t clusters, const double *x) {
  int64_t c = srt_kmeans_assign(m, k, clusters, x);
  double *centroid = m->c + c * SRT_LEARN_MAX_FEATURES;
  if (c == m->clusters) { // a new centroid, at x
    m->clusters += 1;
    m->n[c] = 1;
    for (int i = 0; i < k; ++i)
      centroid[i] = x[i];
    return;
  }
  m->n[c] += 1;
  for (int i = 0; i < k; ++i)
    centroid[i] += (x[i] - centroid[i]) / static_cast<double>(m->n[c]);
}
