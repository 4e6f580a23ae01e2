/// \file
/// Timestamps over the whole int64 range of milliseconds: RFC 3339 text for
/// years 0000-9999, the ISO 8601 expanded form (`+010000-...`) outside it,
/// parsing it back, and the calendar parts year()...second() compute.
/// Expected texts come from Python's datetime (shifted by 400-year cycles,
/// which repeat the calendar exactly) and agree with Java's Instant.

#include <srt/abi.h>
#include <srt/host.h>

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

/// Larger than any timestamp's text, so that a formatter writing too much
/// shows as a wrong length rather than as memory corruption.
constexpr size_t kBuf = 64;

std::string format(int64_t ms) {
  char buf[kBuf];
  return std::string(buf, srt_format_timestamp(ms, buf));
}

bool parse(const std::string &text, int64_t &ms) {
  return srt_parse_timestamp(text.data(), text.size(), &ms) != 0;
}

/// year, month, day, hour, minute, second as srt_ts_part computes them.
struct Parts {
  int64_t v[6];
  bool operator==(const Parts &o) const { return std::memcmp(v, o.v, sizeof v) == 0; }
};

Parts parts(int64_t ms) {
  Parts p;
  for (int i = 0; i < 6; ++i)
    p.v[i] = srt_ts_part(ms, i);
  return p;
}

std::string show(const Parts &p) {
  char buf[128];
  std::snprintf(buf, sizeof buf,
                "%" PRId64 "-%" PRId64 "-%" PRId64 " %" PRId64 ":%" PRId64 ":%" PRId64, p.v[0],
                p.v[1], p.v[2], p.v[3], p.v[4], p.v[5]);
  return buf;
}

struct Known {
  int64_t ms;
  const char *text;
  Parts parts;
};

const Known known[] = {
    {0, "1970-01-01T00:00:00.000Z", {{1970, 1, 1, 0, 0, 0}}},
    {-1, "1969-12-31T23:59:59.999Z", {{1969, 12, 31, 23, 59, 59}}},
    {951782400123, "2000-02-29T00:00:00.123Z", {{2000, 2, 29, 0, 0, 0}}},
    {253402300799999, "9999-12-31T23:59:59.999Z", {{9999, 12, 31, 23, 59, 59}}},
    {253402300800000, "+010000-01-01T00:00:00.000Z", {{10000, 1, 1, 0, 0, 0}}},
    {-62167219200000, "0000-01-01T00:00:00.000Z", {{0, 1, 1, 0, 0, 0}}},
    {-62167219200001, "-000001-12-31T23:59:59.999Z", {{-1, 12, 31, 23, 59, 59}}},
    {kMin, "-292275055-05-16T16:47:04.192Z", {{-292275055, 5, 16, 16, 47, 4}}},
    {kMax, "+292278994-08-17T07:12:55.807Z", {{292278994, 8, 17, 7, 12, 55}}},
    {-4184563898284940, "-130634-06-13T11:21:55.060Z", {{-130634, 6, 13, 11, 21, 55}}},
    {1611965628600829264, "+51083127-04-16T06:53:49.264Z", {{51083127, 4, 16, 6, 53, 49}}},
    {-5789073693455906733, "-183446473-07-14T16:01:33.267Z", {{-183446473, 7, 14, 16, 1, 33}}},
    {8573267887210020210, "+271678014-03-24T10:47:00.210Z", {{271678014, 3, 24, 10, 47, 0}}},
    {-553637055349587086, "-17542090-02-16T05:33:32.914Z", {{-17542090, 2, 16, 5, 33, 32}}},
    {-9213319740266286866, "-291956511-12-21T00:41:53.134Z", {{-291956511, 12, 21, 0, 41, 53}}},
    {7800163420318134628, "+247179308-12-08T15:28:54.628Z", {{247179308, 12, 8, 15, 28, 54}}},
    {-9021287644686046271, "-285871256-10-31T20:59:13.729Z", {{-285871256, 10, 31, 20, 59, 13}}},
};

TEST(TimeRange, FormatsKnownInstants) {
  for (const Known &k : known)
    EXPECT_EQ(format(k.ms), k.text) << k.ms;
}

TEST(TimeRange, ParsesWhatItFormats) {
  for (const Known &k : known) {
    int64_t ms = 0;
    EXPECT_TRUE(parse(k.text, ms)) << k.text;
    EXPECT_EQ(ms, k.ms) << k.text;
  }
}

TEST(TimeRange, CalendarPartsOfKnownInstants) {
  for (const Known &k : known)
    EXPECT_EQ(show(parts(k.ms)), show(k.parts)) << k.text;
}

TEST(TimeRange, LongestTextFitsTheDocumentedBuffer) {
  EXPECT_EQ(format(kMin).size(), 30u);
  EXPECT_LE(format(kMin).size(), static_cast<size_t>(SRT_TIMESTAMP_MAX_LEN));
  EXPECT_LE(format(kMax).size(), static_cast<size_t>(SRT_TIMESTAMP_MAX_LEN));
}

