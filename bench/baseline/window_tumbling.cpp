// The hand-written limit for bench/window_tumbling.sh: the same query as
// one fused C++ loop (sequence events -> tumbling(1s) by n % 100 ->
// count, sum, max), state in a flat open-addressing table keyed by the
// integer, windows emitted (counted) as the event time passes their end.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

struct Slot {
  int64_t key;
  int64_t count, sum, max;
  bool used;
};

int main(int argc, char **argv) {
  int64_t events = argc > 1 ? std::atoll(argv[1]) : 100000000;
  const int64_t epoch = 1704067200000; // 2024-01-01, as the generator
  std::vector<Slot> table(256);
  int64_t windowEnd = INT64_MIN, rows = 0, checksum = 0;
  auto start = std::chrono::steady_clock::now();
  for (int64_t n = 0; n < events; ++n) {
    int64_t ts = epoch + n / 1000; // 1,000,000 events per second
    if (ts >= windowEnd) {         // the watermark passed the window: emit it
      for (Slot &s : table)
        if (s.used) {
          ++rows;
          checksum += s.count + s.sum + s.max;
          s = Slot{};
        }
      windowEnd = (ts / 1000 + 1) * 1000;
    }
    int64_t key = n % 100;
    uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
    size_t i = h >> 56;
    while (table[i].used && table[i].key != key)
      i = (i + 1) & 255;
    Slot &s = table[i];
    if (!s.used) {
      s.used = true;
      s.key = key;
      s.max = n;
    }
    ++s.count;
    s.sum += n;
    s.max = n > s.max ? n : s.max;
  }
  for (Slot &s : table)
    if (s.used) {
      ++rows;
      checksum += s.count + s.sum + s.max;
    }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%lld rows (checksum %lld) in %.3f s\n", static_cast<long long>(rows),
              static_cast<long long>(checksum), secs);
}
