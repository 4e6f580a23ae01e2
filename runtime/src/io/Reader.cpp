/// \file
/// Readers: buffered input, record framing (lines; CSV records with quoted
/// newlines), and parsing of the fields the program reads, by name, straight
/// into the compiler's record layout. Numbers use fast_float and
/// std::from_chars, JSON uses simdjson's on-demand API. A malformed record is
/// skipped, counted and remembered; it never ends the input.

#include "io/Reader.h"
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

namespace {

constexpr size_t kDefaultChunk = 1 << 20; ///< bytes per read() unless configured

/// Why a value did not parse; empty when it did.
using Problem = std::string;
/// A problem already reported (a nested object's, with its own field name).
const Problem kReported = "\x01";

template <typename T> T &at(void *record, uint32_t offset) {
  return *reinterpret_cast<T *>(static_cast<char *>(record) + offset);
}

void setNull(void *record, const srt_field &f, bool isNull) {
  if (f.null_offset >= 0)
    at<uint8_t>(record, static_cast<uint32_t>(f.null_offset)) = isNull ? 1 : 0;
}

/// Parses a textual value (a CSV field, or a JSON string for a timestamp)
/// into the record.
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

} // namespace

/// The reader: framing and parsing for one source.
struct srt_reader {
  /// Where the records come from: text (a file, stdin, memory) through
  /// `input`, a built-in generator, or Kafka messages.
  enum class Origin { Text, Generator, Kafka } origin = Origin::Text;
  srt_run *run = nullptr;
  SourceStats *stats = nullptr;
  int format = SRT_FORMAT_JSON;
  srt_layout layout{};
  std::vector<srt_field> fields; ///< a copy of the layout's fields
  std::unique_ptr<Input> input;
  std::unique_ptr<Generator> generator; ///< a generator source (no input)
  std::unique_ptr<KafkaConsumer> kafka; ///< a Kafka source (one record per message)
  std::vector<char> payload;            ///< the message being parsed, padded for simdjson
  KafkaRecord message{};
  /// The Kafka metadata fields the schema declares (-1: not declared).
  int keyField = -1, partitionField = -1, offsetField = -1, timestampField = -1;
  int64_t line = 0;             ///< 1-based line of the current record's first line
  int64_t nextLine = 1;         ///< the line the next record starts on
  bool rejectedCurrent = false; ///< a pipeline rejected the current record

  // CSV: for each column of the header, the field it fills (-1: ignored).
  std::vector<int> columnField;
  bool headerPending = false; ///< the header is still to be read
  enum class Header { Read, Waiting, Bad };
  std::vector<std::string_view> cells;
  std::string scratch; ///< unescaped quoted CSV cells of the current record
  std::vector<uint8_t> seen;

  // Text: the one field a line fills (-1: none the program reads).
  int textField = -1;

  /// A line of the "text" format into the record's one string field.
  bool parseTextLine(const char *b, const char *e, void *record) {
    if (textField < 0)
      return true; // the program reads no field of it: only counted
    const srt_field &f = fields[textField];
    std::string_view line(b, static_cast<size_t>(e - b));
    if (!simdjson::validate_utf8(line.data(), line.size())) {
      malformed(std::string("field '") + f.name + "': not valid UTF-8: " + quoted(line));
      return false;
    }
    at<srt_str>(record, f.offset) = {line.data(), static_cast<int64_t>(line.size())};
    setNull(record, f, false);
    return true;
  }

  // JSON: the fields the program reads by key, in each (nested) object.
  NestedFields nested;
  simdjson::ondemand::parser parser;
  const char *lineEnd = nullptr; ///< the end of the JSON line being parsed

  Framer framer{false}; ///< frames a file's or stdin's records (CSV: quoted line breaks)

  /// The text of the current record (valid until the next one is framed).
  std::string_view current;

