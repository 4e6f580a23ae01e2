/// \file
/// Unit tests of a window's key table (runtime/src/window/KeyTable.h): the
/// hash generated code computes inline, and lookups of keys with structure
/// a multiplicative hash must survive.

#include "window/KeyTable.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <vector>

namespace {

uint64_t hashOf(int64_t key) { return srt_key_hash(&key, sizeof key); }

TEST(KeyTable, ConsecutiveIntegerKeysGetDistinctHomeSlots) {
  // Fibonacci hashing: the top bits of (key + 8) * K0 spread a run of
  // consecutive keys over the slots, as a hand-written table would.
  KeyTable table(8, 8);
  for (int64_t k = 0; k < 100; ++k) {
    bool inserted = false;
    table.findOrInsert(hashOf(k), &k, sizeof k, inserted);
    ASSERT_TRUE(inserted);
  }
  std::set<uint64_t> homes;
  for (int64_t k = 0; k < 100; ++k)
    homes.insert(hashOf(k) >> table.shift());
  EXPECT_EQ(homes.size(), 100u);
}

TEST(KeyTable, TheInlineHashIsTheDocumentedFormula) {
  // srt/types.h: (w0 + len) * K0 ^ w1 * K1 ^ ... over the zero-padded words.
  int64_t key = -5;
  EXPECT_EQ(hashOf(key), (static_cast<uint64_t>(key) + 8) * SRT_KEY_HASH_K0);
  const char text[] = "0123456789abc"; // 13 bytes: two words, the second padded
  uint64_t w0 = 0, w1 = 0;
  std::memcpy(&w0, text, 8);
  std::memcpy(&w1, text + 8, 5);
  EXPECT_EQ(srt_key_hash(text, 13), ((w0 + 13) * SRT_KEY_HASH_K0) ^ (w1 * SRT_KEY_HASH_K1));
  // Up to five words: 40 bytes; beyond, XXH3.
  const char longer[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEF"; // 42 bytes
  uint64_t w[5] = {};
  std::memcpy(w, longer, 37);
  EXPECT_EQ(srt_key_hash(longer, 37), ((w[0] + 37) * SRT_KEY_HASH_K0) ^ (w[1] * SRT_KEY_HASH_K1) ^
                                          (w[2] * SRT_KEY_HASH_K2) ^ (w[3] * SRT_KEY_HASH_K3) ^
                                          (w[4] * SRT_KEY_HASH_K4));
  EXPECT_EQ(srt_key_hash(longer, 41), XXH3_64bits(longer, 41));
}

TEST(KeyTable, StructuredKeysAreAllFoundAfterGrowthAndRemoval) {
  // Keys that differ only in high bits, negative keys, two-word keys that
  // differ only in one word: every one inserted is found, with its state.
  std::vector<std::vector<uint64_t>> keys;
  for (uint64_t i = 0; i < 3000; ++i) {
    keys.push_back({i << 32});
    keys.push_back({i << 48});
    keys.push_back({static_cast<uint64_t>(-static_cast<int64_t>(i) - 1)});
    keys.push_back({7, i << 40});
    keys.push_back({i << 40, 7});
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  KeyTable table(8, 16);
  auto len = [](const std::vector<uint64_t> &k) { return static_cast<uint32_t>(8 * k.size()); };
  for (size_t n = 0; n < keys.size(); ++n) {
    bool inserted = false;
    auto *e = table.findOrInsert(srt_key_hash(keys[n].data(), len(keys[n])), keys[n].data(),
                                 len(keys[n]), inserted);
    ASSERT_TRUE(inserted) << n;
    *static_cast<uint64_t *>(table.state(e)) = n;
  }
  for (size_t n = 0; n < keys.size(); n += 2) // every other one removed
    table.remove(
        table.find(srt_key_hash(keys[n].data(), len(keys[n])), keys[n].data(), len(keys[n])));
  for (size_t n = 0; n < keys.size(); ++n) {
    auto *e = table.find(srt_key_hash(keys[n].data(), len(keys[n])), keys[n].data(), len(keys[n]));
    if (n % 2 == 0) {
      EXPECT_EQ(e, nullptr) << n;
    } else {
      ASSERT_NE(e, nullptr) << n;
      EXPECT_EQ(*static_cast<uint64_t *>(table.state(e)), n);
    }
  }
  EXPECT_EQ(table.live(), keys.size() / 2);
}

} // namespace
