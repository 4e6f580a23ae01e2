/// \file
/// Unit tests of the runtime's aggregate sketches (srt/abi.def): the exact
/// distinct set, HyperLogLog and the t-digest.

#include <srt/abi.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

/// Owns one sketch slot, as an aggregate state would.
template <void (*Free)(void *)> struct Slot {
  void *p = nullptr;
  Slot() = default;
  Slot(const Slot &) = delete;
  Slot &operator=(const Slot &) = delete;
  ~Slot() { Free(p); }
};
using DistinctSlot = Slot<srt_distinct_free>;
using HllSlot = Slot<srt_hll_free>;
using DigestSlot = Slot<srt_digest_free>;

void addI64(void (*add)(void **, const void *, int64_t), void **slot, int64_t v) {
  add(slot, &v, sizeof v);
}
void addStr(void (*add)(void **, const void *, int64_t), void **slot, const std::string &s) {
  add(slot, s.data(), static_cast<int64_t>(s.size()));
}

constexpr double Pi = 3.14159265358979323846;

/// Deterministic random doubles (the standard distributions differ between
/// standard libraries; these transforms do not).
class Random {
public:
  explicit Random(uint64_t seed) : bits_(seed) {}
  double uniform() { return static_cast<double>(bits_() >> 11) * 0x1.0p-53; } // [0, 1)
  double normal() {
    const double u = 1 - uniform(), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * Pi * v);
  }
  double exponential() { return -std::log(1 - uniform()); }

private:
  std::mt19937_64 bits_;
};

/// percentile_cont over sorted `values`: linear interpolation between the
/// closest ranks.
double percentileCont(const std::vector<double> &values, double q) {
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const auto hi = static_cast<size_t>(std::ceil(pos));
  return values[lo] + (pos - std::floor(pos)) * (values[hi] - values[lo]);
}

/// How far (as a fraction of n) the rank of `estimate` in `sorted` is from q.
double rankError(const std::vector<double> &sorted, double estimate, double q) {
  const double n = static_cast<double>(sorted.size());
  const double lo = std::lower_bound(sorted.begin(), sorted.end(), estimate) - sorted.begin();
  const double hi = std::upper_bound(sorted.begin(), sorted.end(), estimate) - sorted.begin();
  const double target = q * n;
  return target < lo ? (lo - target) / n : target > hi ? (target - hi) / n : 0;
}

const double Quantiles[] = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999};

/// The largest rank error of the digest over Quantiles (each at most 1%); min
/// and max exact.
double maxRankError(void *digest, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  EXPECT_EQ(srt_digest_quantile(digest, 0), values.front());
  EXPECT_EQ(srt_digest_quantile(digest, 1), values.back());
  double worst = 0;
  for (double q : Quantiles) {
    const double error = rankError(values, srt_digest_quantile(digest, q), q);
    EXPECT_LE(error, 0.01) << "q = " << q;
    worst = std::max(worst, error);
  }
  return worst;
}

} // namespace

// ------------------------------------------------------------ distinct

TEST(SketchDistinct, NullIsEmpty) {
  EXPECT_EQ(srt_distinct_count(nullptr), 0);
  srt_distinct_free(nullptr);
  void *dst = nullptr;
  srt_distinct_merge(&dst, nullptr);
  EXPECT_EQ(dst, nullptr);
}

TEST(SketchDistinct, StringsWithDuplicates) {
  DistinctSlot set;
  for (const char *s : {"a", "b", "a", "", "ab", "b", "", "ba", "ab"})
    addStr(srt_distinct_add, &set.p, s);
  EXPECT_EQ(srt_distinct_count(set.p), 5); // a b "" ab ba
}

