#pragma once
/// \file
/// Number formatting shared by every dump: shortest round-trip doubles, as
/// the runtime writes them (one implementation: srt_format_double).

#include <srt/host.h>

#include <string>

namespace streamc {

/// The shortest text that reads back as \p v, always with a `.` or an
/// exponent so it reads as a float: `0.1`, `2.5`, `1000.0`, `1e+300`; and
/// `nan`, `inf`, `-inf`.
inline std::string formatDouble(double v) {
  char buf[32];
  std::string s(buf, srt_format_double(v, buf));
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

} // namespace streamc