  void malformed(const std::string &why) {
    ++stats->skipped;
    // A message is located by its partition and offset, text by its line.
    bool fromKafka = origin == Origin::Kafka;
    if (stats->firstError.empty())
      stats->firstError = (fromKafka ? "partition " + std::to_string(message.partition) +
                                           " offset " + std::to_string(message.offset)
                                     : "line " + std::to_string(line)) +
                          ": " + why;
    int64_t at = fromKafka ? message.offset : line;
    if (run->deadLetter && !simdjson::validate_utf8(current.data(), current.size())) {
      run->toDeadLetter(stats->name, at, why, validUtf8(current));
      return;
    }
    run->toDeadLetter(stats->name, at, why, current);
  }

  /// Splits the CSV record [b, e) into `cells`; false (and why) when it is
  /// malformed.
  bool splitCells(const char *b, const char *e, std::string &why) {
    CsvProblem problem = splitCsv(b, e, cells, scratch);
    if (problem.kind == CsvProblem::None)
      return true;
    std::string where = positionIn(b, b + problem.offset, line);
    why = problem.kind == CsvProblem::Unterminated
              ? "unterminated quoted field: the quote at " + where + " is not closed"
              : "text after the closing quote of a quoted field, at " + where;
    return false;
  }

  /// The reason for an unterminated quoted field that framing found.
  static std::string unterminated(const Frame &f, int64_t line) {
    return "unterminated quoted field: the quote at line " + std::to_string(line + f.quoteLine) +
           ", column " + std::to_string(f.quoteColumn) + " is not closed";
  }

