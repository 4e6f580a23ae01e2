#include "Run.h"

#include <cstdio>

extern "C" {

srt_run *srt_run_create(void) { return new srt_run(); }
void srt_run_destroy(srt_run *run) { delete run; }

const char *srt_run_error(const srt_run *run) {
  return run->error.empty() ? nullptr : run->error.c_str();
}

int64_t srt_run_skipped(const srt_run *run) {
  int64_t n = 0;
  for (const SourceStats *s : run->sources)
    n += s->skipped;
  return n;
}

void srt_run_report(const srt_run *run, int verbose) {
  bool problems = srt_run_skipped(run) != 0;
  if (!problems && !verbose)
    return;
  for (const SourceStats *s : run->sources) {
    std::fprintf(stderr, "source %s: %lld records read", s->name.c_str(),
                 static_cast<long long>(s->read));
    if (s->skipped)
      std::fprintf(stderr, ", %lld malformed skipped (first: %s)",
                   static_cast<long long>(s->skipped), s->firstError.c_str());
    std::fputc('\n', stderr);
  }
  if (verbose)
    for (const SinkStats *s : run->sinks)
      std::fprintf(stderr, "sink %s: %lld records written\n", s->name.c_str(),
                   static_cast<long long>(s->written));
}

} // extern "C"
