/// \file
/// Readers: buffered input, record framing (lines; CSV records with quoted
/// newlines), and parsing of the fields the program reads, by name, straight
/// into the compiler's record layout. Numbers use fast_float and
/// std::from_chars, JSON uses simdjson's on-demand API. A malformed record is
/// skipped, counted and remembered; it never ends the input.

#include "io/Reader.h"
#include "io/ReaderState.h"
#include "formats/Formats.h"
#include "formats/Nested.h"
#include "formats/ReaderText.h"
#include "gen/Generator.h"
#include "io/Input.h"
#include "kafka/Kafka.h"
#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <fast_float/fast_float.h>
#include <simdjson.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

using namespace reader_detail;

namespace {

constexpr size_t kDefaultChunk = 1 << 20; ///< bytes per read() unless configured

} // namespace

namespace reader_detail {

Problem parseText(void *record, const srt_field &f, std::string_view text) {
  const char *b = text.data(), *e = text.data() + text.size();
  switch (f.type) {
  case SRT_BOOL:
    if (text == "true" || text == "1" || text == "TRUE" || text == "True")
      at<uint8_t>(record, f.offset) = 1;
    else if (text == "false" || text == "0" || text == "FALSE" || text == "False")
      at<uint8_t>(record, f.offset) = 0;
    else
      return "not a bool";
    return {};
  case SRT_I64:
  case SRT_DURATION: {
    int64_t v;
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec == std::errc::result_out_of_range)
      return "integer out of range";
    if (ec != std::errc() || p != e)
      return "not an integer";
    at<int64_t>(record, f.offset) = v;
    return {};
  }
  case SRT_F64: {
    double v;
    auto [p, ec] = fast_float::from_chars(b, e, v);
    if (ec != std::errc() || p != e || !std::isfinite(v))
      return "not a number";
    at<double>(record, f.offset) = v;
    return {};
  }
  case SRT_STRING:
    at<srt_str>(record, f.offset) = {text.data(), static_cast<int64_t>(text.size())};
    return {};
  case SRT_TIMESTAMP: {
    int64_t ms;
    if (!srt_parse_timestamp(text.data(), text.size(), &ms))
      return "not a timestamp (RFC 3339 or epoch milliseconds)";
    at<int64_t>(record, f.offset) = ms;
    return {};
  }
  default:
    return "unsupported type";
  }
}

} // namespace reader_detail


namespace {

/// A reader of source \p source with its own copy of \p layout.
srt_reader *newReader(srt_run *run, const char *source, int format, const srt_layout *layout) {
  auto *r = new srt_reader();
  r->run = run;
  r->stats = run->addSource(source);
  r->format = format;
  r->layout = *layout;
  r->fields.assign(layout->fields, layout->fields + layout->nfields);
  r->layout.fields = r->fields.data();
  return r;
}

srt_reader *makeReader(srt_run *run, const char *source, int format, const srt_layout *layout,
                       std::unique_ptr<Input> input) {
  srt_reader *r = newReader(run, source, format, layout);
  r->input = std::move(input);
  r->input->stopWhen(&run->interrupted);
  r->input->beforeWaiting([run] { run->deliverOutput(); });
  r->framer = Framer(format == SRT_FORMAT_CSV, /*lfOnly=*/format == SRT_FORMAT_TEXT);
  // Text: the schema's one field (sema checks there is exactly one, a string).
  if (format == SRT_FORMAT_TEXT && !r->fields.empty() && r->fields[0].read)
    r->textField = 0;
  r->nested = NestedFields(r->fields);
  // A file's CSV header is read now, so a bad one fails the start-up; a
  // pipe's or a fifo's arrives when it arrives: it is read by the first
  // srt_reader_next, through the scheduler like any later input.
  r->headerPending = format == SRT_FORMAT_CSV;
  if (r->headerPending && r->input->bounded() && r->readHeader() == srt_reader::Header::Bad) {
    delete r;
    return nullptr;
  }
  return r;
}

} // namespace

extern "C" {

srt_reader *srt_reader_open(srt_run *run, const char *source, const char *path, int format,
                            const srt_layout *layout) {
  int fd = 0;
  if (path) {
    // Without waiting for a writer (a fifo's open would block until one
    // came): the scheduler waits for the input like for any later bytes.
    fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      run->error = std::string("source ") + (source ? source : "?") + ": cannot open " + path +
                   ": " + std::strerror(errno);
      return nullptr;
    }
  }
  size_t chunk = kDefaultChunk;
  if (run->config && srt_config_read_batch(run->config) > 0)
    chunk = static_cast<size_t>(srt_config_read_batch(run->config));
  auto input = std::make_unique<Input>(fd, path != nullptr, chunk);
  input->setNonBlockingFd(path != nullptr);
  return makeReader(run, source, format, layout, std::move(input));
}

