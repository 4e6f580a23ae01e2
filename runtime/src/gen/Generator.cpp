/// \file
/// Built-in deterministic generators (LANGUAGE.md §4): sequence, ysb,
/// nexmark_person, nexmark_auction, nexmark_bid. They fill only the fields
/// the program reads, straight into the record; each read field is resolved
/// from its name to what it holds once, not per record. Strings are views
/// into per-field buffers the generator owns (valid until the next record),
/// formatted by hand (no snprintf, no allocation per record); the YSB ad and
/// campaign ids are computed once.
///
/// Without a rate, event time starts at 2024-01-01T00:00:00Z and advances as
/// if 1,000,000 events arrived per second; with `rate` R, R events are
/// emitted per second of wall clock and event time is the wall clock.

#include "gen/Generator.h"
#include "formats/Formats.h"
#include "run/Run.h"
#include "srt/abi.h"
#include "srt/host.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>

namespace {

constexpr int64_t kEpoch2024 = 1704067200000; // 2024-01-01T00:00:00Z

/// splitmix64: a small, fast, well-distributed deterministic generator.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// "00" to "ff": the two lowercase hex digits of each byte.
struct HexPairs {
  char digits[256][2];
  constexpr HexPairs() : digits() {
    const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 256; ++i) {
      digits[i][0] = hex[i >> 4];
      digits[i][1] = hex[i & 15];
    }
  }
};
constexpr HexPairs kHexPairs;

