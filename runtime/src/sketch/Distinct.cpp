/// \file
/// The exact distinct-value set of count_distinct: an open-addressing hash
/// table (linear probing over XXH3 hashes) whose values live in one owned
/// byte arena. Equal hashes are confirmed by comparing the bytes, so the
/// count is exact.

#include "srt/abi.h"

#include <xxhash.h>

#include <cstring>
#include <vector>

namespace {

/// A set of byte strings.
class DistinctSet {
public:
  int64_t count() const { return count_; }

  void add(const void *bytes, size_t len) { insert(XXH3_64bits(bytes, len), bytes, len); }

  /// Adds every value of `other` (whose hashes are reused).
  void addAll(const DistinctSet &other) {
    for (const Slot &slot : other.slots_)
      if (slot.entry != 0) {
        size_t len;
        const char *bytes = other.value(slot.entry, len);
        insert(slot.hash, bytes, len);
      }
  }

private:
  /// A table slot: the value's hash and 1 + the offset of its entry in the
  /// arena (0: an empty slot).
  struct Slot {
    uint64_t hash;
    uint64_t entry;
  };

  static constexpr size_t InitialSlots = 8;

  std::vector<Slot> slots_; ///< a power of two in size, at most 70% full
  /// Per value, its length (LEB128) then its bytes.
  std::vector<char> arena_;
  int64_t count_ = 0;

  /// The bytes and the length of the value whose entry is `entry`.
  const char *value(uint64_t entry, size_t &len) const {
    const char *p = arena_.data() + (entry - 1);
    len = 0;
    for (unsigned shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*p++);
      len |= static_cast<size_t>(byte & 0x7f) << shift;
      if (byte < 0x80)
        return p;
    }
  }

  bool equals(uint64_t entry, const void *bytes, size_t len) const {
    size_t storedLen;
    const char *stored = value(entry, storedLen);
    return storedLen == len && std::memcmp(stored, bytes, len) == 0;
  }

  /// Appends a value to the arena; returns its entry.
  uint64_t store(const void *bytes, size_t len) {
    const uint64_t entry = arena_.size() + 1;
    for (size_t rest = len;; rest >>= 7) {
      arena_.push_back(static_cast<char>(rest < 0x80 ? rest : (rest & 0x7f) | 0x80));
      if (rest < 0x80)
        break;
    }
    const char *p = static_cast<const char *>(bytes);
    arena_.insert(arena_.end(), p, p + len);
    return entry;
  }

  void insert(uint64_t hash, const void *bytes, size_t len) {
    if (static_cast<size_t>(count_ + 1) * 10 > slots_.size() * 7)
      grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot &slot = slots_[i];
      if (slot.entry == 0) {
        slot = {hash, store(bytes, len)};
        ++count_;
        return;
      }
      if (slot.hash == hash && equals(slot.entry, bytes, len))
        return;
    }
  }

  /// Doubles the table (the arena stays as it is).
  void grow() {
    std::vector<Slot> old(slots_.empty() ? InitialSlots : slots_.size() * 2, Slot{0, 0});
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot &slot : old)
      if (slot.entry != 0) {
        size_t i = slot.hash & mask;
        while (slots_[i].entry != 0)
          i = (i + 1) & mask;
        slots_[i] = slot;
      }
  }
};

// The C entry points call these: an allocation failure terminates instead of
// unwinding into generated code.

void distinctAdd(void **set, const void *bytes, int64_t len) noexcept {
  if (!*set)
    *set = new DistinctSet;
  static_cast<DistinctSet *>(*set)->add(bytes, len > 0 ? static_cast<size_t>(len) : 0);
}

void distinctMerge(void **dst, const void *src) noexcept {
  if (!src || *dst == src)
    return;
  const auto &from = *static_cast<const DistinctSet *>(src);
  if (!*dst)
    *dst = new DistinctSet(from);
  else
    static_cast<DistinctSet *>(*dst)->addAll(from);
}

} // namespace

extern "C" {

void srt_distinct_add(void **set, const void *bytes, int64_t len) { distinctAdd(set, bytes, len); }

int64_t srt_distinct_count(const void *set) {
  return set ? static_cast<const DistinctSet *>(set)->count() : 0;
}

void srt_distinct_merge(void **dst, const void *src) { distinctMerge(dst, src); }

void srt_distinct_free(void *set) { delete static_cast<DistinctSet *>(set); }

} // extern "C"
