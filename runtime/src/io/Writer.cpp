/// \file
/// Writers: a sink's records, formatted by their format's writer
/// (formats/RecordText.h: JSON lines, CSV, tables, text) into a buffer that
/// is written in large blocks to a file or stdout, kept in memory, sent as
/// Kafka messages, or handed to a capture (the REPL, streamc test).

#include "formats/Formats.h"
#include "formats/RecordText.h"
#include "kafka/Kafka.h"
#include "run/Config.h"
#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr size_t kDefaultFlushAt = 1 << 16; ///< bytes buffered unless configured

} // namespace

struct srt_writer {
  srt_run *run = nullptr;
  SinkStats *stats = nullptr;
  int format = SRT_FORMAT_JSON;
  std::vector<srt_field> fields;  ///< the layout's entries, nested records' included
  std::vector<srt_field> columns; ///< the fields that are CSV and table columns
  const srt_field *layoutFields = nullptr; ///< the layout opened with
  std::FILE *file = nullptr;
  bool ownsFile = false;
  bool memory = false;
  std::string buffer;
  std::string memoryContents;
  std::vector<std::vector<std::string>> tableRows; ///< table format: kept until flush
  std::string cell;
  bool failed = false;
  size_t flushAt = kDefaultFlushAt;
  /// A Kafka sink: each record is one message, with `key` (null: none).
  std::unique_ptr<KafkaProducer> kafka;
  const char *key = nullptr;
  size_t keyLen = 0;
  /// A captured sink (srt_run_capture_sink): records go to this function.
  SinkCapture capture;
  srt_layout layout{}; ///< the layout opened with, for the capture

  void write(const void *record) {
    if (capture.fn) {
      ++stats->written;
      capture.fn(capture.user, &layout, record);
      return;
    }
    writeAs(fields, record);
  }

  void writeAs(const std::vector<srt_field> &fields, const void *record) {
    ++stats->written;
    switch (format) {
    case SRT_FORMAT_JSON:
      record_text::writeJson(buffer, fields, record);
      break;
    case SRT_FORMAT_CSV:
      record_text::writeCsv(buffer, cell, fields, record);
      break;
    case SRT_FORMAT_TEXT:
      record_text::writeText(buffer, fields, record);
      break;
    case SRT_FORMAT_TABLE: // kept until the flush: the columns' widths
      tableRows.push_back(record_text::tableRow(fields, record, columns.size()));
      return;
    }
    if (kafka) {
      kafka->produce(buffer.data(), buffer.size() - 1, key, keyLen); // without the '\n'
      buffer.clear();
      return;
    }
    if (buffer.size() >= flushAt)
      flush();
  }

  void renderTable() {
    if (tableRows.empty() && columns.empty())
      return;
    record_text::renderTable(buffer, columns, tableRows);
    tableRows.clear();
  }

  int flush() {
    if (kafka)
      return kafka->flush() ? 0 : -1;
    if (format == SRT_FORMAT_TABLE)
      renderTable();
    if (memory) {
      memoryContents += buffer;
      buffer.clear();
      return 0;
    }
    if (!buffer.empty() && !failed) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), file) != buffer.size() ||
          std::fflush(file)) {
        failed = true;
        run->error = "sink " + stats->name + ": write failed: " + std::strerror(errno);
      }
    }
    buffer.clear();
    return failed ? -1 : 0;
  }
};

namespace {

srt_writer *makeWriter(srt_run *run, const char *sink, int format, const srt_layout *layout) {
  auto *w = new srt_writer();
  w->run = run;
  w->stats = run->addSink(sink);
  w->format = format;
  w->fields.assign(layout->fields, layout->fields + layout->nfields);
  w->columns = record_text::columnsOf(w->fields);
  w->layoutFields = layout->fields;
  w->layout = *layout;
  if (run->config && srt_config_write_batch(run->config) > 0)
    w->flushAt = static_cast<size_t>(srt_config_write_batch(run->config));
  run->liveWriters.push_back(w);
  if (format == SRT_FORMAT_CSV)
    record_text::writeCsvHeader(w->buffer, w->columns);
  return w;
}

/// For the tests (test/run-jit-aot.py compares every file both runs wrote):
/// with STREAMC_TEST_OUTPUT_LOG set, each file a sink opens is named on a
/// line of that file.
void logOutputPath(const char *path) {
  const char *log = std::getenv("STREAMC_TEST_OUTPUT_LOG");
  if (!log || !*log)
    return;
  if (std::FILE *f = std::fopen(log, "a")) {
    std::fprintf(f, "%s\n", path);
    std::fclose(f);
  }
}

} // namespace

