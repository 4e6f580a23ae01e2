#pragma once
/// \file
/// What the scheduler (run/Scheduler.cpp) asks of a reader, beyond the C
/// interface generated code uses (srt_reader_next returns 2, "nothing now",
/// once a reader is scheduled).

#include "srt/types.h"

#include <cstdint>

/// From now on the reader never waits: a read that would block, a throttled
/// generator's event not yet due and an empty Kafka queue make
/// srt_reader_next return 2.
void readerSchedule(srt_reader *reader);
/// The descriptor that becomes readable when the reader has input again
/// (-1: none, e.g. a generator or a memory buffer).
int readerWaitFd(const srt_reader *reader);
/// Milliseconds after which the reader should be stepped again even when
/// its descriptor stays quiet (-1: only when it is readable).
int64_t readerWakeInMs(const srt_reader *reader);
/// A regular file, a memory buffer or an unthrottled counted generator:
/// read as fast as it goes, ordered by watermark.
bool readerBounded(const srt_reader *reader);