TEST(SketchDistinct, EightByteValues) {
  DistinctSlot set;
  for (int round = 0; round < 3; ++round)
    for (int64_t v = -500; v < 500; ++v)
      addI64(srt_distinct_add, &set.p, v);
  EXPECT_EQ(srt_distinct_count(set.p), 1000);
  const double zero = 0.0, one = 1.0;
  srt_distinct_add(&set.p, &zero, 8); // the same bytes as int64 0
  srt_distinct_add(&set.p, &one, 8);
  EXPECT_EQ(srt_distinct_count(set.p), 1001);
}

TEST(SketchDistinct, PrefixesOfOneBufferDiffer) {
  // Lengths up to 20000 also cover multi-byte stored lengths.
  std::string bytes(20000, 'x');
  DistinctSlot set;
  for (int64_t len = 0; len <= 300; ++len)
    srt_distinct_add(&set.p, bytes.data(), len);
  srt_distinct_add(&set.p, bytes.data(), 20000);
  srt_distinct_add(&set.p, bytes.data(), 20000);
  EXPECT_EQ(srt_distinct_count(set.p), 302);
}

TEST(SketchDistinct, ManyNearIdenticalStringsAreExact) {
  DistinctSlot set;
  std::string s(200, 'k');
  for (int i = 0; i < 50000; ++i) {
    std::string key = s + std::to_string(i);
    addStr(srt_distinct_add, &set.p, key);
    key[i % 200] = 'j'; // differs from the first in one byte
    addStr(srt_distinct_add, &set.p, key);
    addStr(srt_distinct_add, &set.p, key);
  }
  EXPECT_EQ(srt_distinct_count(set.p), 100000);
}

TEST(SketchDistinct, ManyValuesAreExact) {
  DistinctSlot set;
  for (int64_t v = 0; v < 200000; ++v) {
    addI64(srt_distinct_add, &set.p, v * 7919);
    addI64(srt_distinct_add, &set.p, (v / 2) * 7919); // already there
  }
  EXPECT_EQ(srt_distinct_count(set.p), 200000);
}

TEST(SketchDistinct, MergeOfOverlappingSets) {
  DistinctSlot a, b;
  for (int64_t v = 0; v < 1000; ++v)
    addI64(srt_distinct_add, &a.p, v);
  for (int64_t v = 500; v < 1500; ++v)
    addStr(srt_distinct_add, &b.p, "s" + std::to_string(v));
  for (int64_t v = 500; v < 1500; ++v)
    addI64(srt_distinct_add, &b.p, v);
  srt_distinct_merge(&a.p, b.p);
  EXPECT_EQ(srt_distinct_count(a.p), 2500);
  EXPECT_EQ(srt_distinct_count(b.p), 2000);
  srt_distinct_merge(&a.p, a.p); // with itself: no change
  EXPECT_EQ(srt_distinct_count(a.p), 2500);

  // Into an empty slot: a copy that shares nothing with its source.
  DistinctSlot copy;
  srt_distinct_merge(&copy.p, b.p);
  srt_distinct_free(b.p);
  b.p = nullptr;
  EXPECT_EQ(srt_distinct_count(copy.p), 2000);
  addStr(srt_distinct_add, &copy.p, "s600");
  addStr(srt_distinct_add, &copy.p, "new");
  EXPECT_EQ(srt_distinct_count(copy.p), 2001);
}

// ----------------------------------------------------------------- HLL

TEST(SketchHll, NullIsEmpty) {
  EXPECT_EQ(srt_hll_count(nullptr), 0);
  srt_hll_free(nullptr);
  void *dst = nullptr;
  srt_hll_merge(&dst, nullptr);
  EXPECT_EQ(dst, nullptr);
}

TEST(SketchHll, ExactUpTo256) {
  HllSlot hll;
  for (int64_t n = 1; n <= 256; ++n) {
    addI64(srt_hll_add, &hll.p, n * 1000003);
    addI64(srt_hll_add, &hll.p, (n / 2 + 1) * 1000003); // a duplicate
    ASSERT_EQ(srt_hll_count(hll.p), n);
  }
  addStr(srt_hll_add, &hll.p, "");
  EXPECT_NEAR(static_cast<double>(srt_hll_count(hll.p)), 257, 3) << "dense: linear counting";
}