extern "C" {

srt_writer *srt_writer_open(srt_run *run, const char *sink, const char *path, int format,
                            const srt_layout *layout) {
  if (const SinkCapture *capture = run->captureOf(sink)) {
    srt_writer *w = makeWriter(run, sink, format, layout);
    w->capture = *capture;
    w->memory = true; // nothing is formatted; a CSV header stays in memory
    return w;
  }
  std::FILE *file = stdout;
  if (path) {
    file = std::fopen(path, "wb");
    if (!file) {
      run->error = std::string("sink ") + (sink ? sink : "?") + ": cannot write " + path + ": " +
                   std::strerror(errno);
      return nullptr;
    }
  }
  if (path)
    logOutputPath(path);
  srt_writer *w = makeWriter(run, sink, format, layout);
  w->file = file;
  w->ownsFile = path != nullptr;
  return w;
}

srt_writer *srt_writer_open_text(srt_run *run, const char *sink, const char *path, int64_t path_len,
                                 const char *format, int64_t format_len, const srt_layout *layout) {
  if (!checkConfigConnector(run, SRT_CONFIG_SINKS, sink,
                            path ? SRT_CONNECTOR_FILE : SRT_CONNECTOR_STDOUT))
    return nullptr;
  std::string overridePath;
  if (const char *p = configArg(run, SRT_CONFIG_SINKS, sink, "path")) {
    overridePath = p;
    path = overridePath.c_str();
    path_len = static_cast<int64_t>(overridePath.size());
  }
  std::string f;
  if (!connectorFormat(run, SRT_CONFIG_SINKS, sink, format, format_len, path, path_len, f))
    return nullptr;
  // The dead-letter sink belongs to the run: no pipeline may write to it.
  if (run->deadLetter && run->config && sink) {
    const char *dead = srt_config_dead_letter(run->config, nullptr);
    if (dead && std::strcmp(dead, sink) == 0) {
      run->error = deadLetterClash(*run->config, sink);
      return nullptr;
    }
  }
  const srt_format_info *info = formatFor(f, kFormatWrite);
  if (!info) {
    run->error = std::string("sink ") + (sink ? sink : "?") + ": unknown format '" + f + "' (" +
                 formatNames(kFormatWrite) + ")";
    return nullptr;
  }
  int code = info->code;
  if (!path)
    return srt_writer_open(run, sink, nullptr, code, layout);
  std::string p(path, static_cast<size_t>(path_len));
  return srt_writer_open(run, sink, p.c_str(), code, layout);
}

srt_writer *srt_writer_open_memory(srt_run *run, const char *sink, int format,
                                   const srt_layout *layout) {
  srt_writer *w = makeWriter(run, sink, format, layout);
  w->memory = true;
  return w;
}

void srt_writer_write(srt_writer *w, const void *record) { w->write(record); }

void srt_writer_write_as(srt_writer *w, const srt_layout *layout, const void *record) {
  if (w->capture.fn) {
    ++w->stats->written;
    w->capture.fn(w->capture.user, layout, record);
    return;
  }
  // The common case is the layout the writer was opened with.
  if (layout->fields == w->layoutFields) {
    w->write(record);
    return;
  }
  std::vector<srt_field> fields(layout->fields, layout->fields + layout->nfields);
  w->writeAs(fields, record);
}

const char *srt_writer_contents(srt_writer *w, size_t *len) {
  *len = w->memoryContents.size();
  return w->memoryContents.data();
}

int srt_writer_flush(srt_writer *w) { return w->flush(); }

} // extern "C"

void deliverWriterOutput(srt_writer *w) {
  if (!w->kafka && !w->memory && w->format != SRT_FORMAT_TABLE)
    w->flush();
}

bool srt_writer_checkpoint(srt_writer *w) {
  if (w->format == SRT_FORMAT_TABLE || w->memory)
    return true;
  return w->flush() == 0;
}

extern "C" {

srt_writer *srt_writer_open_kafka(srt_run *run, const char *sink, const char *topic,
                                  int64_t topic_len, const char *format, int64_t format_len,
                                  const srt_layout *layout) {
  if (!checkConfigConnector(run, SRT_CONFIG_SINKS, sink, SRT_CONNECTOR_KAFKA))
    return nullptr;
  std::string t = connectorText(run, SRT_CONFIG_SINKS, sink, "topic", topic, topic_len);
  std::string f = connectorText(run, SRT_CONFIG_SINKS, sink, "format", format, format_len);
  const srt_format_info *info = formatFor(f, kFormatWrite | kFormatMessage);
  if (!info) {
    run->error = std::string("sink ") + (sink ? sink : "?") + ": unknown format '" + f +
                 "' (a Kafka sink writes " + formatNames(kFormatWrite | kFormatMessage) + ")";
    return nullptr;
  }
  int code = info->code;
  if (const SinkCapture *capture = run->captureOf(sink)) {
    srt_writer *w = makeWriter(run, sink, code, layout);
    w->capture = *capture;
    w->memory = true;
    return w;
  }
  std::unique_ptr<KafkaProducer> producer = KafkaProducer::open(run, sink, t);
  if (!producer)
    return nullptr;
  srt_writer *w = makeWriter(run, sink, code, layout);
  w->buffer.clear(); // one record per message: no CSV header
  w->kafka = std::move(producer);
  return w;
}

void srt_writer_write_keyed(srt_writer *w, const srt_layout *layout, const void *record,
                            const char *key, int64_t key_len) {
  w->key = key;
  w->keyLen = key ? static_cast<size_t>(key_len) : 0;
  srt_writer_write_as(w, layout, record);
  w->key = nullptr;
}

void srt_writer_write_keyed_i64(srt_writer *w, const srt_layout *layout, const void *record,
                                int64_t key, int32_t key_null) {
  char text[24];
  auto [end, ec] = std::to_chars(text, text + sizeof text, key);
  srt_writer_write_keyed(w, layout, record, key_null ? nullptr : text, end - text);
}

int srt_writer_close(srt_writer *w) {
  auto &live = w->run->liveWriters;
  live.erase(std::remove(live.begin(), live.end(), w), live.end());
  int status = w->flush();
  if (w->ownsFile && std::fclose(w->file) != 0 && status == 0) {
    w->run->error = "sink " + w->stats->name + ": close failed: " + std::strerror(errno);
    status = -1;
  }
  delete w;
  return status;
}

} // extern "C"
