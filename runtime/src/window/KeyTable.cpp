#include "window/KeyTable.h"

#include <algorithm>
#include <cstdlib>

KeyTable::KeyTable(uint32_t stateSize, uint32_t keyCapacity, uint32_t extraSize)
    : keyCapacity_(std::max(8u, (keyCapacity + 7u) & ~7u)),
      stateOffset_(static_cast<uint32_t>(sizeof(Header)) + keyCapacity_ + ((extraSize + 7u) & ~7u)),
      stride_(stateOffset_ + ((stateSize + 7u) & ~7u)) {
  rehash(16);
}

KeyTable::~KeyTable() { clear(); }

KeyTable::Header *KeyTable::find(uint64_t hash, const void *key, uint32_t len) const {
  for (size_t i = probeStart(hash);; i = (i + 1) & mask_) {
    uint32_t slot = index_[i];
    if (slot == 0)
      return nullptr;
    auto *e = const_cast<KeyTable *>(this)->entry(slot - 1);
    if (matches(e, hash, key, len))
      return e;
  }
}

KeyTable::Header *KeyTable::findOrInsert(uint64_t hash, const void *key, uint32_t len,
                                         bool &inserted) {
  size_t i = probeStart(hash);
  for (;; i = (i + 1) & mask_) {
    uint32_t slot = index_[i];
    if (slot == 0)
      break;
    Header *e = entry(slot - 1);
    if (matches(e, hash, key, len)) {
      inserted = false;
      return e;
    }
  }
  inserted = true;
  if (count_ > live_ + 64 && count_ - live_ > live_) {
    compact();
    return findOrInsert(hash, key, len, inserted);
  }
  if ((count_ + 1) * 2 > index_.size()) {
    rehash(index_.size() * 2);
    return findOrInsert(hash, key, len, inserted);
  }
  entries_.resize((count_ + 1) * stride_);
  Header *e = entry(count_);
  std::memset(e, 0, stride_);
  e->hash = hash;
  e->keyLen = len;
  e->live = 1;
  char *dst = reinterpret_cast<char *>(e) + sizeof(Header);
  if (len > keyCapacity_) {
    char *heap = static_cast<char *>(std::malloc(len));
    std::memcpy(dst, &heap, sizeof heap);
    dst = heap;
  }
  if (len)
    std::memcpy(dst, key, len);
  index_[i] = static_cast<uint32_t>(++count_);
  ++live_;
  return e;
}

void KeyTable::remove(Header *e) {
  // Backward-shift deletion keeps every probe sequence unbroken.
  uint32_t number = static_cast<uint32_t>(indexOf(e)) + 1;
  size_t i = probeStart(e->hash);
  while (index_[i] != number)
    i = (i + 1) & mask_;
  for (size_t j = (i + 1) & mask_; index_[j] != 0; j = (j + 1) & mask_) {
    size_t home = probeStart(entry(index_[j] - 1)->hash);
    // Move j into the hole at i unless its home lies in (i, j].
    bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!between) {
      index_[i] = index_[j];
      i = j;
    }
  }
  index_[i] = 0;
  freeKey(e);
  e->keyLen = 0;
  e->live = 0;
  --live_;
}

void KeyTable::clear() {
  for (size_t i = 0; i < count_; ++i) {
    Header *e = entry(i);
    if (e->live)
      freeKey(e);
  }
  entries_.clear();
  count_ = live_ = 0;
  std::fill(index_.begin(), index_.end(), 0u);
}

void KeyTable::rehash(size_t slots) {
  index_.assign(slots, 0u);
  mask_ = slots - 1;
  shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(slots));
  for (size_t n = 0; n < count_; ++n) {
    Header *e = entry(n);
    if (!e->live)
      continue;
    size_t i = probeStart(e->hash);
    while (index_[i] != 0)
      i = (i + 1) & mask_;
    index_[i] = static_cast<uint32_t>(n + 1);
  }
}

void KeyTable::compact() {
  size_t out = 0;
  for (size_t n = 0; n < count_; ++n) {
    Header *e = entry(n);
    if (!e->live)
      continue;
    if (out != n)
      std::memmove(entry(out), e, stride_);
    ++out;
  }
  count_ = out;
  entries_.resize(count_ * stride_);
  rehash(index_.size());
}
