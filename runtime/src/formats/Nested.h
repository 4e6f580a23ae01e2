#pragma once
/// \file
/// Nested records in a flat layout (LANGUAGE.md §4): a field of record
/// type is an SRT_RECORD entry followed by its `nested` fields, named by
/// their dotted path (`geo`, `geo.city`, `geo.pos`, `geo.pos.lat`). Readers
/// and writers see the tree through this index: each record's direct
/// fields by their own key (for JSON objects), and which entries are leaves
/// (CSV columns).

#include <srt/types.h>

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

class NestedFields {
public:
  NestedFields() = default;
  /// Indexes \p fields; only the entries whose `read` is set are found by
  /// child() (a record entry is read when one of its fields is).
  explicit NestedFields(const std::vector<srt_field> &fields);

  /// Level 0 is the record itself; a record entry's level is levelOf(it).
  int levelOf(size_t field) const { return level_[field]; }
  /// The read field named \p key directly in \p level, or -1.
  int child(int level, std::string_view key) const {
    auto it = children_[static_cast<size_t>(level)].find(key);
    return it == children_[static_cast<size_t>(level)].end() ? -1 : it->second;
  }
  /// The record entry \p field is in, or -1 at the top.
  int parentOf(size_t field) const { return parent_[field]; }
  bool any() const { return any_; }
  /// Whether entry \p field is inside a nullable record (at any depth).
  bool inNullableRecord(size_t field) const { return !inNullable_.empty() && inNullable_[field]; }

  /// Sets entry \p field null and, for a record, every field in it: a null
  /// record's fields are all null.
  static void setNullTree(void *record, const std::vector<srt_field> &fields, size_t field);
  /// The key of entry \p field in its record: its name after its record's
  /// name and the dot (a top-level name is its key, dots and all).
  std::string_view keyOf(size_t field) const { return key_[field]; }

private:
  std::vector<int> parent_, level_;
  std::vector<std::string_view> key_;
  std::vector<bool> inNullable_;
  std::vector<std::unordered_map<std::string_view, int>> children_;
  bool any_ = false;
};