srt_reader *srt_reader_open_text(srt_run *run, const char *source, const char *path,
                                 int64_t path_len, const char *format, int64_t format_len,
                                 const srt_layout *layout) {
  if (!checkConfigConnector(run, SRT_CONFIG_SOURCES, source,
                            path ? SRT_CONNECTOR_FILE : SRT_CONNECTOR_STDIN))
    return nullptr;
  std::string overridePath;
  if (const char *p = configArg(run, SRT_CONFIG_SOURCES, source, "path")) {
    overridePath = p;
    path = overridePath.c_str();
    path_len = static_cast<int64_t>(overridePath.size());
  }
  std::string f;
  if (!connectorFormat(run, SRT_CONFIG_SOURCES, source, format, format_len, path, path_len, f))
    return nullptr;
  const srt_format_info *info = formatFor(f, kFormatRead);
  if (!info) {
    run->error = std::string("source ") + (source ? source : "?") + ": unknown format '" + f +
                 "' (" + formatNames(kFormatRead) + ")";
    return nullptr;
  }
  int code = info->code;
  if (!path)
    return srt_reader_open(run, source, nullptr, code, layout);
  std::string p(path, static_cast<size_t>(path_len));
  return srt_reader_open(run, source, p.c_str(), code, layout);
}

srt_reader *srt_reader_open_generator(srt_run *run, const char *source, const char *kind,
                                      int64_t kind_len, int64_t events, double rate, int64_t seed,
                                      const srt_layout *layout) {
  std::string k(kind, static_cast<size_t>(kind_len));
  if (!configGenerator(run, source, k, events, rate, seed, layout))
    return nullptr;
  if (!generatorFields(k)) {
    run->error =
        std::string("source ") + (source ? source : "?") + ": unknown generator kind '" + k + "'";
    return nullptr;
  }
  srt_reader *r = newReader(run, source, SRT_FORMAT_JSON, layout);
  r->origin = srt_reader::Origin::Generator;
  r->generator = std::make_unique<Generator>(k, events, rate, static_cast<uint64_t>(seed));
  r->generator->stopWhen(&run->interrupted);
  return r;
}

srt_reader *srt_reader_open_kafka(srt_run *run, const char *source, const char *topic,
                                  int64_t topic_len, const char *format, int64_t format_len,
                                  const srt_layout *layout) {
  if (!checkConfigConnector(run, SRT_CONFIG_SOURCES, source, SRT_CONNECTOR_KAFKA))
    return nullptr;
  std::string t = connectorText(run, SRT_CONFIG_SOURCES, source, "topic", topic, topic_len);
  std::string f = connectorText(run, SRT_CONFIG_SOURCES, source, "format", format, format_len);
  const srt_format_info *info = formatFor(f, kFormatRead | kFormatMessage);
  if (!info) {
    run->error = std::string("source ") + (source ? source : "?") + ": unknown format '" + f +
                 "' (" + formatNames(kFormatRead | kFormatMessage) + ")";
    return nullptr;
  }
  srt_reader *r = newReader(run, source, info->code, layout);
  // Metadata fields come from the message, the others from the payload (a
  // CSV payload has the payload fields in the schema's order).
  for (size_t i = 0; i < r->fields.size(); ++i) {
    srt_field &fd = r->fields[i];
    int *meta = std::strcmp(fd.name, "_key") == 0         ? &r->keyField
                : std::strcmp(fd.name, "_partition") == 0 ? &r->partitionField
                : std::strcmp(fd.name, "_offset") == 0    ? &r->offsetField
                : std::strcmp(fd.name, "_timestamp") == 0 ? &r->timestampField
                                                          : nullptr;
    if (meta) {
      if (fd.read)
        *meta = static_cast<int>(i);
      fd.read = 0; // not parsed from the payload
      continue;
    }
    if (fd.type == SRT_RECORD)
      continue; // no column of its own: its fields are columns
    r->columnField.push_back(fd.read ? static_cast<int>(i) : -1);
    if (fd.read && info->code == SRT_FORMAT_TEXT && r->textField < 0)
      r->textField = static_cast<int>(i); // the one payload field
  }
  r->nested = NestedFields(r->fields);
  r->origin = srt_reader::Origin::Kafka;
  r->kafka = KafkaConsumer::open(run, source, t);
  if (!r->kafka) {
    delete r;
    return nullptr;
  }
  return r;
}

srt_reader *srt_reader_open_memory(srt_run *run, const char *source, const char *data, size_t len,
                                   int format, const srt_layout *layout) {
  return makeReader(run, source, format, layout, std::make_unique<Input>(data, len));
}

