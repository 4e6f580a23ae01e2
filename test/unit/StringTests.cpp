/// The string functions generated code calls, on empty and null strings
/// (whose pointer may be null). This binary compiles runtime/src/run/
/// Context.cpp with UBSan and no recovery, so memcmp or memcpy handed a null
/// pointer (undefined even for zero bytes) ends the test.
#include <srt/abi.h>
#include <srt/host.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>

namespace {
std::string_view text(srt_str s) { return {s.ptr ? s.ptr : "", static_cast<size_t>(s.len)}; }

struct Ctx {
  srt_run *run = srt_run_create();
  srt_ctx *ctx = srt_ctx_create(run);
  ~Ctx() {
    srt_ctx_destroy(ctx);
    srt_run_destroy(run);
  }
};
} // namespace

TEST(StringFunctions, CompareWithNullPointers) {
  EXPECT_EQ(srt_str_compare(nullptr, 0, nullptr, 0), 0);
  EXPECT_EQ(srt_str_compare(nullptr, 0, "", 0), 0);
  EXPECT_EQ(srt_str_compare(nullptr, 0, "a", 1), -1);
  EXPECT_EQ(srt_str_compare("a", 1, nullptr, 0), 1);
  EXPECT_EQ(srt_str_compare("ab", 2, "abc", 3), -1);
  EXPECT_EQ(srt_str_compare("b", 1, "abc", 3), 1);
}

TEST(StringFunctions, ConcatAndReplaceWithNullPointers) {
  Ctx c;
  srt_str out{};
  srt_str_concat(c.ctx, nullptr, 0, nullptr, 0, &out);
  EXPECT_EQ(text(out), "");
  srt_str_concat(c.ctx, nullptr, 0, "x", 1, &out);
  EXPECT_EQ(text(out), "x");
  srt_str_concat(c.ctx, "x", 1, nullptr, 0, &out);
  EXPECT_EQ(text(out), "x");
  srt_str_replace(c.ctx, "aXbX", 4, "X", 1, nullptr, 0, &out);
  EXPECT_EQ(text(out), "ab");
  srt_str_replace(c.ctx, "X", 1, "X", 1, "yz", 2, &out);
  EXPECT_EQ(text(out), "yz");
  srt_str_replace(c.ctx, nullptr, 0, "X", 1, "yz", 2, &out);
  EXPECT_EQ(text(out), "");
}

TEST(StringFunctions, FindAndSplitPart) {
  EXPECT_EQ(srt_str_find("abcabc", 6, "ca", 2), 3);
  EXPECT_EQ(srt_str_find("abc", 3, "x", 1), 0);
  EXPECT_EQ(srt_str_find(nullptr, 0, nullptr, 0), 1); // "" is at 1
  srt_str out{};
  auto part = [&](const char *s, const char *sep, int64_t n) {
    srt_str_split_part(s, s ? static_cast<int64_t>(std::strlen(s)) : 0, sep,
                       sep ? static_cast<int64_t>(std::strlen(sep)) : 0, n, &out);
    return std::string(text(out));
  };
  EXPECT_EQ(part("a,b,,c", ",", 1), "a");
  EXPECT_EQ(part("a,b,,c", ",", 3), "");
  EXPECT_EQ(part("a,b,,c", ",", 4), "c");
  EXPECT_EQ(part("a,b,,c", ",", 5), "");
  EXPECT_EQ(part("a,b,,c", ",", -1), "c");
  EXPECT_EQ(part("a,b,,c", ",", -4), "a");
  EXPECT_EQ(part("a,b,,c", ",", -5), "");
  EXPECT_EQ(part("a::b", "::", 2), "b");
  EXPECT_EQ(part("abc", "", 1), "abc");
  EXPECT_EQ(part("abc", "", 2), "");
  EXPECT_EQ(part("abc", ",", 0), "");
  EXPECT_EQ(part(nullptr, ",", 1), "");
  EXPECT_EQ(part(nullptr, nullptr, -1), "");
}
