// Nested records in a flat layout (LANGUAGE.md §4): the JSON reader fills a
// record's fields from a nested object, the CSV reader from dotted
// columns; the JSON writer writes nested objects, the CSV writer dotted
// columns; a null or missing record makes all its fields null.
#include <srt/abi.h>
#include <srt/host.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace {

/// Event { id: string, user: User?, n: i64 } with User { name: string,
/// geo: Geo? } and Geo { lat: f64? }.
struct Event {
  srt_str id;
  srt_str name;
  double lat;
  int64_t n;
  uint8_t userNull, geoNull, latNull;
};

const srt_field kEventFields[] = {
    {"id", SRT_STRING, offsetof(Event, id), -1, 1, 0},
    {"user", SRT_RECORD, 0, offsetof(Event, userNull), 1, 3},
    {"user.name", SRT_STRING, offsetof(Event, name), -1, 1, 0},
    {"user.geo", SRT_RECORD, 0, offsetof(Event, geoNull), 1, 1},
    {"user.geo.lat", SRT_F64, offsetof(Event, lat), offsetof(Event, latNull), 1, 0},
    {"n", SRT_I64, offsetof(Event, n), -1, 1, 0},
};
const srt_layout kEventLayout = {6, sizeof(Event), kEventFields};

struct Read {
  std::vector<Event> events;
  std::vector<std::string> names;
  std::string report; ///< the run's summary: the first malformed record
};

Read readAll(int format, const std::string &data) {
  Read out;
  srt_run *run = srt_run_create();
  srt_reader *r =
      srt_reader_open_memory(run, "events", data.data(), data.size(), format, &kEventLayout);
  EXPECT_NE(r, nullptr);
  Event e{};
  while (r && srt_reader_next(r, &e)) {
    out.events.push_back(e);
    out.names.emplace_back(e.name.ptr ? std::string(e.name.ptr, e.name.len) : "");
    // The record is reused, as generated code does: nothing may leak from
    // one record into the next.
  }
  if (r)
    srt_reader_close(r);
  testing::internal::CaptureStderr();
  srt_run_report(run, 0);
  out.report = testing::internal::GetCapturedStderr();
  srt_run_destroy(run);
  return out;
}

} // namespace

