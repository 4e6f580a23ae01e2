/// \file
/// Writers: JSON lines, CSV (RFC 4180, header first) and aligned tables,
/// formatted into a buffer that is written in large blocks.

#include "formats/Formats.h"
#include "kafka/Kafka.h"
#include "run/Config.h"
#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr size_t kDefaultFlushAt = 1 << 16; ///< bytes buffered unless configured

template <typename T> const T &at(const void *record, uint32_t offset) {
  return *reinterpret_cast<const T *>(static_cast<const char *>(record) + offset);
}

bool isNull(const void *record, const srt_field &f) {
  return f.null_offset >= 0 && at<uint8_t>(record, static_cast<uint32_t>(f.null_offset)) != 0;
}

/// The layout's fields that are columns: a nested record's fields (by their
/// dotted names), not the record itself (LANGUAGE.md §4: CSV sinks write
/// dotted columns).
std::vector<srt_field> columnsOf(const std::vector<srt_field> &fields) {
  std::vector<srt_field> out;
  for (const srt_field &f : fields)
    if (f.type != SRT_RECORD)
      out.push_back(f);
  return out;
}

/// Calls \p f(field, isNull) for each column of \p record: a field of a
/// null record is null, whatever its own slot holds.
template <typename F>
void forEachColumn(const std::vector<srt_field> &fields, const void *record, F f) {
  size_t nullUntil = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    const srt_field &field = fields[i];
    bool inNullRecord = i < nullUntil;
    if (field.type == SRT_RECORD) {
      if (!inNullRecord && isNull(record, field))
        nullUntil = i + 1 + field.nested;
      continue;
    }
    f(field, inNullRecord || isNull(record, field));
  }
}

void appendJsonString(std::string &out, const char *p, int64_t n);
void appendValue(std::string &out, const void *record, const srt_field &f, bool json);

/// Fields [begin, end) as a JSON object, each named by its name after
/// \p prefix bytes (its record's name and the dot); a nested record is a
/// nested object, or null.
void appendJsonObject(std::string &out, const std::vector<srt_field> &fields, size_t begin,
                      size_t end, size_t prefix, const void *record) {
  out += '{';
  for (size_t i = begin; i < end; ++i) {
    const srt_field &f = fields[i];
    if (i != begin)
      out += ',';
    const char *key = f.name + std::min(prefix, std::strlen(f.name));
    appendJsonString(out, key, static_cast<int64_t>(std::strlen(key)));
    out += ':';
    size_t inner = f.type == SRT_RECORD ? f.nested : 0;
    if (isNull(record, f))
      out += "null";
    else if (f.type == SRT_RECORD)
      appendJsonObject(out, fields, i + 1, i + 1 + inner, std::strlen(f.name) + 1, record);
    else
      appendValue(out, record, f, true);
    i += inner;
  }
  out += '}';
}

void appendJsonString(std::string &out, const char *p, int64_t n) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (int64_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  out += '"';
}

/// Appends a non-null value as text; `json` quotes strings and timestamps
/// and writes non-finite floats as null.
void appendValue(std::string &out, const void *record, const srt_field &f, bool json) {
  char buf[40];
  static_assert(sizeof buf >= SRT_TIMESTAMP_MAX_LEN);
  switch (f.type) {
  case SRT_BOOL:
    out += at<uint8_t>(record, f.offset) ? "true" : "false";
    return;
  case SRT_I64:
  case SRT_DURATION: {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, at<int64_t>(record, f.offset));
    out.append(buf, end);
    return;
  }
  case SRT_F64: {
    double v = at<double>(record, f.offset);
    if (json && !std::isfinite(v)) {
      out += "null";
      return;
    }
    out.append(buf, srt_format_double(v, buf));
    return;
  }
  case SRT_STRING: {
    const srt_str &s = at<srt_str>(record, f.offset);
    if (json)
      appendJsonString(out, s.ptr, s.len);
    else
      out.append(s.ptr, static_cast<size_t>(s.len));
    return;
  }
  case SRT_TIMESTAMP: {
    size_t n = srt_format_timestamp(at<int64_t>(record, f.offset), buf);
    if (json)
      out += '"';
    out.append(buf, n);
    if (json)
      out += '"';
    return;
  }
  default:
    return;
  }
}

