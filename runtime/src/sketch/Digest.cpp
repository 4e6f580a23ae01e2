/// \file
/// The quantile sketch of percentile() and median(): a merging t-digest
/// (Dunning and Ertl, "Computing extremely accurate quantiles using
/// t-digests", 2019) with the arcsine scale function k1.
///
/// Values are appended to a buffer; a full buffer is sorted and merged with
/// the centroids into new centroids, each spanning at most one unit of
/// k1(q) = Compression / (2 pi) * asin(2q - 1). A centroid then covers at most
/// pi / Compression of the ranks (1% at the median, far less in the tails),
/// which bounds the rank error. Two refinements keep results exact where that
/// is cheap: while the digest holds at most Compression values nothing is
/// merged, and a centroid of one repeated value (whatever its weight) is known
/// to be one, so data with few distinct values (status codes, small counts)
/// get exact quantiles too.

#include "srt/abi.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

constexpr double Compression = 300;
/// Values (or centroids of merged digests) buffered before a merge.
constexpr size_t BufferSize = 300;
/// Adjacent centroids together span over one unit of k, and k spans
/// Compression / 2, so merging leaves at most this many.
constexpr size_t MaxCentroids = static_cast<size_t>(Compression) + 1;
/// One unit of k1 as an angle: asin(2q - 1) grows by this much per centroid.
const double UnitAngle = 2 * 3.14159265358979323846 / Compression;
const double CosUnit = std::cos(UnitAngle);
const double SinUnit = std::sin(UnitAngle);

/// The largest rank fraction a centroid that starts at rank fraction `q` may
/// reach: sin(asin(x) + UnitAngle) with x = 2q - 1, expanded so that merging
/// needs no trigonometry.
double centroidLimit(double q) {
  const double x = 2 * q - 1;
  if (x >= CosUnit)
    return 1;
  return (1 + x * CosUnit + std::sqrt(std::max(0.0, 1 - x * x)) * SinUnit) / 2;
}

/// Linear interpolation at `x` between points (x0, y0) and (x1, y1).
double interpolate(double x, double x0, double y0, double x1, double y1) {
  return x1 <= x0 ? y1 : y0 + (x - x0) / (x1 - x0) * (y1 - y0);
}

struct Centroid {
  double mean;
  uint64_t weight : 63;
  uint64_t mixed : 1; ///< 0: every value in it equals `mean`

  bool before(const Centroid &other) const { return mean < other.mean; }
};
static_assert(sizeof(Centroid) == 16, "a centroid is two words");

class TDigest {
public:
  void add(double x) {
    if (std::isnan(x))
      return;
    push({x, 1, 0});
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }

  void addAll(const TDigest &other) {
    for (const Centroid &c : other.centroids_)
      push(c);
    for (const Centroid &c : other.unmerged_)
      push(c);
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }

  /// The q-quantile with percentile_cont's interpolation between positions
  /// 0 .. count - 1: the minimum stands at 0 and the maximum at count - 1; a
  /// centroid of one value of weight w whose first value has position s fills
  /// positions s .. s + w - 1; a mixed centroid stands at its centre,
  /// s + (w - 1) / 2.
  double quantile(double q) {
    compress();
    if (centroids_.empty() || std::isnan(q))
      return NAN;
    if (q <= 0)
      return min_;
    if (q >= 1)
      return max_;
    const double position = q * static_cast<double>(count_ - 1);
    double start = 0; // position of the first value of `c`
    double lastPosition = 0, lastValue = min_;
    for (const Centroid &c : centroids_) {
      const auto weight = static_cast<double>(c.weight);
      const double first = c.mixed ? start + (weight - 1) / 2 : start;
      const double last = c.mixed ? first : start + weight - 1;
      if (position < first)
        return clamp(interpolate(position, lastPosition, lastValue, first, c.mean));
      if (position <= last)
        return c.mean;
      lastPosition = last;
      lastValue = c.mean;
      start += weight;
    }
    return clamp(
        interpolate(position, lastPosition, lastValue, static_cast<double>(count_ - 1), max_));
  }

private:
  std::vector<Centroid> centroids_; ///< sorted by mean
  std::vector<Centroid> unmerged_;  ///< the buffer
  uint64_t count_ = 0;              ///< total weight
  double min_ = INFINITY;
  double max_ = -INFINITY;

