/// \file
/// Regular expressions (LANGUAGE.md §7: regexp_like, regexp_extract,
/// regexp_replace) with RE2: matching takes time linear in the input, so no
/// pattern or input can hang a run. A pattern is compiled once, at start-up,
/// and owned by the run; a match reads the record's string in place, and
/// only a replacement builds a string (in the record's arena).

#include "run/Context.h"
#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <re2/re2.h>

#include <cstring>
#include <string>
#include <vector>

void RegexDeleter::operator()(re2::RE2 *re) const { delete re; }

namespace {

/// The options every pattern is compiled with: UTF-8 (strings are), no
/// logging to stderr (errors are reported as values).
RE2::Options regexOptions() {
  RE2::Options o;
  o.set_log_errors(false);
  return o;
}

re2::StringPiece piece(const char *s, int64_t len) {
  return re2::StringPiece(len > 0 ? s : "", static_cast<size_t>(len));
}

const RE2 &regexOf(const srt_regex *re) { return *reinterpret_cast<const RE2 *>(re); }

void writeWhy(const std::string &why, char *out, size_t size) {
  if (size == 0)
    return;
  size_t n = std::min(why.size(), size - 1);
  std::memcpy(out, why.data(), n);
  out[n] = '\0';
}

} // namespace

extern "C" {

int32_t srt_regex_check(const char *pattern, int64_t len, char *why, size_t size) {
  RE2 re(piece(pattern, len), regexOptions());
  if (!re.ok()) {
    writeWhy(re.error(), why, size);
    return -1;
  }
  return re.NumberOfCapturingGroups();
}

int32_t srt_regex_check_rewrite(const char *pattern, int64_t len, const char *rewrite,
                                int64_t rewrite_len, char *why, size_t size) {
  RE2 re(piece(pattern, len), regexOptions());
  re2::StringPiece rw = piece(rewrite, rewrite_len);
  std::string error;
  if (re.ok() && re.CheckRewriteString(rw, &error))
    return 1;
  // RE2's own words are about its API ("Rewrite schema requests 2
  // matches"): say it as the language does.
  int wanted = RE2::MaxSubmatch(rw), groups = re.NumberOfCapturingGroups();
  if (!re.ok())
    error = re.error();
  else if (wanted > groups)
    error = "\\" + std::to_string(wanted) + " refers to group " + std::to_string(wanted) +
            ", but the pattern has " + std::to_string(groups) +
            (groups == 1 ? " group" : " groups");
  else
    error = "a backslash must be followed by a group number (\\1) or another backslash";
  writeWhy(error, why, size);
  return 0;
}

srt_regex *srt_regex_compile(srt_run *run, const char *what, const char *pattern, int64_t len) {
  auto re = std::unique_ptr<RE2, RegexDeleter>(new RE2(piece(pattern, len), regexOptions()));
  if (!re->ok()) {
    srt_run_fail(run, (std::string(what) + ": invalid regular expression: " + re->error()).c_str());
    return nullptr;
  }
  run->regexes.push_back(std::move(re));
  return reinterpret_cast<srt_regex *>(run->regexes.back().get());
}

int32_t srt_regex_like(const srt_regex *re, const char *s, int64_t len) {
  return RE2::PartialMatch(piece(s, len), regexOf(re)) ? 1 : 0;
}

int32_t srt_regex_extract(const srt_regex *re, const char *s, int64_t len, int64_t group,
                          srt_str *out) {
  const RE2 &r = regexOf(re);
  if (group < 0 || group > r.NumberOfCapturingGroups())
    return 0;
  // Only the groups up to the one asked for are captured (RE2 is faster
  // with fewer); they fit on the stack unless the pattern has very many.
  constexpr int64_t kOnStack = 16;
  re2::StringPiece onStack[kOnStack];
  std::vector<re2::StringPiece> onHeap;
  re2::StringPiece *groups = onStack;
  if (group >= kOnStack) {
    onHeap.resize(static_cast<size_t>(group) + 1);
    groups = onHeap.data();
  }
  re2::StringPiece text = piece(s, len);
  int n = static_cast<int>(group) + 1;
  if (!r.Match(text, 0, text.size(), RE2::UNANCHORED, groups, n))
    return 0;
  const re2::StringPiece &g = groups[group];
  if (g.data() == nullptr) // the group did not take part in the match
    return 0;
  out->ptr = g.data();
  out->len = static_cast<int64_t>(g.size());
  return 1;
}

int32_t srt_regex_replace(srt_ctx *ctx, const srt_regex *re, const char *s, int64_t len,
                          const char *rewrite, int64_t rewrite_len, srt_str *out) {
  const RE2 &r = regexOf(re);
  re2::StringPiece rw = piece(rewrite, rewrite_len);
  std::string why;
  if (!r.CheckRewriteString(rw, &why)) // a constant one was checked by sema
    return 1;
  // One buffer per thread, kept: RE2 builds the result in a std::string,
  // which is then copied to the record's arena.
  thread_local std::string buffer;
  buffer.assign(len > 0 ? s : "", static_cast<size_t>(len));
  if (RE2::GlobalReplace(&buffer, r, rw) == 0) {
    out->ptr = s;
    out->len = len;
    return 0;
  }
  char *p = ctx->alloc(buffer.size());
  if (!buffer.empty())
    std::memcpy(p, buffer.data(), buffer.size());
  out->ptr = p;
  out->len = static_cast<int64_t>(buffer.size());
  return 0;
}

} // extern "C"
