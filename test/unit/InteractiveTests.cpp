/// The runtime's support for the REPL: stopping a run, capturing a sink's
/// records, counting what a sink received, table text of a field.

#include <srt/abi.h>
#include <srt/host.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace {

struct Row {
  int64_t n;
  srt_str name;
  double score;
  uint8_t ok;
  uint8_t scoreNull;
};

srt_field rowFields[] = {
    {"n", SRT_I64, offsetof(Row, n), -1, 1},
    {"name", SRT_STRING, offsetof(Row, name), -1, 1},
    {"score", SRT_F64, offsetof(Row, score), static_cast<int32_t>(offsetof(Row, scoreNull)), 1},
    {"ok", SRT_BOOL, offsetof(Row, ok), -1, 1},
};
const srt_layout rowLayout = {4, sizeof(Row), rowFields};

struct RunScope {
  srt_run *run = srt_run_create();
  ~RunScope() { srt_run_destroy(run); }
};

std::string field(const srt_field &f, const void *record) {
  char buf[40];
  const char *text = nullptr;
  size_t n = srt_format_field(&f, record, buf, &text);
  return std::string(text, n);
}

/// What a capture received: each record's cells, formatted during the call.
struct Captured {
  std::vector<std::vector<std::string>> rows;
  static void add(void *self, const srt_layout *layout, const void *record) {
    std::vector<std::string> row;
    for (uint32_t i = 0; i < layout->nfields; ++i)
      row.push_back(field(layout->fields[i], record));
    static_cast<Captured *>(self)->rows.push_back(row);
  }
};

} // namespace

TEST(Interactive, FormatsFieldsAsTablesShowThem) {
  Row r{42, {"ann", 3}, 0.1, 1, 0};
  EXPECT_EQ(field(rowFields[0], &r), "42");
  EXPECT_EQ(field(rowFields[1], &r), "ann");
  EXPECT_EQ(field(rowFields[2], &r), "0.1");
  EXPECT_EQ(field(rowFields[3], &r), "true");
  r.scoreNull = 1;
  EXPECT_EQ(field(rowFields[2], &r), "null");
  srt_field ts{"ts", SRT_TIMESTAMP, offsetof(Row, n), -1, 1};
  r.n = 1704067200500;
  EXPECT_EQ(field(ts, &r), "2024-01-01T00:00:00.500Z");
}

TEST(Interactive, CapturedSinkHandsRecordsToTheFunction) {
  RunScope run;
  Captured captured;
  srt_run_capture_sink(run.run, "<stdout>", &Captured::add, &captured);
  // Opened as the implicit standard output would be: nothing is printed.
  srt_writer *w = srt_writer_open_text(run.run, "<stdout>", nullptr, 0, "json", 4, &rowLayout);
  ASSERT_NE(w, nullptr);
  Row a{1, {"a", 1}, 2.5, 0, 0}, b{2, {"bee", 3}, 0, 1, 1};
  srt_writer_write(w, &a);
  srt_writer_write_as(w, &rowLayout, &b);
  EXPECT_EQ(srt_writer_close(w), 0);
  ASSERT_EQ(captured.rows.size(), 2u);
  EXPECT_EQ(captured.rows[0], (std::vector<std::string>{"1", "a", "2.5", "false"}));
  EXPECT_EQ(captured.rows[1], (std::vector<std::string>{"2", "bee", "null", "true"}));
  EXPECT_EQ(srt_run_sink_written(run.run, "<stdout>"), 2);
  EXPECT_EQ(srt_run_sink_written(run.run, "other"), -1);
}

TEST(Interactive, OtherSinksAreNotCaptured) {
  RunScope run;
  Captured captured;
  srt_run_capture_sink(run.run, "<stdout>", &Captured::add, &captured);
  srt_writer *w = srt_writer_open_memory(run.run, "out", SRT_FORMAT_CSV, &rowLayout);
  Row a{1, {"a", 1}, 2.5, 0, 0};
  srt_writer_write(w, &a);
  srt_writer_flush(w);
  size_t len = 0;
  const char *contents = srt_writer_contents(w, &len);
  std::string text(contents, len);
  EXPECT_EQ(text, "n,name,score,ok\n1,a,2.5,false\n");
  srt_writer_close(w);
  EXPECT_TRUE(captured.rows.empty());
  EXPECT_EQ(srt_run_sink_written(run.run, "out"), 1);
}

TEST(Interactive, InterruptEndsEveryReader) {
  RunScope run;
  srt_field nFields[] = {{"n", SRT_I64, 0, -1, 1}};
  srt_layout nLayout = {1, sizeof(int64_t), nFields};
  std::string data = "{\"n\": 1}\n{\"n\": 2}\n{\"n\": 3}\n";
  srt_reader *r =
      srt_reader_open_memory(run.run, "rows", data.data(), data.size(), SRT_FORMAT_JSON, &nLayout);
  ASSERT_NE(r, nullptr);
  int64_t n = 0;
  ASSERT_EQ(srt_reader_next(r, &n), 1);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(srt_run_interrupted(run.run), 0);
  srt_run_interrupt(run.run);
  EXPECT_EQ(srt_run_interrupted(run.run), 1);
  EXPECT_EQ(srt_reader_next(r, &n), 0); // the input ends here
  srt_reader_close(r);

  srt_reader *g = srt_reader_open_generator(run.run, "seq", "sequence", 8, -1, 0, 0, &nLayout);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(srt_reader_next(g, &n), 0); // an endless generator too
  srt_reader_close(g);
}
