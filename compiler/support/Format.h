#pragma once
/// \file
/// Number formatting shared by every dump: shortest round-trip doubles.

#include <charconv>
#include <string>

namespace streamc {

/// The shortest text that reads back as \p v, always with a `.` or an
/// exponent so it reads as a float: `0.1`, `2.5`, `1000.0`, `1e+300`.
inline std::string formatDouble(double v) {
  if (v != v)
    return "nan";
  if (v == __builtin_inf())
    return "inf";
  if (v == -__builtin_inf())
    return "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, end);
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

} // namespace streamc