/// The relative error of the HyperLogLog count of n distinct 8-byte values
/// (a different set per seed).
double hllError(uint64_t seed, int64_t n) {
  HllSlot hll;
  const auto base = static_cast<int64_t>(seed << 40);
  for (int64_t i = 0; i < n; ++i)
    addI64(srt_hll_add, &hll.p, base + i);
  return static_cast<double>(srt_hll_count(hll.p) - n) / static_cast<double>(n);
}

TEST(SketchHll, RelativeErrorWithin2Percent) {
  for (uint64_t seed : {1, 2, 3})
    for (int64_t n : {1000, 10000, 100000, 1000000})
      EXPECT_LE(std::abs(hllError(seed, n)), 0.02) << "seed " << seed << ", n " << n;
}

TEST(SketchHll, ErrorMatchesPrecision14) {
  // The standard error is 1.04 / sqrt(16384) = 0.81%: 2% is 2.5 standard
  // errors, so a few estimates in a hundred may pass 2%, none 3.5%.
  double squares = 0;
  int estimates = 0;
  for (uint64_t seed = 10; seed < 16; ++seed)
    for (int64_t n : {300, 3000, 11000, 12000, 30000, 50000, 80000, 200000}) {
      const double error = hllError(seed, n);
      EXPECT_LE(std::abs(error), 0.035) << "seed " << seed << ", n " << n;
      squares += error * error;
      ++estimates;
    }
  EXPECT_LE(std::sqrt(squares / estimates), 0.01);
}

TEST(SketchHll, Strings) {
  HllSlot hll;
  for (int i = 0; i < 50000; ++i)
    addStr(srt_hll_add, &hll.p, "user-" + std::to_string(i % 20000));
  EXPECT_NEAR(static_cast<double>(srt_hll_count(hll.p)), 20000, 400);
}

/// Sketches of [from, to) and of values added to one sketch: merging must
/// give exactly the sketch of the union.
TEST(SketchHll, MergeEqualsSketchOfUnion) {
  struct Case {
    int64_t aFrom, aTo, bFrom, bTo;
  };
  const Case cases[] = {
      {0, 100, 50, 150},         // exact + exact
      {0, 200, 200, 400},        // exact + exact, overflowing
      {0, 100, 0, 50000},        // exact + dense
      {0, 50000, 49950, 50100},  // dense + exact
      {0, 60000, 30000, 100000}, // dense + dense
      {0, 300000, 100, 1000000}, // dense + dense
  };
  for (const Case &c : cases) {
    HllSlot a, b, both;
    for (int64_t v = c.aFrom; v < c.aTo; ++v) {
      addI64(srt_hll_add, &a.p, v);
      addI64(srt_hll_add, &both.p, v);
    }
    for (int64_t v = c.bFrom; v < c.bTo; ++v) {
      addI64(srt_hll_add, &b.p, v);
      addI64(srt_hll_add, &both.p, v);
    }
    const int64_t bCount = srt_hll_count(b.p);
    srt_hll_merge(&a.p, b.p);
    const int64_t truth = std::max(c.aTo, c.bTo) - std::min(c.aFrom, c.bFrom);
    EXPECT_EQ(srt_hll_count(a.p), srt_hll_count(both.p)) << c.aTo << " " << c.bTo;
    EXPECT_NEAR(static_cast<double>(srt_hll_count(a.p)), truth, 0.02 * truth);
    if (truth <= 256)
      EXPECT_EQ(srt_hll_count(a.p), truth);
    EXPECT_EQ(srt_hll_count(b.p), bCount) << "the source is unchanged";

    // Into an empty slot: a copy that shares nothing with its source.
    HllSlot copy;
    srt_hll_merge(&copy.p, a.p);
    srt_hll_free(a.p);
    a.p = nullptr;
    EXPECT_EQ(srt_hll_count(copy.p), srt_hll_count(both.p));
  }
}