TEST(NestedJson, ObjectsFillTheirFieldsAndNullOrMissingRecordsAreNull) {
  Read r = readAll(SRT_FORMAT_JSON,
                   "{\"id\":\"a\",\"user\":{\"name\":\"x\",\"geo\":{\"lat\":1.5}},\"n\":1}\n"
                   "{\"id\":\"b\",\"user\":null,\"n\":2}\n"
                   "{\"id\":\"c\",\"n\":3}\n"
                   "{\"id\":\"d\",\"user\":{\"name\":\"y\"},\"n\":4}\n"
                   "{\"user\":{\"extra\":{\"deep\":[1,{}]},\"geo\":null,\"name\":\"w\"},"
                   "\"id\":\"e\",\"n\":5}\n");
  ASSERT_EQ(r.events.size(), 5u) << r.report;
  const Event &a = r.events[0];
  EXPECT_EQ(a.userNull, 0);
  EXPECT_EQ(r.names[0], "x");
  EXPECT_EQ(a.geoNull, 0);
  EXPECT_EQ(a.latNull, 0);
  EXPECT_EQ(a.lat, 1.5);
  EXPECT_EQ(a.n, 1);
  for (size_t i : {1u, 2u}) { // null, missing: the record and all its fields
    EXPECT_EQ(r.events[i].userNull, 1) << i;
    EXPECT_EQ(r.events[i].geoNull, 1) << i;
    EXPECT_EQ(r.events[i].latNull, 1) << i;
    EXPECT_EQ(r.events[i].n, static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(r.events[3].userNull, 0);
  EXPECT_EQ(r.names[3], "y");
  EXPECT_EQ(r.events[3].geoNull, 1);
  EXPECT_EQ(r.events[3].latNull, 1);
  EXPECT_EQ(r.names[4], "w"); // keys in any order, unknown ones skipped
  EXPECT_EQ(r.events[4].geoNull, 1);
  EXPECT_EQ(r.report, "");
}

TEST(NestedJson, WrongShapesAreMalformedWithTheDottedName) {
  struct Case {
    const char *line, *reason;
  } cases[] = {
      {"{\"id\":\"e\",\"user\":{\"geo\":{\"lat\":2}},\"n\":5}",
       "line 1: field 'user.name': missing, but not nullable"},
      {"{\"id\":\"f\",\"user\":\"oops\",\"n\":6}", "line 1: field 'user': not an object"},
      {"{\"id\":\"g\",\"user\":{\"name\":\"z\",\"geo\":{\"lat\":\"x\"}},\"n\":7}",
       "line 1: field 'user.geo.lat': not a number"},
      {"{\"id\":\"h\",\"user\":{\"name\":1},\"n\":8}", "line 1: field 'user.name': not a string"},
      {"{\"id\":\"i\",\"user\":[],\"n\":9}", "line 1: field 'user': not an object"},
  };
  for (const Case &c : cases) {
    Read r = readAll(SRT_FORMAT_JSON, std::string(c.line) + "\n{\"id\":\"ok\",\"n\":0}\n");
    EXPECT_EQ(r.events.size(), 1u) << c.line; // the other record is read
    EXPECT_NE(r.report.find(c.reason), std::string::npos) << c.line << "\n" << r.report;
  }
}

TEST(NestedCsv, DottedColumnsAndARecordWhoseColumnsAreEmptyIsNull) {
  Read r = readAll(SRT_FORMAT_CSV, "n,user.geo.lat,id,user.name\n"
                                   "1,1.5,a,x\n"
                                   "2,,b,\n"
                                   "3,,c,y\n"
                                   "4,2,d,\n");
  ASSERT_EQ(r.events.size(), 4u) << r.report;
  EXPECT_EQ(r.events[0].userNull, 0);
  EXPECT_EQ(r.names[0], "x");
  EXPECT_EQ(r.events[0].lat, 1.5);
  EXPECT_EQ(r.events[1].userNull, 1); // every column of user empty
  EXPECT_EQ(r.events[1].latNull, 1);
  EXPECT_EQ(r.events[2].userNull, 0);
  EXPECT_EQ(r.events[2].geoNull, 1);
  EXPECT_EQ(r.names[2], "y");
  EXPECT_EQ(r.events[3].userNull, 0); // lat has a value: name is ""
  EXPECT_EQ(r.names[3], "");
  EXPECT_EQ(r.events[3].lat, 2.0);
  EXPECT_EQ(r.report, "");
}

namespace {
std::string writeAll(int format) {
  srt_run *run = srt_run_create();
  srt_writer *w = srt_writer_open_memory(run, "out", format, &kEventLayout);
  Event full{{"a", 1}, {"x\"y", 3}, 1.5, 1, 0, 0, 0};
  Event noGeo{{"b", 1}, {"z", 1}, 0, 2, 0, 1, 1};
  Event noUser{{"c", 1}, {nullptr, 0}, 0, 3, 1, 1, 1};
  for (const Event *e : {&full, &noGeo, &noUser})
    srt_writer_write(w, e);
  srt_writer_flush(w);
  size_t len;
  const char *p = srt_writer_contents(w, &len);
  std::string out(p, len);
  srt_writer_close(w);
  srt_run_destroy(run);
  return out;
}
} // namespace

TEST(NestedWriters, JsonWritesNestedObjectsCsvDottedColumns) {
  EXPECT_EQ(writeAll(SRT_FORMAT_JSON),
            "{\"id\":\"a\",\"user\":{\"name\":\"x\\\"y\",\"geo\":{\"lat\":1.5}},\"n\":1}\n"
            "{\"id\":\"b\",\"user\":{\"name\":\"z\",\"geo\":null},\"n\":2}\n"
            "{\"id\":\"c\",\"user\":null,\"n\":3}\n");
  EXPECT_EQ(writeAll(SRT_FORMAT_CSV), "id,user.name,user.geo.lat,n\n"
                                      "a,\"x\"\"y\",1.5,1\n"
                                      "b,z,,2\n"
                                      "c,,,3\n");
}