TEST(TimeRange, ParsesTheEdgesOfTheRange) {
  int64_t ms = 0;
  ASSERT_TRUE(parse("-9223372036854775808", ms));
  EXPECT_EQ(ms, kMin);
  ASSERT_TRUE(parse("9223372036854775807", ms));
  EXPECT_EQ(ms, kMax);
  // INT64_MAX and INT64_MIN written in other zones.
  ASSERT_TRUE(parse("+292278994-08-17T08:12:55.807+01:00", ms));
  EXPECT_EQ(ms, kMax);
  ASSERT_TRUE(parse("-292275055-05-16T15:47:04.192-01:00", ms));
  EXPECT_EQ(ms, kMin);
  // The first whole day after INT64_MIN; date-only forms of extended years.
  ASSERT_TRUE(parse("-292275055-05-17", ms));
  EXPECT_EQ(format(ms), "-292275055-05-17T00:00:00.000Z");
  ASSERT_TRUE(parse("+010000-01-01", ms));
  EXPECT_EQ(ms, 253402300800000);
  // Year zero may be written with a plus sign; leap day of year 0 and -4.
  ASSERT_TRUE(parse("+000000-01-01T00:00:00Z", ms));
  EXPECT_EQ(ms, -62167219200000);
  EXPECT_TRUE(parse("0000-02-29", ms));
  EXPECT_TRUE(parse("-000004-02-29", ms));
  EXPECT_EQ(format(ms), "-000004-02-29T00:00:00.000Z");
  EXPECT_FALSE(parse("-000001-02-29", ms));
}

TEST(TimeRange, RejectsTextOutsideTheRange) {
  for (const char *bad : {
           "+999999999-01-01T00:00:00Z",
           "-999999999-01-01T00:00:00Z",
           "+292278994-08-17T07:12:55.808Z", // INT64_MAX + 1 ms
           "-292275055-05-16T16:47:04.191Z", // INT64_MIN - 1 ms
           "+292278994-08-17T07:12:55.807-00:01",
           "-292275055-05-16T16:47:04.192+00:01",
           "-292275055-05-16", // that day starts before INT64_MIN
           "+292278995-01-01",
           "+99999999999999999999999999-01-01T00:00:00Z",
           "-99999999999999999999999999-01-01",
           "9223372036854775808", // epoch ms out of range
           "-9223372036854775809",
           "99999999999999999999999",
       }) {
    int64_t ms = 0;
    EXPECT_FALSE(parse(bad, ms)) << bad;
  }
}

TEST(TimeRange, RejectsMalformedYears) {
  for (const char *bad : {
           "-000000-01-01T00:00:00Z", // minus zero, as ISO 8601 and ECMAScript
           "-000000-01-01",
           "10000-01-01T00:00:00Z", // five digits need a sign
           "10000-01-01",
           "+10000-01-01T00:00:00Z", // a sign needs six digits
           "+2025-01-01T00:00:00Z",
           "-2025-01-01",
           "+-00001-01-01",
           "+",
           "-",
           "+010000",
           "+010000-",
           "+010000-13-01",
           "+010000-01-01T24:00:00Z",
           "+0100a0-01-01",
           "++010000-01-01",
           "+010000-1-01",
       }) {
    int64_t ms = 0;
    EXPECT_FALSE(parse(bad, ms)) << bad;
  }
}

/// Random int64 values at every magnitude: format, parse back, and compare
/// the calendar parts with the fields of the text.
TEST(TimeRange, RandomValuesRoundTrip) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 4000; ++i) {
    int64_t ms = static_cast<int64_t>(rng());
    ms >>= rng() % 64; // spread the magnitudes: years near 1970 as well
    std::string text = format(ms);
    int64_t back = 0;
    ASSERT_TRUE(parse(text, back)) << ms << " " << text;
    ASSERT_EQ(back, ms) << text;
    long long y;
    unsigned mo, d, h, mi, s, milli;
    int n = std::sscanf(text.c_str(), "%lld-%u-%uT%u:%u:%u.%uZ", &y, &mo, &d, &h, &mi, &s, &milli);
    ASSERT_EQ(n, 7) << text;
    Parts want{{y, mo, d, h, mi, s}};
    ASSERT_EQ(show(parts(ms)), show(want)) << ms << " " << text;
    int64_t day = 86'400'000;
    int64_t msOfDay = ms % day < 0 ? ms % day + day : ms % day;
    ASSERT_EQ(msOfDay % 1000, milli) << text;
    ASSERT_EQ(msOfDay / 3'600'000, h) << text;
  }
}

/// Formatting is monotonic across the boundaries where the text changes
/// shape: the text of consecutive milliseconds parses back in order.
TEST(TimeRange, NeighboursOfTheEdges) {
  for (int64_t edge : {int64_t{253402300800000}, int64_t{-62167219200000}, kMin + 1, kMax - 1}) {
    for (int64_t delta = -1; delta <= 1; ++delta) {
      int64_t ms = edge + delta, back = 0;
      ASSERT_TRUE(parse(format(ms), back)) << format(ms);
      EXPECT_EQ(back, ms) << format(ms);
    }
  }
}

/// Known texts with random characters changed, inserted or removed (mostly
/// digits and signs): whatever parses formats to text that parses to the
/// same instant; under ASan and UBSan, nothing reads past the text or
/// overflows.
TEST(TimeRange, MutatedTextsParseConsistently) {
  std::mt19937_64 rng(6);
  const char alphabet[] = "0123456789999999+-:.TZ ";
  for (int i = 0; i < 20000; ++i) {
    std::string text = known[rng() % std::size(known)].text;
    for (int edits = 1 + rng() % 3; edits > 0; --edits) {
      size_t at = rng() % (text.size() + 1);
      char c = alphabet[rng() % (sizeof alphabet - 1)];
      switch (rng() % 3) {
      case 0:
        if (at < text.size())
          text[at] = c;
        break;
      case 1:
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
        break;
      default:
        if (at < text.size())
          text.erase(at, 1);
      }
    }
    std::vector<char> exact(text.begin(), text.end()); // no NUL after it, for ASan
    int64_t ms = 0, back = 0;
    if (!srt_parse_timestamp(exact.data(), exact.size(), &ms))
      continue;
    ASSERT_TRUE(parse(format(ms), back)) << text << " -> " << format(ms);
    ASSERT_EQ(back, ms) << text;
  }
}

} // namespace
