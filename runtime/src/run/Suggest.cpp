/// \file
/// "Did you mean": the closest of a list of names to a misspelt one. The
/// compiler (closestMatch) and the runtime (configuration errors) both use
/// it, so `streamc run` and a built executable suggest the same names.

#include "run/Run.h"
#include "srt/host.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>
#include <vector>

namespace {

/// Optimal string alignment distance, ignoring case: a transposition is
/// one edit.
size_t editDistance(std::string_view a, std::string_view b) {
  auto eq = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + !eq(a[i - 1], b[j - 1])});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

/// `latency` for `latency_ms`: a prefix of four or more characters.
bool isPrefix(std::string_view a, std::string_view b) {
  return a.size() >= 4 && a.size() < b.size() && b.substr(0, a.size()) == a;
}

} // namespace

extern "C" const char *srt_closest_name(const char *name, const char *const *candidates,
                                        uint32_t n) {
  std::string_view want(name);
  const char *best = nullptr;
  size_t bestDist = std::max<size_t>(1, want.size() / 3) + 1;
  for (uint32_t i = 0; i < n; ++i) {
    std::string_view c(candidates[i]);
    // A prefix is as good as one typo.
    size_t d = isPrefix(want, c) || isPrefix(c, want) ? 1 : editDistance(want, c);
    if (d < bestDist) {
      bestDist = d;
      best = candidates[i];
    }
  }
  return best;
}

std::string joinWords(const std::vector<std::string_view> &words, const char *last) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == words.size() ? last : ", ") + std::string(words[i]);
  return out;
}
