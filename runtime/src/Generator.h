#pragma once
/// \file
/// The built-in generators behind `generate(kind: ...)` and `streamc gen`
/// (internal to the runtime).

#include "srt/runtime.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

/// A field a generator can fill.
struct GenField {
  const char *name;
  uint32_t type; ///< enum srt_type
};

/// The fields of a generator kind, or null for an unknown kind.
const std::vector<GenField> *generatorFields(const std::string &kind);

class Generator {
public:
  /// `events` < 0: unbounded; `rate` <= 0: unthrottled.
  Generator(std::string kind, int64_t events, double rate, uint64_t seed);

  /// Fills the read fields of the next record; false after the last one.
  bool next(const std::vector<srt_field> &fields, void *record);

private:
  void fill(const srt_field &f, void *record, int64_t eventTime, uint64_t r);
  static void setString(const srt_field &f, void *record, const char *text, size_t len);
  static void setInt(const srt_field &f, void *record, int64_t v);
  static uint64_t ysbAd(uint64_t r);

  std::string kind_;
  int64_t events_;
  double rate_;
  uint64_t seed_;
  int64_t n_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::string buffers_[4]; ///< the current record's generated strings
};

/// The ad id and campaign id of YSB ad number `ad` (0..999).
void ysbCampaign(uint64_t seed, uint64_t ad, char *adId, char *campaignId);
