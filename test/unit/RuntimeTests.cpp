#include <srt/abi.h>
#include <srt/host.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

/// The record a program reading Click {ts, user, latency_ms, score?, ok} would
/// lay out.
struct Click {
  int64_t ts;
  srt_str user;
  int64_t latency;
  double score;
  uint8_t ok;
  uint8_t scoreNull;
};

srt_field clickFields[] = {
    {"ts", SRT_TIMESTAMP, offsetof(Click, ts), -1, 1},
    {"user", SRT_STRING, offsetof(Click, user), -1, 1},
    {"latency_ms", SRT_I64, offsetof(Click, latency), -1, 1},
    {"score", SRT_F64, offsetof(Click, score), static_cast<int32_t>(offsetof(Click, scoreNull)), 1},
    {"ok", SRT_BOOL, offsetof(Click, ok), -1, 1},
};
const srt_layout clickLayout = {5, sizeof(Click), clickFields};

std::string str(const srt_str &s) { return std::string(s.ptr, static_cast<size_t>(s.len)); }

struct RunScope {
  srt_run *run = srt_run_create();
  ~RunScope() { srt_run_destroy(run); }
};

std::vector<Click> readAll(srt_reader *r, std::vector<std::string> *users = nullptr) {
  std::vector<Click> out;
  Click c{};
  while (srt_reader_next(r, &c)) {
    out.push_back(c);
    if (users)
      users->push_back(str(c.user)); // views live until the next record
  }
  return out;
}

} // namespace

TEST(CsvReader, MapsColumnsByNameAndIgnoresExtras) {
  RunScope run;
  std::string data = "extra,ok,latency_ms,user,ts,score\n"
                     "x,true,120,alice,2024-01-01T00:00:00Z,0.5\n"
                     "y,0,7,\"bob, jr\",1704067200001,\n";
  srt_reader *r = srt_reader_open_memory(run.run, "clicks", data.data(), data.size(),
                                         SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> users;
  auto recs = readAll(r, &users);
  srt_reader_close(r);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].ts, 1704067200000);
  EXPECT_EQ(users[0], "alice");
  EXPECT_EQ(recs[0].latency, 120);
  EXPECT_EQ(recs[0].score, 0.5);
  EXPECT_EQ(recs[0].scoreNull, 0);
  EXPECT_EQ(recs[0].ok, 1);
  EXPECT_EQ(users[1], "bob, jr");
  EXPECT_EQ(recs[1].scoreNull, 1); // empty -> null
  EXPECT_EQ(recs[1].ok, 0);
  EXPECT_EQ(srt_run_skipped(run.run), 0);
}

TEST(CsvReader, QuotedFieldsWithNewlinesAndDoubledQuotes) {
  RunScope run;
  std::string data = "ts,user,latency_ms,ok\r\n"
                     "0,\"say \"\"hi\"\"\nthere\",1,true\r\n"
                     "1,plain,2,false\r\n";
  srt_reader *r =
      srt_reader_open_memory(run.run, "s", data.data(), data.size(), SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> users;
  auto recs = readAll(r, &users);
  srt_reader_close(r);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(users[0], "say \"hi\"\nthere");
  EXPECT_EQ(users[1], "plain");
  EXPECT_EQ(recs[1].scoreNull, 1); // no score column at all: nullable -> null
}

TEST(CsvReader, MalformedRecordsAreSkippedCountedAndLocated) {
  RunScope run;
  std::string data = "ts,user,latency_ms,ok\n"
                     "0,a,1,true\n"
                     "0,b,abc,true\n"       // line 3: not an integer
                     "yesterday,c,3,true\n" // line 4: not a timestamp
                     "0,d,4\n"              // line 5: missing column
                     "0,e,5,true\n";
  srt_reader *r = srt_reader_open_memory(run.run, "clicks", data.data(), data.size(),
                                         SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> users;
  auto recs = readAll(r, &users);
  srt_reader_close(r);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(users, (std::vector<std::string>{"a", "e"}));
  EXPECT_EQ(srt_run_skipped(run.run), 3);
  testing::internal::CaptureStderr();
  srt_run_report(run.run, 0);
  std::string report = testing::internal::GetCapturedStderr();
  EXPECT_NE(report.find("source clicks: 5 records read, 3 malformed skipped"), std::string::npos)
      << report;
  EXPECT_NE(report.find("line 3: field 'latency_ms': not an integer: \"abc\""), std::string::npos)
      << report;
}

TEST(CsvReader, ParsesOnlyTheFieldsTheProgramReads) {
  RunScope run;
  srt_field fields[] = {
      {"ts", SRT_TIMESTAMP, offsetof(Click, ts), -1, 1},
      {"user", SRT_STRING, offsetof(Click, user), -1, 0},       // never read
      {"latency_ms", SRT_I64, offsetof(Click, latency), -1, 0}, // never read
      {"ok", SRT_BOOL, offsetof(Click, ok), -1, 1},
  };
  srt_layout layout = {4, sizeof(Click), fields};
  std::string data = "ts,latency_ms,ok\n5,not-a-number,true\n";
  srt_reader *r =
      srt_reader_open_memory(run.run, "s", data.data(), data.size(), SRT_FORMAT_CSV, &layout);
  ASSERT_NE(r, nullptr); // 'user' is missing from the header but never read
  auto recs = readAll(r);
  srt_reader_close(r);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].ts, 5);
  EXPECT_EQ(srt_run_skipped(run.run), 0);
}

