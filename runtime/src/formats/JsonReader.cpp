/// \file
/// The JSON-lines format's reader (LANGUAGE.md §4): one object per line,
/// parsed with simdjson's on-demand API straight into the record layout;
/// keys the program does not read are skipped, nested objects fill nested
/// records.

#include "io/ReaderState.h"

#include <algorithm>
#include <string>

using namespace reader_detail;

/// Parses the JSON object in [b, e) of \p d, which has \p capacity
/// readable bytes (simdjson reads some past the end).
bool srt_reader::parseJson(const char *d, size_t b, size_t e, size_t capacity, void *record) {
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
bool srt_reader::parseJsonObject(simdjson::ondemand::object &obj, void *record, int level) {
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
    if (f.type == SRT_RECORD) {
      if (!parseJsonRecord(record, static_cast<size_t>(fi), v))
        return false;
      continue;
    }
    Problem p = parseJsonValue(record, f, v);
    if (!p.empty()) {
      malformed(std::string("field '") + f.name + "': " + p);
      return false;
    }
  }
  return true;
}

/// A nested record's value: an object (its fields are parsed into the
/// layout) or null. False, the record reported malformed, otherwise.
bool srt_reader::parseJsonRecord(void *record, size_t fi, simdjson::ondemand::value &v) {
  using namespace simdjson;
  const srt_field &f = fields[fi];
  auto bad = [&](const std::string &why) {
    malformed(std::string("field '") + f.name + "': " + why);
    return false;
  };
  ondemand::json_type t;
  if (auto err = v.type().get(t); err)
    return bad(std::string("invalid JSON: ") + error_message(err));
  if (t == ondemand::json_type::null) {
    if (f.null_offset < 0)
      return bad("null, but the field is not nullable");
    seen[fi] = 2; // null: its fields are null too (set after the object)
    return true;
  }
  ondemand::object obj;
  if (t != ondemand::json_type::object || v.get_object().get(obj))
    return bad("not an object");
  setNull(record, f, false);
  return parseJsonObject(obj, record, nested.levelOf(fi)); // its fields report themselves
}

/// Rejects a JSON line simdjson did not accept with \p err, naming what
/// follows the object if something does (simdjson says only that the
/// document ended early).
bool srt_reader::invalidJson(const char *b, simdjson::error_code err) {
  if (size_t at = trailingAfterObject(b, lineEnd); at != std::string::npos)
    malformed("invalid JSON: trailing characters after the JSON object at column " +
              std::to_string(at + 1));
  else if (err == simdjson::INCORRECT_TYPE)
    malformed("not a JSON object");
  else
    malformed(std::string("invalid JSON: ") + simdjson::error_message(err));
  return false;
}

srt_reader::Problem srt_reader::parseJsonValue(void *record, const srt_field &f,
                                               simdjson::ondemand::value &v) {
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
srt_reader::Problem srt_reader::badString(simdjson::ondemand::value &v) {
  std::string escape = escapeProblem(v.raw_json_token().data(), lineEnd);
  return escape.empty() ? "invalid JSON string" : escape;
}
