/// \file
/// The state of `distinct by <keys> within <d>` (LANGUAGE.md §5): per key,
/// the event times of the records it kept. A record is a duplicate when a
/// kept one of its key lies at most d from it; first one wins. A kept time
/// t is forgotten once the stage's watermark passes t + d: no record that
/// is not late can then be within d of it. A record behind its own source's
/// watermark is late (dropped and counted), as a window's or a join's.

#include "run/Run.h"
#include "srt/abi.h"

#include <xxhash.h>

#include <algorithm>
#include <map>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return XXH3_64bits(s.data(), s.size()); }
};

struct Kept {
  int64_t time;
  int64_t epoch; ///< the input epoch of the record (Kafka commits)
};

/// A kept time to forget once the watermark passes `at`.
struct Expiry {
  int64_t at;
  int64_t time;
  std::string key;
  bool operator>(const Expiry &o) const { return at > o.at; }
};

} // namespace

struct srt_dedup {
  srt_run *run = nullptr;
  int64_t within = 0;
  WindowStats *stats = nullptr;
  std::unordered_map<std::string, std::vector<Kept>, KeyHash, std::equal_to<>> keys;
  std::priority_queue<Expiry, std::vector<Expiry>, std::greater<Expiry>> expiring;
  std::map<int64_t, int64_t> liveEpochs; ///< epoch -> kept times from it
  std::string keyBuffer;

  void forget(const Expiry &e) {
    auto it = keys.find(std::string_view(e.key));
    if (it == keys.end())
      return;
    std::vector<Kept> &times = it->second;
    for (size_t i = 0; i < times.size(); ++i)
      if (times[i].time == e.time) {
        if (--liveEpochs[times[i].epoch] == 0)
          liveEpochs.erase(times[i].epoch);
        times[i] = times.back();
        times.pop_back();
        break;
      }
    if (times.empty())
      keys.erase(it);
  }
};

int64_t dedupOldestEpoch(const srt_dedup *dedup) {
  return dedup->liveEpochs.empty() ? INT64_MAX : dedup->liveEpochs.begin()->first;
}

void dedupReset(srt_dedup *dedup) {
  dedup->keys.clear();
  dedup->expiring = {};
  dedup->liveEpochs.clear();
}

extern "C" {

srt_dedup *srt_dedup_create(srt_run *run, const char *where, int64_t within_ms) {
  auto *d = new srt_dedup();
  d->run = run;
  d->within = within_ms;
  d->stats = run->addWindow(where, "distinct");
  run->liveDedups.push_back(d);
  return d;
}

void srt_dedup_destroy(srt_dedup *dedup) {
  if (!dedup)
    return;
  auto &live = dedup->run->liveDedups;
  live.erase(std::remove(live.begin(), live.end(), dedup), live.end());
  delete dedup;
}

void *srt_dedup_key_buffer(srt_dedup *dedup, int64_t len) {
  dedup->keyBuffer.resize(static_cast<size_t>(len));
  return dedup->keyBuffer.data();
}

int32_t srt_dedup_keep(srt_dedup *dedup, const void *key, int64_t key_len, int64_t time,
                       int64_t late_before) {
  if (time < late_before) {
    ++dedup->stats->late;
    return -1;
  }
  std::string_view k(static_cast<const char *>(key), static_cast<size_t>(key_len));
  auto it = dedup->keys.find(k);
  if (it != dedup->keys.end())
    for (const Kept &kept : it->second) {
      // |time - kept| <= within, without overflow at the extremes.
      int64_t gap =
          time > kept.time
              ? static_cast<int64_t>(static_cast<uint64_t>(time) - static_cast<uint64_t>(kept.time))
              : static_cast<int64_t>(static_cast<uint64_t>(kept.time) -
                                     static_cast<uint64_t>(time));
      if (gap >= 0 && gap <= dedup->within)
        return 0;
    }
  if (it == dedup->keys.end())
    it = dedup->keys.emplace(std::string(k), std::vector<Kept>()).first;
  int64_t epoch = dedup->run->recordEpoch;
  it->second.push_back({time, epoch});
  ++dedup->liveEpochs[epoch];
  int64_t at = time > INT64_MAX - dedup->within ? INT64_MAX : time + dedup->within;
  dedup->expiring.push({at, time, std::string(k)});
  return 1;
}

void srt_dedup_advance(srt_dedup *dedup, int64_t watermark) {
  while (!dedup->expiring.empty() && dedup->expiring.top().at < watermark) {
    dedup->forget(dedup->expiring.top());
    dedup->expiring.pop();
  }
}

} // extern "C"
