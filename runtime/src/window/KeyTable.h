#pragma once
/// \file
/// The keyed state of a window: an open-addressing (linear probing) hash
/// table from a key's bytes to a fixed-size entry holding the aggregate
/// state. Entries live in one dense array in insertion order (results come
/// out in the order keys were first seen); the probe index holds entry
/// numbers. Removal marks an entry dead and compacts when half are dead.

#include <cstdint>
#include <cstring>
#include <vector>

class KeyTable {
public:
  /// What precedes the state of every entry.
  struct Header {
    uint64_t hash;
    uint32_t keyLen;
    uint32_t live;
    char *keyHeap; ///< the key when longer than keyInline
    char keyInline[40];
    int64_t count;   ///< records (count windows)
    int64_t minTime; ///< smallest and largest event time (count windows)
    int64_t maxTime;
    union {
      void *extra;   ///< sessions: the key's open sessions
      int64_t epoch; ///< count windows: the oldest epoch of its records (checkpoints)
    };

    const char *key() const { return keyLen <= sizeof keyInline ? keyInline : keyHeap; }
    void *state() { return reinterpret_cast<char *>(this) + sizeof(Header); }
  };
  static_assert(sizeof(Header) % 8 == 0, "states are 8-byte aligned");

  explicit KeyTable(uint32_t stateSize);
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

  size_t capacityEntries() const { return count_; }
  Header *entry(size_t i) { return reinterpret_cast<Header *>(entries_.data() + i * stride_); }
  size_t indexOf(const Header *e) const {
    return static_cast<size_t>(reinterpret_cast<const char *>(e) - entries_.data()) / stride_;
  }
  size_t live() const { return live_; }

  size_t bytes() const { return entries_.capacity() + index_.capacity() * sizeof(uint32_t); }

private:
  void rehash(size_t slots);
  void compact();
  size_t probeStart(uint64_t hash) const { return static_cast<size_t>(hash) & mask_; }
  bool matches(const Header *e, uint64_t hash, const void *key, uint32_t len) const {
    return e->hash == hash && e->keyLen == len && bytesEqual(e->key(), key, len);
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

  uint32_t stride_;
  std::vector<char> entries_; ///< count_ entries of stride_ bytes
  size_t count_ = 0, live_ = 0;
  std::vector<uint32_t> index_; ///< 0: empty, else entry number + 1
  size_t mask_ = 0;
};
