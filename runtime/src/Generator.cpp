/// \file
/// Built-in deterministic generators (LANGUAGE.md §4): sequence, ysb,
/// nexmark_person, nexmark_auction, nexmark_bid. They fill, by name, only
/// the fields the program reads, straight into the record; strings are views
/// into buffers the generator owns (valid until the next record).
///
/// Without a rate, event time starts at 2024-01-01T00:00:00Z and advances as
/// if 1,000,000 events arrived per second; with `rate` R, R events are
/// emitted per second of wall clock and event time is the wall clock.

#include "Generator.h"
#include "Run.h"

#include <cstddef>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
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

/// A UUID-looking id derived from (seed, domain, n): the same every run.
void uuid(char *out, uint64_t seed, uint64_t domain, uint64_t n) {
  uint64_t a = mix(seed ^ mix(domain * 1000003 + n)), b = mix(a);
  std::snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>(a >> 16) & 0xffff, static_cast<unsigned>(a) & 0xffff,
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
}

const char *const kAdTypes[] = {"banner", "modal", "sponsored-search", "mail", "mobile"};
const char *const kEventTypes[] = {"view", "click", "purchase"};
const char *const kFirst[] = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                              "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
const char *const kLast[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                             "Walton", "Smith",  "Jones",   "Noris"};
const char *const kCities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
                               "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
