#pragma once
/// \file
/// The keyed state of a window: an open-addressing (linear probing) hash
/// table from a key's bytes to a fixed-size entry holding the aggregate
/// state. Entries live in one dense array in insertion order (results come
/// out in the order keys were first seen); the probe index holds entry
/// numbers. Removal marks an entry dead and compacts when half are dead.

#include "srt/types.h"

#define XXH_INLINE_ALL // short keys: XXH3 inlined where keys are hashed
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

/// The hash of a key's bytes (srt/types.h, SRT_KEY_HASH_K0): keys of at
/// most SRT_KEY_INLINE_MAX bytes, which generated code hashes inline, by
/// multiplying their words (Fibonacci hashing: the table takes the top
/// bits, so a run of consecutive integer keys spreads over the slots
/// without collisions); longer ones by XXH3.
inline uint64_t srt_key_hash(const void *key, size_t len) {
  if (len > SRT_KEY_INLINE_MAX)
    return XXH3_64bits(key, len);
  uint64_t w[SRT_KEY_INLINE_MAX / 8] = {};
  if (len)
    std::memcpy(w, key, len);
  return ((w[0] + len) * SRT_KEY_HASH_K0) ^ (w[1] * SRT_KEY_HASH_K1) ^ (w[2] * SRT_KEY_HASH_K2) ^
         (w[3] * SRT_KEY_HASH_K3) ^ (w[4] * SRT_KEY_HASH_K4);
}

class KeyTable {
public:
  /// What precedes every entry's key: 16 bytes. Then come the key's bytes
  /// (keyCapacity of them, zero-padded; a longer key is on the heap and the
  /// area holds its pointer), the table's extras (extraSize bytes: a count
  /// window's or a session's bookkeeping) and the aggregate state.
  struct Header {
    uint64_t hash;
    uint32_t keyLen;
    uint32_t live;
  };
  /// The extras of a count window's or a session window's keys.
  struct Extras {
    int64_t count;   ///< records (count windows)
    int64_t minTime; ///< smallest and largest event time (count windows)
    int64_t maxTime;
    union {
      void *extra;   ///< sessions: the key's open sessions
      int64_t epoch; ///< count windows: the oldest epoch of its records (checkpoints)
    };
  };
  // Generated code probes entries inline (srt_window_hot).
  static_assert(offsetof(Header, hash) == SRT_KEY_ENTRY_HASH);
  static_assert(offsetof(Header, keyLen) == SRT_KEY_ENTRY_LEN);
  static_assert(sizeof(Header) == SRT_KEY_ENTRY_KEY);

  /// \p keyCapacity: the bytes of a key kept in its entry (a multiple of 8,
  /// at least 8), as srt_window_desc says.
  KeyTable(uint32_t stateSize, uint32_t keyCapacity, uint32_t extraSize = 0);
  ~KeyTable();
  KeyTable(const KeyTable &) = delete;
  KeyTable &operator=(const KeyTable &) = delete;

  /// The entry of this key, created (state zeroed) when \p inserted.
  Header *findOrInsert(uint64_t hash, const void *key, uint32_t len, bool &inserted);
  Header *find(uint64_t hash, const void *key, uint32_t len) const;
  /// Marks the entry dead (its state must already be freed); compaction
  /// happens at a later insert, so entry numbers stay valid until then.
  void remove(Header *entry);
  /// Removes every entry (their states must already be freed).
  void clear();

  const char *key(const Header *e) const {
    const char *area = reinterpret_cast<const char *>(e) + sizeof(Header);
    if (e->keyLen <= keyCapacity_)
      return area;
    const char *heap;
    std::memcpy(&heap, area, sizeof heap);
    return heap;
  }
  void *state(Header *e) const { return reinterpret_cast<char *>(e) + stateOffset_; }
  Extras *extras(Header *e) const {
    return reinterpret_cast<Extras *>(reinterpret_cast<char *>(e) + sizeof(Header) + keyCapacity_);
  }

  size_t capacityEntries() const { return count_; }
  Header *entry(size_t i) { return reinterpret_cast<Header *>(entries_.data() + i * stride_); }
  size_t indexOf(const Header *e) const {
    return static_cast<size_t>(reinterpret_cast<const char *>(e) - entries_.data()) / stride_;
  }
  size_t live() const { return live_; }

  /// What generated code probes (srt_window_hot): valid until the next insert.
  const uint32_t *indexData() const { return index_.data(); }
  char *entryData() { return entries_.data(); }
  size_t mask() const { return mask_; }
  unsigned shift() const { return shift_; }
  uint32_t stride() const { return stride_; }

  size_t bytes() const { return entries_.capacity() + index_.capacity() * sizeof(uint32_t); }

private:
  void rehash(size_t slots);
  void compact();
  /// A key's home slot: the hash's top bits.
  size_t probeStart(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }
  bool matches(const Header *e, uint64_t hash, const void *key, uint32_t len) const {
    return e->hash == hash && e->keyLen == len && bytesEqual(this->key(e), key, len);
  }
  void freeKey(Header *e) {
    if (e->keyLen > keyCapacity_)
      std::free(const_cast<char *>(key(e)));
  }
  /// memcmp == 0, inline for the short keys most windows have.
  static bool bytesEqual(const void *a, const void *b, uint32_t len) {
    auto load8 = [](const void *p) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    };
    auto *x = static_cast<const char *>(a), *y = static_cast<const char *>(b);
    if (len >= 8 && len <= 16) // two overlapping 8-byte words
      return load8(x) == load8(y) && load8(x + len - 8) == load8(y + len - 8);
    return std::memcmp(a, b, len) == 0;
  }

  uint32_t keyCapacity_, stateOffset_, stride_;
  std::vector<char> entries_; ///< count_ entries of stride_ bytes
  size_t count_ = 0, live_ = 0;
  std::vector<uint32_t> index_; ///< 0: empty, else entry number + 1
  size_t mask_ = 0;
  unsigned shift_ = 64; ///< 64 - log2(index_.size())
};
