#include "codegen/RecordLayout.h"

#include <srt/types.h>

namespace streamc {

uint32_t runtimeType(TypeKind kind) {
  switch (kind) {
  case TypeKind::Bool:
    return SRT_BOOL;
  case TypeKind::I64:
    return SRT_I64;
  case TypeKind::F64:
    return SRT_F64;
  case TypeKind::String:
    return SRT_STRING;
  case TypeKind::Timestamp:
    return SRT_TIMESTAMP;
  case TypeKind::Duration:
    return SRT_DURATION;
  case TypeKind::Record:
    return SRT_RECORD;
  default:
    return SRT_I64;
  }
}

uint32_t flatEntryCount(const RecordType &type) {
  uint32_t n = 0;
  for (const Field &f : type.fields)
    n += 1 + (f.type.isRecord() && f.type.record ? flatEntryCount(*f.type.record) : 0);
  return n;
}

uint32_t flatEntryIndex(const RecordType &type, int index) {
  uint32_t n = 0;
  for (int i = 0; i < index; ++i) {
    const Type &t = type.fields[static_cast<size_t>(i)].type;
    n += 1 + (t.isRecord() && t.record ? flatEntryCount(*t.record) : 0);
  }
  return n;
}

RecordLayout RecordLayout::of(const RecordType &type) {
  RecordLayout layout;
  uint32_t offset = 0;
  // Strings (16 bytes), then 8-byte values, then bools, so none needs
  // padding.
  auto sizeOf = [](TypeKind k) -> uint32_t {
    return k == TypeKind::String ? 16 : k == TypeKind::Bool ? 1 : 8;
  };
  layout.slots.resize(type.fields.size());
  // Nested records first, inline (their sizes are multiples of 8).
  for (size_t i = 0; i < type.fields.size(); ++i)
    if (type.fields[i].type.isRecord()) {
      layout.slots[i].offset = offset;
      offset += RecordLayout::of(*type.fields[i].type.record).size;
    }
  for (uint32_t want : {16u, 8u, 1u})
    for (size_t i = 0; i < type.fields.size(); ++i)
      if (!type.fields[i].type.isRecord() && sizeOf(type.fields[i].type.kind) == want) {
        layout.slots[i].offset = offset;
        offset += want;
      }
  for (size_t i = 0; i < type.fields.size(); ++i)
    if (type.fields[i].type.nullable)
      layout.slots[i].nullOffset = static_cast<int32_t>(offset++);
  layout.size = (offset + 7) / 8 * 8;
  if (layout.size == 0)
    layout.size = 8;
  return layout;
}

} // namespace streamc