// -------------------------------------------------------------- digest

TEST(SketchDigest, ExactForSmallInputs) {
  auto quantile = [](std::vector<double> values, double q) {
    DigestSlot d;
    for (double v : values)
      srt_digest_add(&d.p, v);
    return srt_digest_quantile(d.p, q);
  };
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  std::vector<double> hundred;
  for (int i = 100; i >= 1; --i)
    hundred.push_back(i);
  EXPECT_DOUBLE_EQ(quantile(hundred, 0.95), 95.05);
  EXPECT_DOUBLE_EQ(quantile(hundred, 0.5), 50.5);
  EXPECT_DOUBLE_EQ(quantile({-5, -1, -3}, 0.5), -3);
  EXPECT_DOUBLE_EQ(quantile({-5, -1, -3}, 0.25), -4);
  EXPECT_DOUBLE_EQ(quantile({2, 5, 2, 2}, 0.5), 2);
  EXPECT_DOUBLE_EQ(quantile({2, 5, 2, 2}, 0.9), 4.1);
  EXPECT_DOUBLE_EQ(quantile({2, 5, 2, 2}, 0), 2);
  EXPECT_DOUBLE_EQ(quantile({2, 5, 2, 2}, 1), 5);
  for (double q : {0.0, 0.3, 0.5, 1.0})
    EXPECT_DOUBLE_EQ(quantile({7}, q), 7);
}

TEST(SketchDigest, ExactUpTo300ValuesAlsoAfterMerges) {
  Random random(42);
  for (size_t n : {1, 2, 3, 10, 150, 299, 300}) {
    std::vector<double> values;
    for (size_t i = 0; i < n; ++i) // with duplicates
      values.push_back(std::round(random.normal() * 20) / 4);
    DigestSlot whole, half, otherHalf;
    for (size_t i = 0; i < n; ++i) {
      srt_digest_add(&whole.p, values[i]);
      srt_digest_add(i % 2 ? &half.p : &otherHalf.p, values[i]);
    }
    srt_digest_merge(&half.p, otherHalf.p);
    std::sort(values.begin(), values.end());
    for (double q = 0; q <= 1; q += 0.01) {
      const double expected = percentileCont(values, q);
      EXPECT_DOUBLE_EQ(srt_digest_quantile(whole.p, q), expected) << "n " << n << ", q " << q;
      EXPECT_DOUBLE_EQ(srt_digest_quantile(half.p, q), expected) << "n " << n << ", q " << q;
    }
  }
}

TEST(SketchDigest, NullNanAndCopies) {
  EXPECT_TRUE(std::isnan(srt_digest_quantile(nullptr, 0.5)));
  srt_digest_free(nullptr);
  DigestSlot d, copy;
  srt_digest_merge(&d.p, nullptr);
  EXPECT_EQ(d.p, nullptr);
  srt_digest_add(&d.p, NAN);
  EXPECT_TRUE(std::isnan(srt_digest_quantile(d.p, 0.5)));
  for (int i = 1; i <= 1000; ++i)
    srt_digest_add(&d.p, i);
  srt_digest_add(&d.p, NAN);
  srt_digest_merge(&copy.p, d.p);
  srt_digest_free(d.p);
  d.p = nullptr;
  EXPECT_EQ(srt_digest_quantile(copy.p, 0), 1);
  EXPECT_EQ(srt_digest_quantile(copy.p, 1), 1000);
  EXPECT_NEAR(srt_digest_quantile(copy.p, 0.5), 500.5, 10);
  srt_digest_merge(&copy.p, copy.p); // with itself: every value twice
  EXPECT_NEAR(srt_digest_quantile(copy.p, 0.25), 250.5, 10);
  EXPECT_EQ(srt_digest_quantile(copy.p, 1), 1000);
}

