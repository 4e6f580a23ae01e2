#include "run/RecordCopy.h"

#include <cstring>

namespace {
bool isNull(const uint8_t *record, const srt_field &f) {
  return f.null_offset >= 0 && record[f.null_offset] != 0;
}
} // namespace

OwnedRecord copyRecord(const srt_layout &layout, const void *from) {
  auto *record = static_cast<const uint8_t *>(from);
  size_t size = (layout.size + 7) & ~size_t(7), need = size;
  for (uint32_t i = 0; i < layout.nfields; ++i) {
    const srt_field &f = layout.fields[i];
    if (f.type == SRT_STRING && !isNull(record, f)) {
      srt_str s;
      std::memcpy(&s, record + f.offset, sizeof s);
      need += static_cast<size_t>(s.len);
    }
  }
  OwnedRecord copy(new uint8_t[need]);
  std::memcpy(copy.get(), record, layout.size);
  char *tail = reinterpret_cast<char *>(copy.get() + size);
  for (uint32_t i = 0; i < layout.nfields; ++i) {
    const srt_field &f = layout.fields[i];
    if (f.type != SRT_STRING || isNull(record, f))
      continue;
    srt_str s;
    std::memcpy(&s, record + f.offset, sizeof s);
    if (s.len > 0)
      std::memcpy(tail, s.ptr, static_cast<size_t>(s.len));
    srt_str owned{tail, s.len};
    std::memcpy(copy.get() + f.offset, &owned, sizeof owned);
    tail += s.len;
  }
  return copy;
}