TEST(CsvReader, MissingRequiredColumnIsAnErrorAtOpen) {
  RunScope run;
  std::string data = "ts,user\n1,a\n";
  EXPECT_EQ(srt_reader_open_memory(run.run, "clicks", data.data(), data.size(), SRT_FORMAT_CSV,
                                   &clickLayout),
            nullptr);
  ASSERT_NE(srt_run_error(run.run), nullptr);
  EXPECT_STREQ(srt_run_error(run.run), "source clicks: the CSV header has no column 'latency_ms'");
}

TEST(CsvReader, AdversarialInputNeverCrashes) {
  RunScope run;
  using namespace std::string_literals; // the data holds a NUL
  std::string data = "ts,user,latency_ms,ok\n"
                     "0,\"unterminated,1,true\n"
                     "\x00\x01\x02,,,\n"
                     ",,,,,,,,,,,,,,,,,\n"
                     "0,ok,1,true"s;
  srt_reader *r =
      srt_reader_open_memory(run.run, "s", data.data(), data.size(), SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  auto recs = readAll(r);
  srt_reader_close(r);
  // The unterminated quote spoils only its own line; the two lines after it
  // are malformed too (a bad and an empty timestamp), the last one reads.
  EXPECT_EQ(recs.size(), 1u);
  EXPECT_EQ(srt_run_skipped(run.run), 3);
}

TEST(CsvReader, AQuoteInsideAFieldIsDataAnUnterminatedOneSpoilsItsLine) {
  RunScope run;
  std::string data = "ts,user,latency_ms,ok\n"
                     "1,ab\"c,1,true\n"          // a quote inside a field: data
                     "2,\"open,2,true\n"         // line 3: never closed
                     "3,\"two\nlines\",3,true\n" // a quoted line break
                     "4,\"x\"y,4,true\n"         // line 6: text after the closing quote
                     "5,e,5,true";
  srt_reader *r =
      srt_reader_open_memory(run.run, "s", data.data(), data.size(), SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> users;
  auto recs = readAll(r, &users);
  srt_reader_close(r);
  EXPECT_EQ(users, (std::vector<std::string>{"ab\"c", "two\nlines", "e"}));
  EXPECT_EQ(srt_run_skipped(run.run), 2);
  testing::internal::CaptureStderr();
  srt_run_report(run.run, 0);
  std::string report = testing::internal::GetCapturedStderr();
  EXPECT_NE(report.find("(first: line 3: unterminated quoted field: the quote at line 3, column 3 "
                        "is not closed)"),
            std::string::npos)
      << report;
}

namespace {
/// Writes \p text to a temporary file; returns its path.
std::string tempFile(const std::string &name, const std::string &text) {
  std::string path = testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct InputStats {
  int64_t buffer = 0, grows = 0, framed = 0;
};
InputStats inputStats(const srt_reader *r) {
  InputStats s;
  srt_reader_input_stats(r, &s.buffer, &s.grows, &s.framed);
  return s;
}
} // namespace

TEST(CsvReader, AQuotedFieldHoldingLineBreaksEndsWithin1MiB) {
  // A quote opened on line 2 and "closed" 8 MiB later is unterminated: only
  // line 2 is rejected, the lines after it read, and the reader never holds
  // much more than 1 MiB of the file.
  RunScope run;
  std::string data = "ts,user,latency_ms,ok\n0,\"open,1,true\n";
  int64_t lines = 0;
  while (data.size() < (8u << 20)) {
    data += std::to_string(lines) + ",u,2,true\n";
    ++lines;
  }
  data += "\",x,3,true\n"; // a quote at the start of a field: never closed
  std::string path = tempFile("quoted-span.csv", data);
  srt_reader *r = srt_reader_open(run.run, "s", path.c_str(), SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  auto recs = readAll(r);
  InputStats stats = inputStats(r);
  srt_reader_close(r);
  std::remove(path.c_str());
  EXPECT_EQ(static_cast<int64_t>(recs.size()), lines);
  EXPECT_EQ(srt_run_skipped(run.run), 2);
  EXPECT_LE(stats.buffer, 4 << 20);
  EXPECT_LE(stats.framed, static_cast<int64_t>(data.size()) + (2 << 20)); // 1 MiB looked at twice
}

TEST(Reader, LineEndsLfCrlfAndLoneCrAcrossReadBoundaries) {
  // 1 KiB reads: some CRLFs are split between two reads.
  RunScope run;
  std::string config = tempFile("line-ends.yaml", "runtime:\n  read_batch_kb: 1\n");
  srt_config *c = srt_config_load(run.run, config.c_str());
  ASSERT_NE(c, nullptr);
  srt_run_use_config(run.run, c);
  const char *ends[] = {"\n", "\r\n", "\r"};
  std::string data = "ts,user,latency_ms,ok\r\n";
  for (int i = 0; i < 3000; ++i)
    data += std::to_string(i) + ",u" + std::to_string(i) + "," + std::to_string(i) + ",true" +
            ends[i % 7 % 3];
  data += "x,bad,0,true\r";
  std::string path = tempFile("line-ends.csv", data);
  srt_reader *r = srt_reader_open(run.run, "s", path.c_str(), SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> users;
  auto recs = readAll(r, &users);
  srt_reader_close(r);
  srt_config_destroy(c);
  std::remove(path.c_str());
  std::remove(config.c_str());
  ASSERT_EQ(recs.size(), 3000u);
  EXPECT_EQ(users[2999], "u2999");
  EXPECT_EQ(recs[2999].latency, 2999);
  EXPECT_EQ(srt_run_skipped(run.run), 1);
  testing::internal::CaptureStderr();
  srt_run_report(run.run, 0);
  std::string report = testing::internal::GetCapturedStderr();
  EXPECT_NE(report.find("(first: line 3002: field 'ts'"), std::string::npos) << report;
}

TEST(Reader, ASmallInputDoesNotTouchALargeReadBatch) {
  RunScope run;
  std::string config = tempFile("big-batch.yaml", "runtime:\n  read_batch_kb: 65536\n");
  srt_config *c = srt_config_load(run.run, config.c_str());
  ASSERT_NE(c, nullptr);
  srt_run_use_config(run.run, c);
  std::string path = tempFile("small.csv", "ts,user,latency_ms,ok\n0,a,1,true\n");
  srt_reader *r = srt_reader_open(run.run, "s", path.c_str(), SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(readAll(r).size(), 1u);
  InputStats stats = inputStats(r);
  srt_reader_close(r);
  srt_config_destroy(c);
  std::remove(path.c_str());
  std::remove(config.c_str());
  EXPECT_LE(stats.buffer, 128 * 1024);
  EXPECT_EQ(stats.grows, 0);
}

TEST(Reader, PipedLargeRecord) {
  // A 20 MB record written into a pipe 4 KiB at a time: framing looks at
  // each byte once, and the buffer grows by doubling.
  constexpr size_t kSize = 20'000'000;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([fd = fds[1]] {
    std::string data = "{\"user\":\"" + std::string(kSize, 'x') +
                       "\",\"ts\":1,\"latency_ms\":2,\"ok\":true}\n"
                       "{\"user\":\"ab\",\"ts\":3,\"latency_ms\":4,\"ok\":false}\n";
    for (size_t at = 0; at < data.size();) {
      ssize_t n = ::write(fd, data.data() + at, std::min<size_t>(4096, data.size() - at));
      if (n <= 0)
        break;
      at += static_cast<size_t>(n);
    }
    ::close(fd);
  });
  RunScope run;
  std::string path = "/dev/fd/" + std::to_string(fds[0]);
  srt_reader *r = srt_reader_open(run.run, "s", path.c_str(), SRT_FORMAT_JSON, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<size_t> lengths;
  Click c{};
  while (srt_reader_next(r, &c))
    lengths.push_back(static_cast<size_t>(c.user.len));
  InputStats stats = inputStats(r);
  srt_reader_close(r);
  writer.join();
  ::close(fds[0]);
  EXPECT_EQ(lengths, (std::vector<size_t>{kSize, 2}));
  EXPECT_LE(stats.framed, static_cast<int64_t>(kSize) + 200);
  EXPECT_LE(stats.grows, 12); // 64 KiB doubled to 32 MiB at most
  EXPECT_LE(stats.buffer, static_cast<int64_t>(4 * kSize));
}

TEST(JsonReader, KeysByNameMissingKeysAreNull) {
  RunScope run;
  std::string data =
      "{\"user\":\"al\\\"ice\",\"ts\":\"2024-01-01T00:00:00.250Z\",\"latency_ms\":3,\"ok\":true,"
      "\"extra\":{\"deep\":[1,2]}}\n"
      "\n"
      "{\"ts\":1,\"user\":\"b\",\"latency_ms\":-4,\"ok\":false,\"score\":null}\n"
      "{\"ts\":2,\"user\":\"c\",\"latency_ms\":5,\"ok\":false,\"score\":2.5}";
  srt_reader *r =
      srt_reader_open_memory(run.run, "j", data.data(), data.size(), SRT_FORMAT_JSON, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> users;
  auto recs = readAll(r, &users);
  srt_reader_close(r);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(users[0], "al\"ice");
  EXPECT_EQ(recs[0].ts, 1704067200250);
  EXPECT_EQ(recs[0].scoreNull, 1); // missing key -> null
  EXPECT_EQ(recs[1].latency, -4);
  EXPECT_EQ(recs[1].scoreNull, 1);
  EXPECT_EQ(recs[2].score, 2.5);
  EXPECT_EQ(srt_run_skipped(run.run), 0);
}

TEST(JsonReader, BadRecordsAreSkippedOthersUnaffected) {
  RunScope run;
  std::string data = "{\"ts\":1,\"user\":\"a\",\"latency_ms\":1,\"ok\":true}\n"
                     "{\"ts\":2,\"user\":\"b\",\"latency_ms\":\"x\",\"ok\":true}\n" // wrong type
                     "{\"ts\":3,\"user\":\"c\",\"latency_ms\":1\n"                  // truncated
                     "[1,2,3]\n"                                                    // not an object
                     "{\"ts\":4,\"user\":null,\"latency_ms\":1,\"ok\":true}\n" // null, not nullable
                     "{\"ts\":5,\"latency_ms\":1,\"ok\":true}\n"               // missing key
                     "{\"ts\":6,\"user\":\"\xff\xfe\",\"latency_ms\":1,\"ok\":true}\n" // bad UTF-8
                     "{\"ts\":7,\"user\":\"g\",\"latency_ms\":1,\"ok\":true}\n";
  srt_reader *r =
      srt_reader_open_memory(run.run, "j", data.data(), data.size(), SRT_FORMAT_JSON, &clickLayout);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> users;
  auto recs = readAll(r, &users);
  srt_reader_close(r);
  EXPECT_EQ(users, (std::vector<std::string>{"a", "g"}));
  EXPECT_EQ(srt_run_skipped(run.run), 6);
}

TEST(Reader, LargeFilesCrossBufferBoundaries) {
  RunScope run;
  std::string path = testing::TempDir() + "big.csv";
  {
    std::ofstream out(path);
    out << "ts,user,latency_ms,ok\n";
    for (int i = 0; i < 100000; ++i)
      out << i << ",user-" << i << "-" << std::string(i % 50, 'x') << "," << i * 2 << ",true\n";
  }
  srt_reader *r = srt_reader_open(run.run, "big", path.c_str(), SRT_FORMAT_CSV, &clickLayout);
  ASSERT_NE(r, nullptr);
  Click c{};
  int64_t n = 0, sum = 0;
  bool usersOk = true;
  while (srt_reader_next(r, &c)) {
    usersOk &= str(c.user).rfind("user-" + std::to_string(n) + "-", 0) == 0;
    sum += c.latency;
    ++n;
  }
  srt_reader_close(r);
  EXPECT_EQ(n, 100000);
  EXPECT_EQ(sum, 2LL * (99999LL * 100000 / 2));
  EXPECT_TRUE(usersOk);
  std::remove(path.c_str());
}

TEST(Reader, MissingFileIsAOneLineError) {
  RunScope run;
  EXPECT_EQ(
      srt_reader_open(run.run, "clicks", "/nonexistent/clicks.csv", SRT_FORMAT_CSV, &clickLayout),
      nullptr);
  EXPECT_STREQ(srt_run_error(run.run),
               "source clicks: cannot open /nonexistent/clicks.csv: No such file or directory");
}

namespace {
std::string writeAll(int format, const std::vector<Click> &recs) {
  RunScope run;
  srt_writer *w = srt_writer_open_memory(run.run, "out", format, &clickLayout);
  for (const Click &c : recs)
    srt_writer_write(w, &c);
  srt_writer_flush(w);
  size_t len;
  const char *p = srt_writer_contents(w, &len);
  std::string out(p, len);
  srt_writer_close(w);
  return out;
}

std::vector<Click> sample() {
  static const char *a = "a\"b,c\nd";
  Click c1{1704067205000, {a, 7}, 42, 0.1, 1, 0};
  Click c2{0, {"", 0}, -1, 2.0, 0, 1};
  return {c1, c2};
}
} // namespace

TEST(Writer, JsonLines) {
  EXPECT_EQ(writeAll(SRT_FORMAT_JSON, sample()),
            "{\"ts\":\"2024-01-01T00:00:05.000Z\",\"user\":\"a\\\"b,c\\nd\",\"latency_ms\":42,"
            "\"score\":0.1,\"ok\":true}\n"
            "{\"ts\":\"1970-01-01T00:00:00.000Z\",\"user\":\"\",\"latency_ms\":-1,"
            "\"score\":null,\"ok\":false}\n");
}

TEST(Writer, CsvWithHeaderAndQuoting) {
  EXPECT_EQ(writeAll(SRT_FORMAT_CSV, sample()),
            "ts,user,latency_ms,score,ok\n"
            "2024-01-01T00:00:05.000Z,\"a\"\"b,c\nd\",42,0.1,true\n"
            "1970-01-01T00:00:00.000Z,,-1,,false\n");
}

TEST(Writer, AlignedTable) {
  Click c1{0, {"alice", 5}, 42, 0.25, 1, 0};
  Click c2{0, {"bo", 2}, 7, 0, 0, 1};
  EXPECT_EQ(writeAll(SRT_FORMAT_TABLE, {c1, c2}),
            "ts                        user   latency_ms  score  ok\n"
            "------------------------  -----  ----------  -----  -----\n"
            "1970-01-01T00:00:00.000Z  alice          42   0.25  true\n"
            "1970-01-01T00:00:00.000Z  bo              7   null  false\n");
}

TEST(Writer, UnwritableSinkIsAOneLineError) {
  RunScope run;
  EXPECT_EQ(
      srt_writer_open(run.run, "out", "/nonexistent/dir/out.csv", SRT_FORMAT_CSV, &clickLayout),
      nullptr);
  EXPECT_STREQ(srt_run_error(run.run),
               "sink out: cannot write /nonexistent/dir/out.csv: No such file or directory");
}

TEST(Numbers, ShortestRoundTripDoubles) {
  char buf[32];
  auto fmt = [&](double v) { return std::string(buf, srt_format_double(v, buf)); };
  EXPECT_EQ(fmt(0.1), "0.1");
  EXPECT_EQ(fmt(2.5), "2.5");
  EXPECT_EQ(fmt(3.0), "3");
  EXPECT_EQ(fmt(1e21), "1e+21");
  EXPECT_EQ(fmt(0.1 + 0.2), "0.30000000000000004");
}

TEST(Timestamps, LeapDaysAndInvalidDates) {
  int64_t ms;
  EXPECT_TRUE(srt_parse_timestamp("2024-02-29", 10, &ms));
  EXPECT_FALSE(srt_parse_timestamp("2023-02-29", 10, &ms));
  EXPECT_FALSE(srt_parse_timestamp("2024-04-31", 10, &ms));
  char buf[32];
  EXPECT_EQ(std::string(buf, srt_format_timestamp(951782400123, buf)), "2000-02-29T00:00:00.123Z");
}
