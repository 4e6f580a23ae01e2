#include "sema/Value.h"
#include "support/Format.h"

#include <gtest/gtest.h>

using namespace streamc;

TEST(Timestamp, ParsesRfc3339AndEpochMillis) {
  int64_t ms = 0;
  ASSERT_TRUE(parseTimestamp("2024-01-01T00:00:00Z", ms));
  EXPECT_EQ(ms, 1704067200000);
  ASSERT_TRUE(parseTimestamp("2024-01-01T00:00:05.123Z", ms));
  EXPECT_EQ(ms, 1704067205123);
  ASSERT_TRUE(parseTimestamp("2024-01-01T01:00:00+01:00", ms));
  EXPECT_EQ(ms, 1704067200000);
  ASSERT_TRUE(parseTimestamp("2024-01-01T00:00:00.5Z", ms));
  EXPECT_EQ(ms, 1704067200500);
  ASSERT_TRUE(parseTimestamp("1704067200000", ms));
  EXPECT_EQ(ms, 1704067200000);
  ASSERT_TRUE(parseTimestamp("1969-12-31T23:59:59.999Z", ms));
  EXPECT_EQ(ms, -1);
}

TEST(Timestamp, RejectsMalformedText) {
  int64_t ms = 0;
  for (const char *bad : {"", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00", "yesterday",
                          "2024-01-01T25:00:00Z", "2024-01-01T00:00:00Zjunk", "12ab"})
    EXPECT_FALSE(parseTimestamp(bad, ms)) << bad;
}

TEST(Timestamp, FormatsWithMillisecondsUtc) {
  EXPECT_EQ(formatTimestamp(1704067205000), "2024-01-01T00:00:05.000Z");
  EXPECT_EQ(formatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatTimestamp(-1), "1969-12-31T23:59:59.999Z");
  int64_t back = 0;
  ASSERT_TRUE(parseTimestamp(formatTimestamp(951782400123), back)); // 2000-02-29
  EXPECT_EQ(back, 951782400123);
}

TEST(Timestamp, ConstantsBeyondYear9999) {
  EXPECT_EQ(formatTimestamp(253402300800000), "+010000-01-01T00:00:00.000Z");
  EXPECT_EQ(formatTimestamp(INT64_MIN), "-292275055-05-16T16:47:04.192Z");
  EXPECT_EQ(Value::timestamp(INT64_MAX).str(), "timestamp(\"+292278994-08-17T07:12:55.807Z\")");
  int64_t ms = 0;
  ASSERT_TRUE(parseTimestamp("-000001-12-31T23:59:59.999Z", ms));
  EXPECT_EQ(ms, -62167219200001);
}

TEST(Value, ParsesCommandLineSpellingsByType) {
  Value v;
  std::string why;
  ASSERT_TRUE(parseValue("800", Type::i64(), v, why));
  EXPECT_EQ(v.asInt(), 800);
  ASSERT_TRUE(parseValue("0.25", Type::f64(), v, why));
  EXPECT_DOUBLE_EQ(v.asDouble(), 0.25);
  ASSERT_TRUE(parseValue("5s", Type::duration(), v, why));
  EXPECT_EQ(v.asInt(), 5000);
  ASSERT_TRUE(parseValue("250", Type::duration(), v, why));
  EXPECT_EQ(v.asInt(), 250);
  ASSERT_TRUE(parseValue("true", Type::boolean(), v, why));
  EXPECT_TRUE(v.asBool());
  ASSERT_TRUE(parseValue("null", Type::string(true), v, why));
  EXPECT_TRUE(v.isNull());
  EXPECT_FALSE(parseValue("8x", Type::i64(), v, why));
  EXPECT_EQ(why, "expected an integer");
  EXPECT_FALSE(parseValue("null", Type::i64(), v, why)); // not nullable
  EXPECT_FALSE(parseValue("5 parsecs", Type::duration(), v, why));
}

TEST(Format, DoublesAreShortestAndReadAsFloats) {
  EXPECT_EQ(formatDouble(0.1), "0.1");
  EXPECT_EQ(formatDouble(2.5), "2.5");
  EXPECT_EQ(formatDouble(1000.0), "1000.0");
  EXPECT_EQ(formatDouble(1e300), "1e+300");
  EXPECT_EQ(Value::duration(90000).str(), "90s");
  EXPECT_EQ(Value::string("a\"b").str(), "\"a\\\"b\"");
}
