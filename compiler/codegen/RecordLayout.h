#pragma once
/// \file
/// How a record type is laid out in memory: the compiler chooses it, the
/// runtime learns it through an srt_layout. Values first (8-byte aligned,
/// strings as {ptr, len}), then one null byte per nullable field.

#include "sema/Type.h"

#include <cstdint>
#include <vector>

namespace streamc {

struct FieldSlot {
  uint32_t offset = 0;
  int32_t nullOffset = -1; ///< -1: the field is never null
};

struct RecordLayout {
  std::vector<FieldSlot> slots;
  uint32_t size = 0;

  static RecordLayout of(const RecordType &type);
};

/// The runtime's enum srt_type for a value type.
uint32_t runtimeType(TypeKind kind);

/// How many srt_layout entries \p type has: a nested record is one entry
/// and then its fields' (Generator::layoutOf).
uint32_t flatEntryCount(const RecordType &type);
/// The srt_layout entry of field \p index of \p type.
uint32_t flatEntryIndex(const RecordType &type, int index);

} // namespace streamc