  /// Reads the header and maps columns to fields by name.
  Header readHeader() {
    Frame f;
    if (!framer.next(*input, f))
      return input->wouldBlock() ? Header::Waiting : Header::Read; // empty: no records
    headerPending = false;
    line = nextLine;
    nextLine += f.lines;
    std::string why;
    const char *d = input->data();
    if (f.unterminated)
      why = unterminated(f, line);
    if (!why.empty() || !splitCells(d + f.begin, d + f.end, why)) {
      run->error = "source " + stats->name + ": the CSV header is malformed: " + why;
      return Header::Bad;
    }
    columnField.assign(cells.size(), -1);
    std::vector<bool> found(fields.size(), false);
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string_view name = cells[c];
      while (!name.empty() && name.front() == ' ')
        name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ')
        name.remove_suffix(1);
      for (size_t f = 0; f < fields.size(); ++f)
        if (!found[f] && fields[f].type != SRT_RECORD && name == fields[f].name) {
          found[f] = true;
          columnField[c] = fields[f].read ? static_cast<int>(f) : -1;
        }
    }
    // A column the program needs and cannot do without is a configuration
    // error: every record would fail.
    for (size_t f = 0; f < fields.size(); ++f)
      if (fields[f].read && !found[f] && fields[f].null_offset < 0 &&
          fields[f].type != SRT_RECORD && !nested.inNullableRecord(f)) {
        run->error =
            "source " + stats->name + ": the CSV header has no column '" + fields[f].name + "'";
        return Header::Bad;
      }
    return Header::Read;
  }

  bool parseCsv(const char *b, const char *e, void *record) {
    std::string why;
    if (!splitCells(b, e, why)) {
      malformed(why);
      return false;
    }
    // One check of the whole record; only a bad one looks for the field.
    if (!simdjson::validate_utf8(b, static_cast<size_t>(e - b)) && !checkUtf8())
      return false;
    seen.assign(fields.size(), 0);
    size_t n = std::min(cells.size(), columnField.size());
    for (size_t c = 0; c < n; ++c) {
      int fi = columnField[c];
      if (fi < 0)
        continue;
      const srt_field &f = fields[fi];
      seen[fi] = 1;
      std::string_view cell = cells[c];
      if (cell.empty() && nested.inNullableRecord(fi)) {
        seen[fi] = 3; // empty: decided with its record (csvRecordNulls)
        if (f.null_offset >= 0)
          setNull(record, f, true);
        else if (f.type == SRT_STRING) // "" if its record is not null
          at<srt_str>(record, f.offset) = {cell.data(), 0};
        continue;
      }
      if (cell.empty() && (f.null_offset >= 0 || f.type != SRT_STRING)) {
        if (f.null_offset < 0) {
          malformed(std::string("field '") + f.name + "': empty, but the field is not nullable");
          return false;
        }
        setNull(record, f, true);
        continue;
      }
      Problem p = parseText(record, f, cell);
      if (!p.empty()) {
        malformed(std::string("field '") + f.name + "': " + p + ": " + quoted(cell));
        return false;
      }
      setNull(record, f, false);
    }
    for (size_t fi = 0; fi < fields.size(); ++fi)
      if (fields[fi].read && !seen[fi] && fields[fi].type != SRT_RECORD) {
        if (nested.inNullableRecord(fi)) {
          seen[fi] = 3;
          if (fields[fi].type == SRT_STRING)
            at<srt_str>(record, fields[fi].offset) = {"", 0};
        } else if (fields[fi].null_offset < 0) {
          malformed(std::string("field '") + fields[fi].name + "': missing (the record has " +
                    std::to_string(cells.size()) + " columns)");
          return false;
        }
        if (fields[fi].null_offset >= 0)
          setNull(record, fields[fi], true);
      }
    return !nested.any() || csvRecordNulls(record);
  }

  /// A nested record in CSV is its dotted columns: a nullable one is null
  /// when none of them has a value; in one that is not null, an empty
  /// column of a field that is not nullable is malformed.
  bool csvRecordNulls(void *record) {
    for (size_t i = fields.size(); i-- > 0;) { // inner records first
      const srt_field &f = fields[i];
      if (f.type != SRT_RECORD || !f.read)
        continue;
      bool empty = true;
      for (size_t j = i + 1; j <= i + f.nested; ++j)
        if (fields[j].read && fields[j].type != SRT_RECORD && seen[j] == 1)
          empty = false;
      seen[i] = empty && f.null_offset >= 0 ? 3 : 1;
      if (seen[i] == 3)
        NestedFields::setNullTree(record, fields, i);
      else
        setNull(record, f, false);
    }
    for (size_t j = 0; j < fields.size(); ++j) {
      if (fields[j].type == SRT_RECORD && seen[j] == 3) {
        j += fields[j].nested; // null, with all its fields
        continue;
      }
      if (seen[j] == 3 && fields[j].null_offset < 0 && fields[j].type != SRT_STRING) {
        malformed(std::string("field '") + fields[j].name + "': empty, but the field is not nullable");
        return false;
      }
    }
    return true;
  }

  /// Rejects the record when a string field the program reads is not valid
  /// UTF-8 (a column it does not read may hold anything).
  bool checkUtf8() {
    size_t n = std::min(cells.size(), columnField.size());
    for (size_t c = 0; c < n; ++c) {
      int fi = columnField[c];
      if (fi >= 0 && fields[fi].type == SRT_STRING &&
          !simdjson::validate_utf8(cells[c].data(), cells[c].size())) {
        malformed(std::string("field '") + fields[fi].name +
                  "': not valid UTF-8: " + quoted(cells[c]));
        return false;
      }
    }
    return true;
  }

  /// Parses the JSON object in [b, e) of \p d, which has \p capacity
  /// readable bytes (simdjson reads some past the end).
  bool parseJson(const char *d, size_t b, size_t e, size_t capacity, void *record) {
    using namespace simdjson;
    // Skip blank lines silently.
    size_t k = b;
    while (k < e && (d[k] == ' ' || d[k] == '\t'))
      ++k;
    if (k == e)
      return false;
    padded_string_view view(d + b, e - b, capacity - b);
    lineEnd = d + e;
    ondemand::document doc;
    ondemand::object obj;
    if (auto err = parser.iterate(view).get(doc); err)
      return invalidJson(d + b, err);
    if (auto err = doc.get_object().get(obj); err)
      return invalidJson(d + b, err);
    seen.assign(fields.size(), 0);
    if (!parseJsonObject(obj, record, 0))
      return false;
    // One object per line: anything after it (a second object) is an error.
    if (!doc.current_location().error())
      return invalidJson(d + b, simdjson::TAPE_ERROR);
    // A field not seen is null (or the record malformed); so is every field
    // of a record not seen or null.
    for (size_t fi = 0; fi < fields.size(); ++fi) {
      const srt_field &f = fields[fi];
      if (!f.read || seen[fi] == 1)
        continue;
      if (!seen[fi] && f.null_offset < 0) {
        malformed(std::string("field '") + f.name + "': missing, but not nullable");
        return false;
      }
      if (f.type == SRT_RECORD) {
        NestedFields::setNullTree(record, fields, fi);
        fi += f.nested; // its fields are null with it
      } else {
        setNull(record, f, true);
      }
    }
    return true;
  }

  /// Parses the members of one object (level 0: the record; otherwise a
  /// nested record's object) into the fields it has. seen[f]: 1 present,
  /// 2 a record that was null.
  bool parseJsonObject(simdjson::ondemand::object &obj, void *record, int level) {
    using namespace simdjson;
    for (auto member : obj) {
      std::string_view key;
      ondemand::raw_json_string raw; // unescaping consumes the key: kept for a reason
      if (auto err = member.key().get(raw); err) {
        malformed(std::string("invalid JSON: ") + error_message(err));
        return false;
      }
      if (auto err = member.unescaped_key().get(key); err) {
        std::string escape = escapeProblem(raw.raw() - 1, lineEnd);
        malformed(escape.empty() ? std::string("invalid JSON: ") + error_message(err)
                                 : "invalid JSON: a key has an " + escape);
        return false;
      }
      int fi = nested.child(level, key);
      if (fi < 0)
        continue; // a key the program does not read
      const srt_field &f = fields[static_cast<size_t>(fi)];
      seen[static_cast<size_t>(fi)] = 1;
      ondemand::value v;
      if (auto err = member.value().get(v); err) {
        malformed(std::string("invalid JSON: ") + error_message(err));
        return false;
      }
      Problem p = f.type == SRT_RECORD ? parseJsonRecord(record, static_cast<size_t>(fi), v)
                                       : parseJsonValue(record, f, v);
      if (p == kReported)
        return false;
      if (!p.empty()) {
        malformed(std::string("field '") + f.name + "': " + p);
        return false;
      }
    }
    return true;
  }

  /// A nested record's value: an object (its fields are parsed into the
  /// layout) or null.
  Problem parseJsonRecord(void *record, size_t fi, simdjson::ondemand::value &v) {
    using namespace simdjson;
    const srt_field &f = fields[fi];
    ondemand::json_type t;
    if (auto err = v.type().get(t); err)
      return std::string("invalid JSON: ") + error_message(err);
    if (t == ondemand::json_type::null) {
      if (f.null_offset < 0)
        return "null, but the field is not nullable";
      seen[fi] = 2; // null: its fields are null too (set after the object)
      return {};
    }
    ondemand::object obj;
    if (t != ondemand::json_type::object || v.get_object().get(obj))
      return "not an object";
    setNull(record, f, false);
    return parseJsonObject(obj, record, nested.levelOf(fi)) ? Problem() : kReported;
  }

  /// Rejects a JSON line simdjson did not accept with \p err, naming what
  /// follows the object if something does (simdjson says only that the
  /// document ended early).
  bool invalidJson(const char *b, simdjson::error_code err) {
    if (size_t at = trailingAfterObject(b, lineEnd); at != std::string::npos)
      malformed("invalid JSON: trailing characters after the JSON object at column " +
                std::to_string(at + 1));
    else if (err == simdjson::INCORRECT_TYPE)
      malformed("not a JSON object");
    else
      malformed(std::string("invalid JSON: ") + simdjson::error_message(err));
    return false;
  }

  Problem parseJsonValue(void *record, const srt_field &f, simdjson::ondemand::value &v) {
    using namespace simdjson;
    ondemand::json_type t;
    if (auto err = v.type().get(t); err)
      return std::string("invalid JSON: ") + error_message(err);
    if (t == ondemand::json_type::null) {
      if (f.null_offset < 0)
        return "null, but the field is not nullable";
      setNull(record, f, true);
      return {};
    }
    setNull(record, f, false);
    switch (f.type) {
    case SRT_BOOL: {
      bool b;
      if (v.get_bool().get(b))
        return "not a bool";
      at<uint8_t>(record, f.offset) = b;
      return {};
    }
    case SRT_I64:
    case SRT_DURATION: {
      int64_t i;
      if (t != ondemand::json_type::number || v.get_int64().get(i))
        return "not an integer";
      at<int64_t>(record, f.offset) = i;
      return {};
    }
    case SRT_F64: {
      double x;
      if (t != ondemand::json_type::number || v.get_double().get(x))
        return "not a number";
      at<double>(record, f.offset) = x;
      return {};
    }
    case SRT_STRING: {
      std::string_view s;
      if (t != ondemand::json_type::string)
        return "not a string";
      if (v.get_string().get(s))
        return badString(v);
      at<srt_str>(record, f.offset) = {s.data(), static_cast<int64_t>(s.size())};
      return {};
    }
    case SRT_TIMESTAMP: {
      if (t == ondemand::json_type::number) {
        int64_t i;
        if (v.get_int64().get(i))
          return "not a timestamp (an integer of epoch milliseconds)";
        at<int64_t>(record, f.offset) = i;
        return {};
      }
      std::string_view s;
      if (t != ondemand::json_type::string)
        return "not a timestamp";
      if (v.get_string().get(s))
        return badString(v);
      int64_t ms;
      if (!srt_parse_timestamp(s.data(), s.size(), &ms))
        return "not a timestamp (RFC 3339 or epoch milliseconds): " + quoted(s);
      at<int64_t>(record, f.offset) = ms;
      return {};
    }
    default:
      return "unsupported type";
    }
  }

  /// The reason a JSON string \p v did not unescape.
  Problem badString(simdjson::ondemand::value &v) {
    std::string escape = escapeProblem(v.raw_json_token().data(), lineEnd);
    return escape.empty() ? "invalid JSON string" : escape;
  }

  /// The next Kafka message, parsed: 1, 0 at the end, -1 rewound.
  int nextKafka(void *record) {
    for (;;) {
      switch (kafka->next(message)) {
      case KafkaConsumer::Next::End:
        return 0;
      case KafkaConsumer::Next::Rewound:
        return -1;
      case KafkaConsumer::Next::Wait:
        return 2;
      case KafkaConsumer::Next::Record:
        break;
      }
      payload.resize(message.len + simdjson::SIMDJSON_PADDING);
      if (message.len)
        std::memcpy(payload.data(), message.payload, message.len);
      size_t len = message.len;
      while (len > 0 && (payload[len - 1] == '\n' || payload[len - 1] == '\r'))
        --len; // a producer's line terminator is not part of the record
      current = std::string_view(payload.data(), len);
      bool ok = format == SRT_FORMAT_CSV ? parseCsv(payload.data(), payload.data() + len, record)
                : format == SRT_FORMAT_TEXT
                    ? parseTextLine(payload.data(), payload.data() + len, record)
                    : parseJson(payload.data(), 0, len, payload.size(), record);
      if (!ok) {
        if (format == SRT_FORMAT_JSON && len == 0)
          malformed("empty message");
        continue;
      }
      fillMetadata(record);
      return 1;
    }
  }

  void fillMetadata(void *record) {
    if (keyField >= 0) {
      const srt_field &f = fields[keyField];
      at<srt_str>(record, f.offset) = {message.key ? message.key : "",
                                       static_cast<int64_t>(message.key ? message.keyLen : 0)};
      setNull(record, f, message.key == nullptr);
    }
    if (partitionField >= 0) {
      at<int64_t>(record, fields[partitionField].offset) = message.partition;
      setNull(record, fields[partitionField], false);
    }
    if (offsetField >= 0) {
      at<int64_t>(record, fields[offsetField].offset) = message.offset;
      setNull(record, fields[offsetField], false);
    }
    if (timestampField >= 0) {
      at<int64_t>(record, fields[timestampField].offset) = message.timestamp;
      setNull(record, fields[timestampField], false);
    }
  }
};

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
  if (!checkConfigConnector(run, SRT_CONFIG_SOURCES, source, path ? "file" : "stdin"))
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
  if (!checkConfigConnector(run, SRT_CONFIG_SOURCES, source, "kafka"))
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