TEST(SketchDigest, InfinitiesStayAtTheEnds) {
  DigestSlot d;
  for (int round = 0; round < 3; ++round) {
    srt_digest_add(&d.p, -INFINITY);
    srt_digest_add(&d.p, INFINITY);
  }
  for (int i = 1; i <= 100000; ++i)
    srt_digest_add(&d.p, i);
  EXPECT_EQ(srt_digest_quantile(d.p, 0), -INFINITY);
  EXPECT_EQ(srt_digest_quantile(d.p, 0.00001), -INFINITY);
  EXPECT_EQ(srt_digest_quantile(d.p, 1), INFINITY);
  EXPECT_NEAR(srt_digest_quantile(d.p, 0.5), 50000, 1000);
  EXPECT_NEAR(srt_digest_quantile(d.p, 0.01), 1000, 100);
}

TEST(SketchDigest, RankErrorWithin1Percent) {
  struct Distribution {
    const char *name;
    size_t n;
    std::function<double(Random &, size_t)> draw;
    double typicalError = 0.002; ///< far below the bound: catches a skewed interpolation
  };
  const Distribution distributions[] = {
      {"uniform", 200000, [](Random &r, size_t) { return r.uniform() * 1000 - 500; }},
      {"normal", 200000, [](Random &r, size_t) { return r.normal() * 3 + 10; }},
      {"exponential", 200000, [](Random &r, size_t) { return r.exponential(); }},
      {"lognormal", 1000000, [](Random &r, size_t) { return std::exp(2.5 * r.normal()); }},
      {"ascending", 200000, [](Random &, size_t i) { return static_cast<double>(i); }},
      {"descending", 200000, [](Random &, size_t i) { return -static_cast<double>(i); }},
      {"few values", 200000, [](Random &r, size_t) { return std::floor(r.exponential() * 3); }},
      {"milliseconds", 200000,
       [](Random &r, size_t) { return std::round(std::exp(4 + 0.8 * r.normal())); }, 0.01},
  };
  for (const Distribution &d : distributions) {
    SCOPED_TRACE(d.name);
    Random random(7);
    std::vector<double> values(d.n);
    DigestSlot digest;
    for (size_t i = 0; i < d.n; ++i) {
      values[i] = d.draw(random, i);
      srt_digest_add(&digest.p, values[i]);
    }
    EXPECT_LE(maxRankError(digest.p, values), d.typicalError);
  }
}

TEST(SketchDigest, ExactForFewDistinctValues) {
  // Centroids of one repeated value stay exact, so data with few distinct
  // values (here 0 .. 12, very unequal counts) get percentile_cont exactly.
  Random random(3);
  std::vector<double> values;
  DigestSlot digest;
  for (int i = 0; i < 200000; ++i) {
    values.push_back(std::min(12.0, std::floor(random.exponential() * 3)));
    srt_digest_add(&digest.p, values.back());
  }
  std::sort(values.begin(), values.end());
  for (int i = 0; i <= 1000; ++i) {
    const double q = i / 1000.0;
    EXPECT_DOUBLE_EQ(srt_digest_quantile(digest.p, q), percentileCont(values, q)) << "q " << q;
  }
}

TEST(SketchDigest, MergedDigestsWithin1Percent) {
  Random random(11);
  // Two large digests of different distributions.
  std::vector<double> values;
  DigestSlot a, b;
  for (int i = 0; i < 100000; ++i) {
    values.push_back(random.normal());
    srt_digest_add(&a.p, values.back());
    values.push_back(random.exponential() + 1);
    srt_digest_add(&b.p, values.back());
  }
  srt_digest_merge(&a.p, b.p);
  maxRankError(a.p, values);

  // Many small digests (window panes) merged one after another.
  values.clear();
  DigestSlot total;
  for (int pane = 0; pane < 1000; ++pane) {
    DigestSlot d;
    for (int i = 0; i < 200; ++i) {
      values.push_back(std::exp(random.normal()) + pane * 0.01);
      srt_digest_add(&d.p, values.back());
    }
    srt_digest_merge(&total.p, d.p);
  }
  maxRankError(total.p, values);
}