const char *const kStates[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
const char *const kChannels[] = {"Google", "Facebook", "Baidu", "Apple"};

template <size_t N> const char *pick(const char *const (&list)[N], uint64_t r) {
  return list[r % N];
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

Generator::Generator(std::string kind, int64_t events, double rate, uint64_t seed)
    : kind_(std::move(kind)), events_(events), rate_(rate), seed_(seed) {
  if (rate_ > 0)
    start_ = std::chrono::steady_clock::now();
}

bool Generator::next(const std::vector<srt_field> &fields, void *record) {
  if (events_ >= 0 && n_ >= events_)
    return false;
  int64_t eventTime;
  if (rate_ > 0) {
    // Throttle to the rate: event n is due n / rate seconds after start.
    auto due = start_ + std::chrono::nanoseconds(static_cast<int64_t>(n_ * 1e9 / rate_));
    std::this_thread::sleep_until(due);
    eventTime = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  } else {
    eventTime = kEpoch2024 + n_ / 1000; // 1,000,000 events per second
  }
  uint64_t r = mix(seed_ ^ mix(static_cast<uint64_t>(n_)));
  for (const srt_field &f : fields)
    if (f.read) {
      fill(f, record, eventTime, r);
      if (f.null_offset >= 0) // generated values are never null
        static_cast<uint8_t *>(record)[f.null_offset] = 0;
    }
  ++n_;
  return true;
}

void Generator::setString(const srt_field &f, void *record, const char *text, size_t len) {
  *reinterpret_cast<srt_str *>(static_cast<char *>(record) +
                               f.offset) = {text, static_cast<int64_t>(len)};
}

void Generator::setInt(const srt_field &f, void *record, int64_t v) {
  *reinterpret_cast<int64_t *>(static_cast<char *>(record) + f.offset) = v;
}

void Generator::fill(const srt_field &f, void *record, int64_t eventTime, uint64_t r) {
  std::string name = f.name;
  auto text = [&](int slot, const std::string &s) {
    buffers_[slot] = s;
    setString(f, record, buffers_[slot].data(), buffers_[slot].size());
  };
  auto constant = [&](const char *s) { setString(f, record, s, std::strlen(s)); };
  uint64_t n = static_cast<uint64_t>(n_);
  if (kind_ == "sequence") {
    if (name == "n")
      setInt(f, record, n_);
    else
      setInt(f, record, eventTime);
    return;
  }
  if (kind_ == "ysb") {
    char id[40];
    if (name == "user_id") {
      uuid(id, seed_, 1, mix(r) % 100000);
      text(0, id);
    } else if (name == "page_id") {
      uuid(id, seed_, 2, mix(r + 1) % 100000);
      text(1, id);
    } else if (name == "ad_id") {
      uuid(id, 0, 3, ysbAd(r)); // ads and campaigns are the same for every seed
      text(2, id);
    } else if (name == "ad_type")
      constant(pick(kAdTypes, mix(r + 3)));
    else if (name == "event_type")
      constant(pick(kEventTypes, mix(r + 4)));
    else if (name == "event_time")
      setInt(f, record, eventTime);
    else if (name == "ip_address") {
      uint64_t ip = mix(r + 5);
      char buf[20];
      std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", unsigned(ip & 255), unsigned((ip >> 8) & 255),
                    unsigned((ip >> 16) & 255), unsigned((ip >> 24) & 255));
      text(3, buf);
    }
    return;
  }
  if (kind_ == "nexmark_person") {
    if (name == "id")
      setInt(f, record, 1000 + n_);
    else if (name == "name")
      text(0, std::string(pick(kFirst, r)) + " " + pick(kLast, mix(r + 1)));
    else if (name == "email_address")
      text(1, std::string(pick(kFirst, r)) + "@" + pick(kLast, mix(r + 1)) + ".com");
    else if (name == "credit_card") {
      char buf[24];
      uint64_t c = mix(r + 2);
      std::snprintf(buf, sizeof buf, "%04u %04u %04u %04u", unsigned(c % 10000),
                    unsigned((c >> 14) % 10000), unsigned((c >> 28) % 10000),
                    unsigned((c >> 42) % 10000));
      text(2, buf);
    } else if (name == "city")
      constant(pick(kCities, mix(r + 3)));
    else if (name == "state")
      constant(pick(kStates, mix(r + 4)));
    else if (name == "date_time")
      setInt(f, record, eventTime);
    else if (name == "extra")
      text(3, std::string(mix(r + 5) % 8, 'x'));
    return;
  }
  if (kind_ == "nexmark_auction") {
    if (name == "id")
      setInt(f, record, 1000 + n_);
    else if (name == "item_name")
      text(0, "item-" + std::to_string(mix(r) % 10000));
    else if (name == "description")
      text(1, "description of item " + std::to_string(n));
    else if (name == "initial_bid")
      setInt(f, record, 1 + static_cast<int64_t>(mix(r + 1) % 1000));
    else if (name == "reserve")
      setInt(f, record, 1000 + static_cast<int64_t>(mix(r + 2) % 1000));
    else if (name == "date_time")
      setInt(f, record, eventTime);
    else if (name == "expires")
      setInt(f, record, eventTime + 10'000 + static_cast<int64_t>(mix(r + 3) % 50'000));
    else if (name == "seller")
      setInt(f, record, 1000 + static_cast<int64_t>(mix(r + 4) % (n + 1)));
    else if (name == "category")
      setInt(f, record, 10 + static_cast<int64_t>(mix(r + 5) % 5));
    else if (name == "extra")
      text(2, std::string(mix(r + 6) % 8, 'x'));
    return;
  }
  // nexmark_bid: auctions and bidders among the recent ones, so joins match.
  if (name == "auction")
    setInt(f, record, 1000 + static_cast<int64_t>(mix(r) % (n / 10 + 100)));
  else if (name == "bidder")
    setInt(f, record, 1000 + static_cast<int64_t>(mix(r + 1) % (n / 10 + 1000)));
  else if (name == "price")
    setInt(f, record, 100 + static_cast<int64_t>(mix(r + 2) % 100'000));
  else if (name == "channel")
    constant(pick(kChannels, mix(r + 3)));
  else if (name == "url")
    text(0, std::string("https://www.nexmark.com/item/") + std::to_string(mix(r + 4) % 10000));
  else if (name == "date_time")
    setInt(f, record, eventTime);
  else if (name == "extra")
    text(1, std::string(mix(r + 5) % 8, 'x'));
}

uint64_t Generator::ysbAd(uint64_t r) { return mix(r + 2) % 1000; }

/// The fixed ad -> campaign table: the same whatever the events' seed, so
/// one table serves every generated stream.
void ysbCampaign(uint64_t ad, char *adId, char *campaignId) {
  uuid(adId, 0, 3, ad);
  uuid(campaignId, 0, 4, ad / 10); // 100 campaigns of 10 ads
}

extern "C" int srt_gen_main(const char *kind, int64_t events, int64_t seed, const char *format) {
  std::string k = kind, f = format;
  int code = f == "csv" ? SRT_FORMAT_CSV : f == "json" ? SRT_FORMAT_JSON : 0;
  if (!code) {
    std::fprintf(stderr, "error: unknown format '%s' (json or csv)\n", format);
    return 2;
  }
  srt_run *run = srt_run_create();
  int status = 0;
  if (k == "ysb-campaigns") {
    struct Row {
      srt_str ad, campaign;
    };
    srt_field fields[] = {{"ad_id", SRT_STRING, offsetof(Row, ad), -1, 1},
                          {"campaign_id", SRT_STRING, offsetof(Row, campaign), -1, 1}};
    srt_layout layout = {2, sizeof(Row), fields};
    srt_writer *w = srt_writer_open(run, "stdout", nullptr, code, &layout);
    char ad[40], campaign[40];
    for (uint64_t i = 0; i < 1000; ++i) {
      ysbCampaign(i, ad, campaign);
      Row row{{ad, 36}, {campaign, 36}};
      srt_writer_write(w, &row);
    }
    status = srt_writer_close(w) ? 2 : 0;
  } else if (const std::vector<GenField> *spec = generatorFields(k)) {
    // A record with every field of the kind, 8-byte aligned slots.
    std::vector<srt_field> fields;
    uint32_t offset = 0;
    for (const GenField &g : *spec) {
      fields.push_back({g.name, g.type, offset, -1, 1});
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
