#pragma once
/// \file
/// The reader's state (struct srt_reader), shared by the files that parse
/// its formats: io/Reader.cpp (framing, opening, text lines, Kafka),
/// formats/CsvReader.cpp and formats/JsonReader.cpp. Only runtime files
/// include it.

#include "formats/Nested.h"
#include "formats/ReaderText.h"
#include "gen/Generator.h"
#include "io/Input.h"
#include "kafka/Kafka.h"
#include "run/Run.h"
#include "srt/abi.h"

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace reader_detail {

/// Why a value did not parse; empty when it did.
using Problem = std::string;

template <typename T> T &at(void *record, uint32_t offset) {
  return *reinterpret_cast<T *>(static_cast<char *>(record) + offset);
}

inline void setNull(void *record, const srt_field &f, bool isNull) {
  if (f.null_offset >= 0)
    at<uint8_t>(record, static_cast<uint32_t>(f.null_offset)) = isNull ? 1 : 0;
}

/// Parses a textual value (a CSV field, or a JSON string for a timestamp)
/// into the record.
Problem parseText(void *record, const srt_field &f, std::string_view text);

} // namespace reader_detail

/// The reader: framing and parsing for one source.
struct srt_reader {
  using Problem = reader_detail::Problem;
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
    reader_detail::at<srt_str>(record, f.offset) = {line.data(), static_cast<int64_t>(line.size())};
    reader_detail::setNull(record, f, false);
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
  bool splitCells(const char *b, const char *e, std::string &why);

  /// The reason for an unterminated quoted field that framing found.
  static std::string unterminated(const Frame &f, int64_t line);

  /// Reads the header and maps columns to fields by name.
  Header readHeader();

  bool parseCsv(const char *b, const char *e, void *record);

  /// A nested record in CSV is its dotted columns: a nullable one is null
  /// when none of them has a value; in one that is not null, an empty
  /// column of a field that is not nullable is malformed.
  bool csvRecordNulls(void *record);

  /// Rejects the record when a string field the program reads is not valid
  /// UTF-8 (a column it does not read may hold anything).
  bool checkUtf8();

  /// Parses the JSON object in [b, e) of \p d, which has \p capacity
  /// readable bytes (simdjson reads some past the end).
  bool parseJson(const char *d, size_t b, size_t e, size_t capacity, void *record);

  /// Parses the members of one object (level 0: the record; otherwise a
  /// nested record's object) into the fields it has. seen[f]: 1 present,
  /// 2 a record that was null.
  bool parseJsonObject(simdjson::ondemand::object &obj, void *record, int level);

  /// A nested record's value: an object (its fields are parsed into the
  /// layout) or null.
  bool parseJsonRecord(void *record, size_t fi, simdjson::ondemand::value &v);

  /// Rejects a JSON line simdjson did not accept with \p err, naming what
  /// follows the object if something does (simdjson says only that the
  /// document ended early).
  bool invalidJson(const char *b, simdjson::error_code err);

  Problem parseJsonValue(void *record, const srt_field &f, simdjson::ondemand::value &v);

  /// The reason a JSON string \p v did not unescape.
  Problem badString(simdjson::ondemand::value &v);

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
      reader_detail::at<srt_str>(record, f.offset) = {
          message.key ? message.key : "", static_cast<int64_t>(message.key ? message.keyLen : 0)};
      reader_detail::setNull(record, f, message.key == nullptr);
    }
    if (partitionField >= 0) {
      reader_detail::at<int64_t>(record, fields[partitionField].offset) = message.partition;
      reader_detail::setNull(record, fields[partitionField], false);
    }
    if (offsetField >= 0) {
      reader_detail::at<int64_t>(record, fields[offsetField].offset) = message.offset;
      reader_detail::setNull(record, fields[offsetField], false);
    }
    if (timestampField >= 0) {
      reader_detail::at<int64_t>(record, fields[timestampField].offset) = message.timestamp;
      reader_detail::setNull(record, fields[timestampField], false);
    }
  }
};