  double clamp(double x) const { return std::clamp(x, min_, max_); }

  void push(const Centroid &c) {
    if (unmerged_.size() == unmerged_.capacity()) // grows to BufferSize, no further
      unmerged_.reserve(std::min(BufferSize, std::max<size_t>(16, 2 * unmerged_.capacity())));
    unmerged_.push_back(c);
    count_ += c.weight;
    if (unmerged_.size() >= BufferSize)
      compress();
  }

  /// Merges the buffer into the centroids.
  void compress() {
    if (unmerged_.empty())
      return;
    std::sort(unmerged_.begin(), unmerged_.end(),
              [](const Centroid &a, const Centroid &b) { return a.before(b); });
    // The next centroids are built in scratch space shared by the digests of
    // a thread, then copied: a digest holds no second array of centroids.
    static thread_local std::vector<Centroid> merged;
    merged.clear();
    merged.reserve(MaxCentroids);
    // While every value is its own centroid nothing is merged.
    const bool exact = count_ <= Compression;
    const auto total = static_cast<double>(count_);
    double before = 0; // weight of the centroids emitted
    double limit = total * centroidLimit(0);
    Centroid current{};
    auto a = centroids_.begin(), b = unmerged_.begin();
    for (bool first = true; a != centroids_.end() || b != unmerged_.end(); first = false) {
      const bool fromBuffer = a == centroids_.end() || (b != unmerged_.end() && b->before(*a));
      const Centroid &next = fromBuffer ? *b++ : *a++;
      if (first) {
        current = next;
        continue;
      }
      const auto weight = static_cast<double>(current.weight + next.weight);
      const bool sameValue = !current.mixed && !next.mixed && next.mean == current.mean;
      // Infinities are never averaged with other values (that gives NaN).
      const bool finite = std::isfinite(current.mean) && std::isfinite(next.mean);
      if (!exact && sameValue) {
        current.weight += next.weight;
        continue;
      }
      if (!exact && finite && before + weight <= limit) {
        current.weight += next.weight;
        current.mean += (next.mean - current.mean) * static_cast<double>(next.weight) / weight;
        current.mixed = 1;
        continue;
      }
      merged.push_back(current);
      before += static_cast<double>(current.weight);
      limit = total * centroidLimit(before / total);
      current = next;
    }
    merged.push_back(current);
    if (merged.size() > centroids_.capacity()) // a large digest allocates once
      centroids_.reserve(count_ > Compression ? MaxCentroids : merged.size());
    centroids_.assign(merged.begin(), merged.end());
    unmerged_.clear();
  }
};

// The C entry points call these: an allocation failure terminates instead of
// unwinding into generated code.

void digestAdd(void **digest, double x) noexcept {
  if (!*digest)
    *digest = new TDigest;
  static_cast<TDigest *>(*digest)->add(x);
}

double digestQuantile(void *digest, double q) noexcept {
  return digest ? static_cast<TDigest *>(digest)->quantile(q) : NAN;
}

void digestMerge(void **dst, const void *src) noexcept {
  if (!src)
    return;
  const auto &from = *static_cast<const TDigest *>(src);
  if (!*dst)
    *dst = new TDigest(from);
  else if (*dst == src)
    static_cast<TDigest *>(*dst)->addAll(TDigest(from)); // a digest merged with itself
  else
    static_cast<TDigest *>(*dst)->addAll(from);
}

} // namespace

extern "C" {

void srt_digest_add(void **digest, double x) { digestAdd(digest, x); }

double srt_digest_quantile(void *digest, double q) { return digestQuantile(digest, q); }

void srt_digest_merge(void **dst, const void *src) { digestMerge(dst, src); }

void srt_digest_free(void *digest) { delete static_cast<TDigest *>(digest); }

} // extern "C"