/// "00" to "99".
struct DecimalPairs {
  char digits[100][2];
  constexpr DecimalPairs() : digits() {
    for (int i = 0; i < 100; ++i) {
      digits[i][0] = static_cast<char>('0' + i / 10);
      digits[i][1] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr DecimalPairs kDecimalPairs;

/// The decimal text of each byte value, 1 to 3 digits.
struct ByteDecimals {
  struct Text {
    char digits[3];
    uint8_t len;
  };
  Text of[256];
  constexpr ByteDecimals() : of() {
    for (int i = 0; i < 256; ++i) {
      Text &t = of[i];
      if (i >= 100)
        t = {{static_cast<char>('0' + i / 100), static_cast<char>('0' + i / 10 % 10),
              static_cast<char>('0' + i % 10)},
             3};
      else if (i >= 10)
        t = {{static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10), 0}, 2};
      else
        t = {{static_cast<char>('0' + i), 0, 0}, 1};
    }
  }
};
constexpr ByteDecimals kByteDecimals;

/// Where uuidDigits() puts the hex digits of each byte: a's 8 bytes, then b's,
/// around the dashes of 8-4-4-4-12.
constexpr uint8_t kUuidPairAt[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
constexpr size_t kUuidLen = 36;

/// Writes the four dashes of a UUID; uuidDigits() fills in the rest.
void uuidDashes(char *out) { out[8] = out[13] = out[18] = out[23] = '-'; }

/// The hex digits of the UUID-looking id of (seed, domain, n), the same every
/// run: "%08x-%04x-%04x-%04x-%012x" of a then b (two 64-bit mixes), written
/// around dashes already in `out`.
void uuidDigits(char *out, uint64_t seed, uint64_t domain, uint64_t n) {
  uint64_t a = mix(seed ^ mix(domain * 1000003 + n)), b = mix(a);
  for (int i = 0; i < 8; ++i) {
    std::memcpy(out + kUuidPairAt[i], kHexPairs.digits[(a >> (56 - 8 * i)) & 255], 2);
    std::memcpy(out + kUuidPairAt[8 + i], kHexPairs.digits[(b >> (56 - 8 * i)) & 255], 2);
  }
}

/// Writes the decimal digits of `v`; returns how many.
size_t writeDecimal(char *out, uint64_t v) {
  char digits[20];
  char *end = digits + sizeof digits, *p = end;
  while (v >= 100) {
    p -= 2;
    std::memcpy(p, kDecimalPairs.digits[v % 100], 2);
    v /= 100;
  }
  if (v >= 10) {
    p -= 2;
    std::memcpy(p, kDecimalPairs.digits[v], 2);
  } else {
    *--p = static_cast<char>('0' + v);
  }
  size_t len = static_cast<size_t>(end - p);
  std::memcpy(out, p, len);
  return len;
}

/// Writes `v` (< 10000) as four digits, zero-padded.
void writeFourDigits(char *out, uint64_t v) {
  std::memcpy(out, kDecimalPairs.digits[v / 100], 2);
  std::memcpy(out + 2, kDecimalPairs.digits[v % 100], 2);
}

constexpr std::string_view kAdTypes[] = {"banner", "modal", "sponsored-search", "mail", "mobile"};
constexpr std::string_view kEventTypes[] = {"view", "click", "purchase"};
constexpr std::string_view kFirst[] = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                       "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
constexpr std::string_view kLast[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                      "Walton", "Smith",  "Jones",   "Noris"};
constexpr std::string_view kCities[] = {"Phoenix",  "Los Angeles", "San Francisco", "Boise",
                                        "Portland", "Bend",        "Redmond",       "Seattle",
                                        "Kent",     "Cheyenne"};
constexpr std::string_view kStates[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
constexpr std::string_view kChannels[] = {"Google", "Facebook", "Baidu", "Apple"};
/// `extra` is 0 to 7 of these.
constexpr std::string_view kExtra = "xxxxxxx";
constexpr std::string_view kItemPrefix = "item-";
constexpr std::string_view kDescriptionPrefix = "description of item ";
constexpr std::string_view kUrlPrefix = "https://www.nexmark.com/item/";

template <size_t N> std::string_view pick(const std::string_view (&list)[N], uint64_t r) {
  return list[r % N];
}

/// Appends `s` at `p`; returns the end.
char *append(char *p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

constexpr uint64_t kYsbUsers = 100000; ///< users, and also pages, of a seed
constexpr uint64_t kYsbAds = 1000;
constexpr uint64_t kYsbAdsPerCampaign = 10;

/// The YSB ad and campaign ids, computed once: they do not depend on the
/// events' seed, so one table serves every generated stream.
struct YsbIds {
  char ad[kYsbAds][kUuidLen];
  char campaign[kYsbAds / kYsbAdsPerCampaign][kUuidLen];
  YsbIds() {
    for (uint64_t i = 0; i < kYsbAds; ++i) {
      uuidDashes(ad[i]);
      uuidDigits(ad[i], 0, 3, i);
    }
    for (uint64_t i = 0; i < kYsbAds / kYsbAdsPerCampaign; ++i) {
      uuidDashes(campaign[i]);
      uuidDigits(campaign[i], 0, 4, i);
    }
  }
};

const YsbIds &ysbIds() {
  static const YsbIds ids;
  return ids;
}

/// The ad of a YSB event with random bits `r`.
uint64_t ysbAd(uint64_t r) { return mix(r + 2) % kYsbAds; }

void setString(char *record, uint32_t offset, const char *text, size_t len) {
  *reinterpret_cast<srt_str *>(record + offset) = {text, static_cast<int64_t>(len)};
}

void setString(char *record, uint32_t offset, std::string_view s) {
  setString(record, offset, s.data(), s.size());
}

void setInt(char *record, uint32_t offset, int64_t v) {
  *reinterpret_cast<int64_t *>(record + offset) = v;
}

} // namespace

const std::vector<GenField> *generatorFields(const std::string &kind) {
  static const std::vector<GenField> sequence = {{"n", SRT_I64}, {"ts", SRT_TIMESTAMP}};
  static const std::vector<GenField> ysb = {
      {"user_id", SRT_STRING},   {"page_id", SRT_STRING},    {"ad_id", SRT_STRING},
      {"ad_type", SRT_STRING},   {"event_type", SRT_STRING}, {"event_time", SRT_TIMESTAMP},
      {"ip_address", SRT_STRING}};
  static const std::vector<GenField> person = {{"id", SRT_I64},
                                               {"name", SRT_STRING},
                                               {"email_address", SRT_STRING},
                                               {"credit_card", SRT_STRING},
                                               {"city", SRT_STRING},
                                               {"state", SRT_STRING},
                                               {"date_time", SRT_TIMESTAMP},
                                               {"extra", SRT_STRING}};
  static const std::vector<GenField> auction = {{"id", SRT_I64},
                                                {"item_name", SRT_STRING},
                                                {"description", SRT_STRING},
                                                {"initial_bid", SRT_I64},
                                                {"reserve", SRT_I64},
                                                {"date_time", SRT_TIMESTAMP},
                                                {"expires", SRT_TIMESTAMP},
                                                {"seller", SRT_I64},
                                                {"category", SRT_I64},
                                                {"extra", SRT_STRING}};
  static const std::vector<GenField> bid = {{"auction", SRT_I64}, {"bidder", SRT_I64},
                                            {"price", SRT_I64},   {"channel", SRT_STRING},
                                            {"url", SRT_STRING},  {"date_time", SRT_TIMESTAMP},
                                            {"extra", SRT_STRING}};
  if (kind == "sequence")
    return &sequence;
  if (kind == "ysb")
    return &ysb;
  if (kind == "nexmark_person")
    return &person;
  if (kind == "nexmark_auction")
    return &auction;
  if (kind == "nexmark_bid")
    return &bid;
  return nullptr;
}

Generator::Kind Generator::kindOf(const std::string &kind) {
  if (kind == "sequence")
    return Kind::Sequence;
  if (kind == "ysb")
    return Kind::Ysb;
  if (kind == "nexmark_person")
    return Kind::NexmarkPerson;
  if (kind == "nexmark_auction")
    return Kind::NexmarkAuction;
  if (kind == "nexmark_bid")
    return Kind::NexmarkBid;
  return Kind::Unknown;
}

Generator::Value Generator::valueOf(Kind kind, const char *field) {
  struct Named {
    const char *name;
    Value value;
  };
  static const Named ysb[] = {{"user_id", Value::YsbUserId},       {"page_id", Value::YsbPageId},
                              {"ad_id", Value::YsbAdId},           {"ad_type", Value::YsbAdType},
                              {"event_type", Value::YsbEventType}, {"event_time", Value::EventTime},
                              {"ip_address", Value::YsbIpAddress}};
  static const Named person[] = {{"id", Value::PersonId},
                                 {"name", Value::PersonName},
                                 {"email_address", Value::PersonEmailAddress},
                                 {"credit_card", Value::PersonCreditCard},
                                 {"city", Value::PersonCity},
                                 {"state", Value::PersonState},
                                 {"date_time", Value::EventTime},
                                 {"extra", Value::PersonExtra}};
  static const Named auction[] = {{"id", Value::AuctionId},
                                  {"item_name", Value::AuctionItemName},
                                  {"description", Value::AuctionDescription},
                                  {"initial_bid", Value::AuctionInitialBid},
                                  {"reserve", Value::AuctionReserve},
                                  {"date_time", Value::EventTime},
                                  {"expires", Value::AuctionExpires},
                                  {"seller", Value::AuctionSeller},
                                  {"category", Value::AuctionCategory},
                                  {"extra", Value::AuctionExtra}};
  static const Named bid[] = {{"auction", Value::BidAuction}, {"bidder", Value::BidBidder},
                              {"price", Value::BidPrice},     {"channel", Value::BidChannel},
                              {"url", Value::BidUrl},         {"date_time", Value::EventTime},
                              {"extra", Value::BidExtra}};
  auto find = [field](const auto &named) {
    for (const Named &n : named)
      if (std::strcmp(n.name, field) == 0)
        return n.value;
    return Value::None;
  };
  switch (kind) {
  case Kind::Sequence: // every field but n is the event time
    return std::strcmp(field, "n") == 0 ? Value::SequenceN : Value::EventTime;
  case Kind::Ysb:
    return find(ysb);
  case Kind::NexmarkPerson:
    return find(person);
  case Kind::NexmarkAuction:
    return find(auction);
  case Kind::NexmarkBid:
    return find(bid);
  case Kind::Unknown:
    break;
  }
  return Value::None;
}

Generator::Generator(const std::string &kind, int64_t events, double rate, uint64_t seed)
    : kind_(kindOf(kind)), events_(events), rate_(rate), seed_(seed),
      ysbAdIds_(kind_ == Kind::Ysb ? ysbIds().ad[0] : nullptr) {
  if (rate_ > 0)
    start_ = std::chrono::steady_clock::now();
}

void Generator::resolve(const std::vector<srt_field> &fields) {
  slots_.clear();
  random_ = false;
  for (const srt_field &f : fields) {
    if (!f.read)
      continue;
    Slot slot{valueOf(kind_, f.name), f.null_offset, f.offset, {}};
    // The parts of the text that are the same in every record.
    switch (slot.value) {
    case Value::YsbUserId:
    case Value::YsbPageId:
      uuidDashes(slot.text);
      break;
    case Value::PersonCreditCard:
      slot.text[4] = slot.text[9] = slot.text[14] = ' ';
      break;
    case Value::AuctionItemName:
      append(slot.text, kItemPrefix);
      break;
    case Value::AuctionDescription:
      append(slot.text, kDescriptionPrefix);
      break;
    case Value::BidUrl:
      append(slot.text, kUrlPrefix);
      break;
    default:
      break;
    }
    random_ = random_ || (slot.value != Value::None && slot.value != Value::EventTime &&
                          slot.value != Value::SequenceN && slot.value != Value::PersonId);
    slots_.push_back(slot);
  }
  resolvedFor_ = fields.data();
  resolvedCount_ = fields.size();
}

// Inlined into next(): without the call per field a program that only
// generates YSB events ran 10-20% faster.
[[gnu::always_inline]] inline void Generator::fill(Slot &slot, char *record, int64_t eventTime,
                                                   uint64_t r) {
  const uint32_t at = slot.offset;
  char *text = slot.text;
  const uint64_t n = static_cast<uint64_t>(n_);
  switch (slot.value) {
  case Value::None:
    return;
  case Value::EventTime:
    return setInt(record, at, eventTime);
  case Value::SequenceN:
    return setInt(record, at, n_);

  // User and page ids are formatted per record: caching the 100,000 ids of
  // each (3.6 MB) measured 2.5x slower once the ids are used, as reading a
  // cached id misses the CPU caches.
  case Value::YsbUserId:
    uuidDigits(text, seed_, 1, mix(r) % kYsbUsers);
    return setString(record, at, text, kUuidLen);
  case Value::YsbPageId:
    uuidDigits(text, seed_, 2, mix(r + 1) % kYsbUsers);
    return setString(record, at, text, kUuidLen);
  case Value::YsbAdId: // the same ads for every seed
    return setString(record, at, ysbAdIds_ + ysbAd(r) * kUuidLen, kUuidLen);
  case Value::YsbAdType:
    return setString(record, at, pick(kAdTypes, mix(r + 3)));
  case Value::YsbEventType:
    return setString(record, at, pick(kEventTypes, mix(r + 4)));
  case Value::YsbIpAddress: {
    // The four low bytes of a mix, lowest first, dotted.
    uint64_t ip = mix(r + 5);
    char *p = text;
    for (int i = 0; i < 4; ++i) {
      const ByteDecimals::Text &d = kByteDecimals.of[(ip >> (8 * i)) & 255];
      std::memcpy(p, d.digits, 3);
      p += d.len;
      *p++ = '.';
    }
    return setString(record, at, text, static_cast<size_t>(p - 1 - text));
  }

  case Value::PersonId:
    return setInt(record, at, 1000 + n_);
  case Value::PersonName: {
    char *p = append(text, pick(kFirst, r));
    *p++ = ' ';
    p = append(p, pick(kLast, mix(r + 1)));
    return setString(record, at, text, static_cast<size_t>(p - text));
  }
  case Value::PersonEmailAddress: {
    char *p = append(text, pick(kFirst, r));
    *p++ = '@';
    p = append(p, pick(kLast, mix(r + 1)));
    p = append(p, ".com");
    return setString(record, at, text, static_cast<size_t>(p - text));
  }
  case Value::PersonCreditCard: {
    // Four groups of four digits from bits 0, 14, 28 and 42 of a mix.
    uint64_t c = mix(r + 2);
    for (int i = 0; i < 4; ++i)
      writeFourDigits(text + 5 * i, (c >> (14 * i)) % 10000);
    return setString(record, at, text, 19);
  }
  case Value::PersonCity:
    return setString(record, at, pick(kCities, mix(r + 3)));
  case Value::PersonState:
    return setString(record, at, pick(kStates, mix(r + 4)));
  case Value::PersonExtra:
    return setString(record, at, kExtra.substr(0, mix(r + 5) % 8));

  case Value::AuctionId:
    return setInt(record, at, 1000 + n_);
  case Value::AuctionItemName: {
    size_t len = kItemPrefix.size();
    len += writeDecimal(text + len, mix(r) % 10000);
    return setString(record, at, text, len);
  }
  case Value::AuctionDescription: {
    size_t len = kDescriptionPrefix.size();
    len += writeDecimal(text + len, n);
    return setString(record, at, text, len);
  }
  case Value::AuctionInitialBid:
    return setInt(record, at, 1 + static_cast<int64_t>(mix(r + 1) % 1000));
  case Value::AuctionReserve:
    return setInt(record, at, 1000 + static_cast<int64_t>(mix(r + 2) % 1000));
  case Value::AuctionExpires:
    return setInt(record, at, eventTime + 10'000 + static_cast<int64_t>(mix(r + 3) % 50'000));
  case Value::AuctionSeller:
    return setInt(record, at, 1000 + static_cast<int64_t>(mix(r + 4) % (n + 1)));
  case Value::AuctionCategory:
    return setInt(record, at, 10 + static_cast<int64_t>(mix(r + 5) % 5));
  case Value::AuctionExtra:
    return setString(record, at, kExtra.substr(0, mix(r + 6) % 8));

  // Bids go to recent auctions from recent bidders, so joins match.
  case Value::BidAuction:
    return setInt(record, at, 1000 + static_cast<int64_t>(mix(r) % (n / 10 + 100)));
  case Value::BidBidder:
    return setInt(record, at, 1000 + static_cast<int64_t>(mix(r + 1) % (n / 10 + 1000)));
  case Value::BidPrice:
    return setInt(record, at, 100 + static_cast<int64_t>(mix(r + 2) % 100'000));
  case Value::BidChannel:
    return setString(record, at, pick(kChannels, mix(r + 3)));
  case Value::BidUrl: {
    size_t len = kUrlPrefix.size();
    len += writeDecimal(text + len, mix(r + 4) % 10000);
    return setString(record, at, text, len);
  }
  case Value::BidExtra:
    return setString(record, at, kExtra.substr(0, mix(r + 5) % 8));
  }
}

std::chrono::steady_clock::time_point Generator::due() const {
  // Throttled to the rate: event n is due n / rate seconds after start.
  return start_ + std::chrono::nanoseconds(static_cast<int64_t>(n_ * 1e9 / rate_));
}

int64_t Generator::dueInMs() const {
  if (rate_ <= 0)
    return -1;
  auto wait = due() - std::chrono::steady_clock::now();
  // Rounded up, so a wake-up never comes before the event is due.
  return std::max<int64_t>(0, std::chrono::ceil<std::chrono::milliseconds>(wait).count());
}

bool Generator::next(const std::vector<srt_field> &fields, void *record) {
  waiting_ = false;
  if (events_ >= 0 && n_ >= events_)
    return false;
  if (fields.data() != resolvedFor_ || fields.size() != resolvedCount_)
    resolve(fields);
  int64_t eventTime;
  if (rate_ > 0) {
    auto due = this->due();
    if (nonBlocking_ && std::chrono::steady_clock::now() < due) {
      waiting_ = true; // the scheduler wakes the source when it is due
      return false;
    }
    // Sleep in short steps so that a stop request (Ctrl-C in the REPL)
    // is seen within 50 ms even at a low rate.
    for (auto now = std::chrono::steady_clock::now(); now < due;
         now = std::chrono::steady_clock::now()) {
      if (stop_ && stop_->load(std::memory_order_relaxed))
        return false;
      std::this_thread::sleep_until(std::min(due, now + std::chrono::milliseconds(50)));
    }
    eventTime = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  } else {
    eventTime = kEpoch2024 + n_ / 1000; // 1,000,000 events per second
  }
  uint64_t r = random_ ? mix(seed_ ^ mix(static_cast<uint64_t>(n_))) : 0;
  char *bytes = static_cast<char *>(record);
  for (Slot &slot : slots_) {
    fill(slot, bytes, eventTime, r);
    if (slot.nullOffset >= 0) // generated values are never null
      bytes[slot.nullOffset] = 0;
  }
  ++n_;
  return true;
}

int64_t Generator::fill(const std::vector<srt_field> &fields, char *records, int64_t capacity,
                        size_t stride) {
  if (!next(fields, records)) // resolves the fields first
    return 0;
  if (random_ || rate_ > 0) // strings in buffers, or the clock: one by one
    return 1;
  // n, the event time and person ids only: written straight, no switch,
  // from offsets in locals (the record's bytes alias nothing of them).
  constexpr int kMax = 8;
  uint32_t nAt[kMax], timeAt[kMax], idAt[kMax];
  int32_t nullAt[3 * kMax];
  int ns = 0, times = 0, ids = 0, nulls = 0;
  for (const Slot &slot : slots_) {
    if (ns == kMax || times == kMax || ids == kMax)
      return 1;
    if (slot.value == Value::SequenceN)
      nAt[ns++] = slot.offset;
    else if (slot.value == Value::EventTime)
      timeAt[times++] = slot.offset;
    else if (slot.value == Value::PersonId)
      idAt[ids++] = slot.offset;
    if (slot.nullOffset >= 0)
      nullAt[nulls++] = slot.nullOffset;
  }
  int64_t count = std::min(capacity, events_ < 0 ? capacity : events_ - n_ + 1);
  // Records 1..count-1 (next() wrote record 0), one field at a time: each
  // loop is a strided store with no division. The event time steps every
  // 1,000 events, so within a batch it is one value up to a record and the
  // next one from there.
  auto each = [&](int64_t from, int64_t to, auto &&store) {
    char *record = records + static_cast<size_t>(from) * stride;
#pragma GCC unroll 4
    for (int64_t i = from; i < to; ++i, record += stride)
      store(record);
  };
  int64_t eventTime = kEpoch2024 + n_ / 1000;             // as next(), for record 1
  int64_t step = std::min(count, 1 + (1000 - n_ % 1000)); // the first record a second later
  if (ns == 1 && times == 1 && ids == 0 && nulls == 0) {
    // The common case (n and its event time): one pass writes both.
    int64_t n = n_;
    auto both = [&, nAt = nAt[0], timeAt = timeAt[0]](int64_t time) {
      return [&, nAt, timeAt, time](char *record) {
        setInt(record, nAt, n++);
        setInt(record, timeAt, time);
      };
    };
    each(1, step, both(eventTime));
    each(step, count, both(eventTime + 1));
    n_ += count - 1;
    return count;
  }
  for (int k = 0; k < ns; ++k) {
    int64_t n = n_;
    each(1, count, [&, at = nAt[k]](char *record) { setInt(record, at, n++); });
  }
  for (int k = 0; k < ids; ++k) {
    int64_t id = 1000 + n_;
    each(1, count, [&, at = idAt[k]](char *record) { setInt(record, at, id++); });
  }
  for (int k = 0; k < times; ++k) {
    each(1, step, [&, at = timeAt[k]](char *record) { setInt(record, at, eventTime); });
    each(step, count, [&, at = timeAt[k]](char *record) { setInt(record, at, eventTime + 1); });
  }
  for (int k = 0; k < nulls; ++k)
    each(1, count, [at = nullAt[k]](char *record) { record[at] = 0; });
  n_ += count - 1;
  return count;
}

void ysbCampaign(uint64_t ad, char *adId, char *campaignId) {
  const YsbIds &ids = ysbIds();
  std::memcpy(adId, ids.ad[ad], kUuidLen);
  adId[kUuidLen] = 0;
  std::memcpy(campaignId, ids.campaign[ad / kYsbAdsPerCampaign], kUuidLen);
  campaignId[kUuidLen] = 0;
}

extern "C" int srt_gen_main(const char *kind, int64_t events, int64_t seed, const char *format) {
  std::string k = kind;
  const srt_format_info *info = formatFor(format, kFormatWrite | kFormatMessage);
  if (!info) {
    std::fprintf(stderr, "error: unknown format '%s' (%s)\n", format,
                 formatNames(kFormatWrite | kFormatMessage).c_str());
    return 2;
  }
  int code = info->code;
  srt_run *run = srt_run_create();
  int status = 0;
  if (k == "ysb-campaigns") {
    struct Row {
      srt_str ad, campaign;
    };
    srt_field fields[] = {{"ad_id", SRT_STRING, offsetof(Row, ad), -1, 1, 0},
                          {"campaign_id", SRT_STRING, offsetof(Row, campaign), -1, 1, 0}};
    srt_layout layout = {2, sizeof(Row), fields};
    srt_writer *w = srt_writer_open(run, "stdout", nullptr, code, &layout);
    char ad[40], campaign[40];
    for (uint64_t i = 0; i < kYsbAds; ++i) {
      ysbCampaign(i, ad, campaign);
      Row row{{ad, kUuidLen}, {campaign, kUuidLen}};
      srt_writer_write(w, &row);
    }
    status = srt_writer_close(w) ? 2 : 0;
  } else if (const std::vector<GenField> *spec = generatorFields(k)) {
    // A record with every field of the kind, 8-byte aligned slots.
    std::vector<srt_field> fields;
    uint32_t offset = 0;
    for (const GenField &g : *spec) {
      fields.push_back({g.name, g.type, offset, -1, 1, 0});
      offset += g.type == SRT_STRING ? 16 : 8;
    }
    srt_layout layout = {static_cast<uint32_t>(fields.size()), offset, fields.data()};
    std::vector<uint64_t> record((offset + 7) / 8);
    Generator gen(k, events, 0, static_cast<uint64_t>(seed));
    srt_writer *w = srt_writer_open(run, "stdout", nullptr, code, &layout);
    while (gen.next(fields, record.data()))
      srt_writer_write(w, record.data());
    status = srt_writer_close(w) ? 2 : 0;
  } else {
    std::fprintf(stderr,
                 "error: unknown generator '%s' (sequence, ysb, nexmark_person, nexmark_auction, "
                 "nexmark_bid, ysb-campaigns)\n",
                 kind);
    status = 2;
  }
  if (const char *e = srt_run_error(run))
    std::fprintf(stderr, "error: %s\n", e);
  srt_run_destroy(run);
  return status;
}
