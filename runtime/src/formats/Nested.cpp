#include "formats/Nested.h"

#include <algorithm>
#include <cstring>

NestedFields::NestedFields(const std::vector<srt_field> &fields)
    : parent_(fields.size(), -1), level_(fields.size(), 0), key_(fields.size()), children_(1) {
  // The record entries open around the current one, with where they end.
  std::vector<std::pair<size_t, size_t>> open;
  for (size_t i = 0; i < fields.size(); ++i) {
    while (!open.empty() && i >= open.back().second)
      open.pop_back();
    int parent = open.empty() ? -1 : static_cast<int>(open.back().first);
    parent_[i] = parent;
    int parentLevel = parent < 0 ? 0 : level_[static_cast<size_t>(parent)];
    std::string_view name(fields[i].name);
    if (parent >= 0)
      name.remove_prefix(std::min(name.size(), std::strlen(fields[parent].name) + 1));
    key_[i] = name;
    if (parent >= 0) {
      if (inNullable_.empty())
        inNullable_.assign(fields.size(), false);
      inNullable_[i] = inNullable_[static_cast<size_t>(parent)] || fields[parent].null_offset >= 0;
    }
    if (fields[i].read)
      children_[static_cast<size_t>(parentLevel)].emplace(name, static_cast<int>(i));
    if (fields[i].type == SRT_RECORD) {
      any_ = true;
      level_[i] = static_cast<int>(children_.size());
      children_.emplace_back();
      open.emplace_back(i, i + 1 + fields[i].nested);
    }
  }
}

void NestedFields::setNullTree(void *record, const std::vector<srt_field> &fields, size_t field) {
  size_t end = field + 1 + (fields[field].type == SRT_RECORD ? fields[field].nested : 0);
  for (size_t i = field; i < end; ++i) {
    if (fields[i].null_offset >= 0)
      static_cast<uint8_t *>(record)[fields[i].null_offset] = 1;
    // No view of an earlier record's text is left behind in it.
    if (fields[i].type == SRT_STRING)
      *reinterpret_cast<srt_str *>(static_cast<char *>(record) + fields[i].offset) = {"", 0};
  }
}