int64_t srt_reader_fill(srt_reader *r, void *records, int64_t capacity, int64_t stride) {
  if (r->origin != srt_reader::Origin::Generator) {
    int got = srt_reader_next(r, records);
    return got == 2 ? -2 : got;
  }
  if (r->run->interruptRequested()) // srt_run_interrupt: the input ends here
    return 0;
  r->run->recordEpoch = r->run->epoch;
  int64_t n = r->generator->fill(r->fields, static_cast<char *>(records), capacity,
                                 static_cast<size_t>(stride));
  if (n == 0)
    return r->generator->waiting() ? -2 : 0;
  r->stats->read += n;
  return n;
}

int srt_reader_next(srt_reader *r, void *record) {
  if (r->run->interruptRequested()) // srt_run_interrupt: the input ends here
    return 0;
  r->run->recordEpoch = r->run->epoch;
  switch (r->origin) {
  case srt_reader::Origin::Generator:
    if (!r->generator->next(r->fields, record))
      return r->generator->waiting() ? 2 : 0;
    ++r->stats->read;
    return 1;
  case srt_reader::Origin::Kafka: {
    r->rejectedCurrent = false;
    int got = r->nextKafka(record);
    r->run->recordEpoch = r->run->epoch; // a checkpoint may have begun an epoch
    if (got == 1)
      ++r->stats->read;
    return got;
  }
  case srt_reader::Origin::Text:
    break;
  }
  r->rejectedCurrent = false;
  if (r->headerPending) {
    switch (r->readHeader()) {
    case srt_reader::Header::Waiting:
      return 2;
    case srt_reader::Header::Bad: // every record would fail: the run stops
      srt_run_stop(r->run);
      return 0;
    case srt_reader::Header::Read:
      break;
    }
  }
  Frame f;
  while (r->framer.next(*r->input, f)) {
    r->line = r->nextLine;
    r->nextLine += f.lines;
    const char *d = r->input->data();
    r->current = std::string_view(d + f.begin, f.end - f.begin);
    if (f.unterminated) {
      r->malformed(srt_reader::unterminated(f, r->line));
      continue;
    }
    bool ok = r->format == SRT_FORMAT_CSV
                  ? (f.end > f.begin && r->parseCsv(d + f.begin, d + f.end, record))
              : r->format == SRT_FORMAT_TEXT // every line is a record, an empty one too
                  ? r->parseTextLine(d + f.begin, d + f.end, record)
                  : r->parseJson(d, f.begin, f.end, r->input->capacity(), record);
    if (ok) {
      ++r->stats->read;
      return 1;
    }
  }
  return r->input->wouldBlock() ? 2 : 0;
}

void srt_reader_reject(srt_reader *r, const char *reason) {
  // A pipeline could not evaluate the record: it counts as skipped (once,
  // however many pipelines reject it), not as read.
  if (r->rejectedCurrent)
    return;
  r->rejectedCurrent = true;
  --r->stats->read;
  r->malformed(reason);
}

int64_t srt_reader_watermark(srt_reader *r, int64_t time, int64_t max_delay) {
  if (r->origin == srt_reader::Origin::Kafka)
    return r->kafka->watermark(time, max_delay);
  return time - max_delay;
}

void srt_reader_close(srt_reader *r) { delete r; }

void srt_reader_input_stats(const srt_reader *r, int64_t *buffer_bytes, int64_t *grows,
                            int64_t *framed_bytes) {
  *buffer_bytes = r->input ? static_cast<int64_t>(r->input->capacity()) : 0;
  *grows = r->input ? r->input->grows() : 0;
  *framed_bytes = r->input ? r->framer.framedBytes() : 0;
}

} // extern "C"

void readerSchedule(srt_reader *r) {
  switch (r->origin) {
  case srt_reader::Origin::Text:
    r->input->setNonBlocking(true);
    return;
  case srt_reader::Origin::Generator:
    r->generator->setNonBlocking(true);
    return;
  case srt_reader::Origin::Kafka:
    r->kafka->setNonBlocking();
    return;
  }
}

int readerWaitFd(const srt_reader *r) {
  switch (r->origin) {
  case srt_reader::Origin::Text:
    return r->input->fd();
  case srt_reader::Origin::Kafka:
    return r->kafka->waitFd();
  case srt_reader::Origin::Generator:
    break; // a timer (readerWakeInMs)
  }
  return -1;
}

int64_t readerWakeInMs(const srt_reader *r) {
  switch (r->origin) {
  case srt_reader::Origin::Generator:
    return r->generator->dueInMs();
  case srt_reader::Origin::Kafka:
    // A consumer commits and reports from next(): it is stepped at least as
    // often as it polled by itself.
    return 100;
  case srt_reader::Origin::Text:
    break;
  }
  return -1;
}

bool readerBounded(const srt_reader *r) {
  switch (r->origin) {
  case srt_reader::Origin::Text:
    return r->input->bounded();
  case srt_reader::Origin::Generator:
    return r->generator->bounded();
  case srt_reader::Origin::Kafka:
    break;
  }
  return false;
}