void appendCsvCell(std::string &out, const std::string &cell) {
  bool quote = cell.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}

/// Display width: UTF-8 characters, not bytes.
size_t displayWidth(const std::string &s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

/// A table cell on one line: control characters are escaped.
std::string tableCell(const std::string &s) {
  std::string out(2 * s.size(), '\0');
  out.resize(srt_table_cell(s.data(), s.size(), out.data()));
  return out;
}

bool rightAligned(uint32_t type) {
  return type == SRT_I64 || type == SRT_F64 || type == SRT_DURATION;
}

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
      appendJsonObject(buffer, fields, 0, fields.size(), 0, record);
      buffer += '\n';
      break;
    case SRT_FORMAT_CSV: {
      bool first = true;
      forEachColumn(fields, record, [&](const srt_field &f, bool null) {
        if (!first)
          buffer += ',';
        first = false;
        if (null)
          return;
        cell.clear();
        appendValue(cell, record, f, false);
        appendCsvCell(buffer, cell);
      });
      buffer += '\n';
      break;
    }
    case SRT_FORMAT_TEXT: // the one field (sema checks it), as it is; null: an empty line
      if (!fields.empty() && !isNull(record, fields[0]))
        appendValue(buffer, record, fields[0], false);
      buffer += '\n';
      break;
    case SRT_FORMAT_TABLE: {
      std::vector<std::string> row;
      forEachColumn(fields, record, [&](const srt_field &f, bool null) {
        std::string c;
        if (null)
          c = "null";
        else
          appendValue(c, record, f, false);
        row.push_back(tableCell(c));
      });
      row.resize(columns.size()); // the table's columns are the first layout's
      tableRows.push_back(std::move(row));
      return;
    }
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
    std::vector<size_t> width(columns.size());
    for (size_t i = 0; i < columns.size(); ++i)
      width[i] = displayWidth(columns[i].name);
    for (const auto &row : tableRows)
      for (size_t i = 0; i < row.size(); ++i)
        width[i] = std::max(width[i], displayWidth(row[i]));
    auto line = [&](const std::vector<std::string> &cells, bool header) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (i)
          buffer += "  ";
        size_t pad = width[i] - displayWidth(cells[i]);
        bool right = !header && rightAligned(columns[i].type);
        if (right)
          buffer.append(pad, ' ');
        buffer += cells[i];
        if (!right && i + 1 < cells.size())
          buffer.append(pad, ' ');
      }
      buffer += '\n';
    };
    std::vector<std::string> header;
    for (const srt_field &f : columns)
      header.push_back(f.name);
    line(header, true);
    std::vector<std::string> rule;
    for (size_t w : width)
      rule.push_back(std::string(w, '-'));
    line(rule, true);
    for (const auto &row : tableRows)
      line(row, false);
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
  w->columns = columnsOf(w->fields);
  w->layoutFields = layout->fields;
  w->layout = *layout;
  if (run->config && srt_config_write_batch(run->config) > 0)
    w->flushAt = static_cast<size_t>(srt_config_write_batch(run->config));
  run->liveWriters.push_back(w);
  if (format == SRT_FORMAT_CSV) {
    for (size_t i = 0; i < w->columns.size(); ++i) {
      if (i)
        w->buffer += ',';
      appendCsvCell(w->buffer, w->columns[i].name);
    }
    w->buffer += '\n';
  }
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

extern "C" size_t srt_table_cell(const char *text, size_t len, char *out) {
  size_t n = 0;
  for (size_t i = 0; i < len; ++i) {
    char c = text[i];
    char escaped = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : 0;
    if (escaped) {
      out[n++] = '\\';
      out[n++] = escaped;
    } else {
      out[n++] = c;
    }
  }
  return n;
}
