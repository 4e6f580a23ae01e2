#pragma once
/// \file
/// The built-in generators behind `generate(kind: ...)` and `streamc gen`
/// (internal to the runtime).

#include "srt/types.h"

#include <atomic>
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
  /// `kind` is one generatorFields() knows; `events` < 0: unbounded;
  /// `rate` <= 0: unthrottled.
  Generator(const std::string &kind, int64_t events, double rate, uint64_t seed);

  /// Fills the read fields of the next record; false after the last one.
  /// `fields` must be the same layout at every call: its read fields are
  /// resolved to what they hold at the first call (and again only if another
  /// vector is passed). Strings are views into buffers the generator owns,
  /// valid until the next call.
  bool next(const std::vector<srt_field> &fields, void *record);
  /// next() for up to \p capacity records \p stride bytes apart: how many
  /// (0: as next() returning false). Records whose strings are views into
  /// the generator's buffers (valid until the next record) come one per
  /// call, as do throttled ones.
  int64_t fill(const std::vector<srt_field> &fields, char *records, int64_t capacity,
               size_t stride);
  /// A throttled generator stops waiting (and ends) once \p stop is set.
  void stopWhen(const std::atomic<bool> *stop) { stop_ = stop; }
  /// Under the scheduler a throttled generator does not sleep: next()
  /// returns false with waiting() set while the next event is not due.
  void setNonBlocking(bool on) { nonBlocking_ = on; }
  bool waiting() const { return waiting_; }
  /// Milliseconds until the next event is due (0: now; -1: unthrottled).
  int64_t dueInMs() const;
  /// Unthrottled with a count: a bounded stream read as fast as it goes.
  bool bounded() const { return rate_ <= 0 && events_ >= 0; }

private:
  const std::atomic<bool> *stop_ = nullptr;
  bool nonBlocking_ = false, waiting_ = false;
  /// When event n_ is due (throttled generators).
  std::chrono::steady_clock::time_point due() const;
  enum class Kind : uint8_t { Sequence, Ysb, NexmarkPerson, NexmarkAuction, NexmarkBid, Unknown };

  /// What a read field holds: one code per field of each kind.
  enum class Value : uint8_t {
    None, ///< a field the kind does not have: left as it is
    EventTime,
    SequenceN,
    YsbUserId,
    YsbPageId,
    YsbAdId,
    YsbAdType,
    YsbEventType,
    YsbIpAddress,
    PersonId,
    PersonName,
    PersonEmailAddress,
    PersonCreditCard,
    PersonCity,
    PersonState,
    PersonExtra,
    AuctionId,
    AuctionItemName,
    AuctionDescription,
    AuctionInitialBid,
    AuctionReserve,
    AuctionExpires,
    AuctionSeller,
    AuctionCategory,
    AuctionExtra,
    BidAuction,
    BidBidder,
    BidPrice,
    BidChannel,
    BidUrl,
    BidExtra,
  };

  /// The longest string a generator writes: "description of item " and a
  /// 20-digit record number.
  static constexpr size_t kTextCapacity = 48;

  /// A read field of the record: what it holds, where, and the buffer of
  /// its string in the current record (constant parts written once).
  struct Slot {
    Value value;
    int32_t nullOffset; ///< -1: no null flag
    uint32_t offset;
    char text[kTextCapacity];
  };

  static Kind kindOf(const std::string &kind);
  static Value valueOf(Kind kind, const char *field);
  void resolve(const std::vector<srt_field> &fields);
  void fill(Slot &slot, char *record, int64_t eventTime, uint64_t r);

  Kind kind_;
  int64_t events_;
  double rate_;
  uint64_t seed_;
  int64_t n_ = 0;
  std::chrono::steady_clock::time_point start_;
  const char *ysbAdIds_;                   ///< 1000 ids of 36 characters (see ysbCampaign)
  std::vector<Slot> slots_;                ///< the read fields, in layout order
  const srt_field *resolvedFor_ = nullptr; ///< the fields slots_ was resolved from
  size_t resolvedCount_ = 0;
  /// Some read field is drawn at random (not n or the event time): the
  /// record's random bits are mixed only then.
  bool random_ = false;
};

/// The ad id and campaign id (36 characters each, then a NUL) of YSB ad
/// number `ad` (0..999); the same for every seed of the events.
void ysbCampaign(uint64_t ad, char *adId, char *campaignId);
