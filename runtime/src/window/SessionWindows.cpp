/// \file
/// Session windows (WindowKind.h): per key, its open sessions, merged as
/// records bridge them (sessions that overlap or touch merge, as in Flink
/// and Kafka Streams), firing from a min-heap on their end.

#include "window/WindowKind.h"

#include <algorithm>
#include <cstdlib>
#include <queue>
#include <vector>

namespace {

/// One session of one key; its aggregate state follows it.
struct Session {
  int64_t start, end; ///< [first event, last event + gap)
  int64_t epoch;      ///< the oldest epoch of its records (checkpoints)
  uint64_t created;   ///< creation number: orders sessions that end together
  uint64_t hash;
  uint32_t keyLen;
  bool dead;
  char *key;
  Session *next; ///< the key's other open sessions
  void *state() { return reinterpret_cast<char *>(this) + sizeof(Session); }
};
static_assert(sizeof(Session) % 8 == 0, "states are 8-byte aligned");

/// A session's end in the heap; sessions that end at the same time fire in
/// the order they were created (so keys in the order first seen, §15.21),
/// whatever the heap's shape.
struct HeapItem {
  int64_t end;
  Session *session;
  uint64_t order;
  bool operator>(const HeapItem &o) const { return end != o.end ? end > o.end : order > o.order; }
};

class SessionWindows final : public WindowKind {
public:
  SessionWindows(WindowContext &w, int64_t gap)
      : WindowKind(w), gap_(gap), keys_(0, w.keyCapacity, sizeof(KeyTable::Extras)) {}
  ~SessionWindows() override { reset(); }

  void *state(int64_t time, uint64_t hash, const void *key, uint32_t len) override {
    if (time + gap_ <= w_.lateBefore)
      return w_.late();
    bool inserted;
    KeyTable::Header *k = keys_.findOrInsert(hash, key, len, inserted);
    Session *target = nullptr;
    int64_t end = time + gap_;
    void *&sessions = keys_.extras(k)->extra;
    for (Session **link = reinterpret_cast<Session **>(&sessions); *link;) {
      Session *s = *link;
      if (!(time <= s->end && s->start <= end)) {
        link = &s->next;
        continue;
      }
      if (!target) {
        target = s;
        target->epoch = std::min(target->epoch, w_.run->recordEpoch);
        target->start = std::min(target->start, time);
        target->end = std::max(target->end, end);
        link = &s->next;
        continue;
      }
      // The record bridges two sessions: fold s into target.
      mergeAggState(w_.aggs, target->state(), s->state());
      destroyAggState(w_.aggs, s->state());
      target->start = std::min(target->start, s->start);
      target->end = std::max(target->end, s->end);
      target->epoch = std::min(target->epoch, s->epoch);
      s->dead = true; // freed when its heap entry comes up
      *link = s->next;
    }
    if (!target) {
      auto *s = static_cast<Session *>(std::calloc(1, sizeof(Session) + w_.aggs.size));
      s->start = time;
      s->end = end;
      s->epoch = w_.run->recordEpoch;
      s->created = created_++;
      s->hash = hash;
      s->keyLen = len;
      s->key = static_cast<char *>(std::malloc(len ? len : 1));
      if (len)
        std::memcpy(s->key, key, len);
      s->next = static_cast<Session *>(sessions);
      sessions = s;
      ends_.push({end, s, s->created});
      target = s;
      w_.clock.fire_at = fireAt();
    }
    return target->state();
  }

  const void *next(srt_window_row *row) override {
    finishSession();
    while (!ends_.empty() && ends_.top().end <= w_.firingWatermark) {
      HeapItem top = ends_.top();
      ends_.pop();
      Session *s = top.session;
      if (s->dead) {
        freeMemory(s);
        continue;
      }
      if (s->end != top.end) { // extended since it was pushed
        ends_.push({s->end, s, s->created});
        continue;
      }
      emitted_ = s;
      w_.run->recordEpoch = s->epoch;
      *row = {s->key, s->keyLen, s->start, s->end};
      return s->state();
    }
    return nullptr;
  }

  int64_t fireAt() const override { return ends_.empty() ? INT64_MAX : ends_.top().end; }

  int64_t oldestEpoch() const override {
    int64_t oldest = INT64_MAX;
    for (size_t i = 0; i < keys_.capacityEntries(); ++i) {
      KeyTable::Header *e = const_cast<KeyTable &>(keys_).entry(i);
      if (e->live)
        for (auto *s = static_cast<const Session *>(keys_.extras(e)->extra); s; s = s->next)
          oldest = std::min(oldest, s->epoch);
    }
    return oldest;
  }

  void reset() override {
    for (size_t i = 0; i < keys_.capacityEntries(); ++i) {
      KeyTable::Header *e = keys_.entry(i);
      if (!e->live)
        continue;
      for (Session *s = static_cast<Session *>(keys_.extras(e)->extra); s;) {
        Session *n = s->next;
        s->dead = true; // freed when its heap entry comes up
        destroyAggState(w_.aggs, s->state());
        s = n;
      }
    }
    keys_.clear();
    while (!ends_.empty()) {
      freeMemory(ends_.top().session);
      ends_.pop();
    }
    if (emitted_) { // out of the heap; its state went with its key's above
      freeMemory(emitted_);
      emitted_ = nullptr;
    }
  }

private:
  /// Frees the session emitted last and unlinks it from its key.
  void finishSession() {
    Session *s = emitted_;
    emitted_ = nullptr;
    if (!s)
      return;
    KeyTable::Header *k = keys_.find(s->hash, s->key, s->keyLen);
    void *&sessions = keys_.extras(k)->extra;
    auto **link = reinterpret_cast<Session **>(&sessions);
    while (*link != s)
      link = &(*link)->next;
    *link = s->next;
    if (!sessions)
      keys_.remove(k);
    destroyAggState(w_.aggs, s->state());
    freeMemory(s);
  }
  static void freeMemory(Session *s) {
    std::free(s->key);
    std::free(s);
  }

  int64_t gap_;
  KeyTable keys_; ///< a key's open sessions (Extras::extra)
  std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<HeapItem>> ends_;
  uint64_t created_ = 0;
  Session *emitted_ = nullptr; ///< the session just emitted, freed next
};

} // namespace

std::unique_ptr<WindowKind> makeSessionWindows(WindowContext &w, const srt_window_desc &desc) {
  return std::make_unique<SessionWindows>(w, desc.size);
}
