#pragma once
/// \file
/// A non-blocking pipe that wakes a poll(): the scheduler's (a stop writes
/// to it) and a Kafka consumer's (librdkafka writes to it when messages
/// arrive). Both ends close with it.

#include <fcntl.h>
#include <unistd.h>

class WakePipe {
public:
  WakePipe() = default;
  WakePipe(const WakePipe &) = delete;
  WakePipe &operator=(const WakePipe &) = delete;
  ~WakePipe() { close(); }

  /// Creates the pipe (a second call keeps the first); false when it cannot.
  bool open() {
    int fds[2];
    if (read_ >= 0)
      return true;
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
      return false;
    read_ = fds[0];
    write_ = fds[1];
    return true;
  }
  /// Reads away what was written, so the next poll() waits again.
  void drain() const {
    char bytes[64];
    while (read_ >= 0 && ::read(read_, bytes, sizeof bytes) > 0) {
    }
  }
  void close() {
    if (read_ < 0)
      return;
    ::close(read_);
    ::close(write_);
    read_ = write_ = -1;
  }
  int readFd() const { return read_; }
  int writeFd() const { return write_; }

private:
  int read_ = -1, write_ = -1;
};
