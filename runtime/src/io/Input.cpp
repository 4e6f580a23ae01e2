/// \file
/// Buffered input and record framing (see Input.h).

#include "io/Input.h"

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

/// The buffer's first size (the read batch, if smaller): a small input
/// never touches a large buffer.
constexpr size_t kFirstBuffer = 64 * 1024;

} // namespace

Input::Input(int fd, bool owns, size_t batch)
    : fd_(fd), owns_(owns), batch_(std::max<size_t>(batch, 1)) {
  grow(std::min(batch_, kFirstBuffer));
  grows_ = 0;
}

Input::Input(const char *data, size_t len) {
  grow(len);
  grows_ = 0;
  if (len)
    std::memcpy(buf_.get(), data, len);
  end_ = len;
  eof_ = true;
}

Input::~Input() {
  if (owns_ && fd_ >= 0)
    ::close(fd_);
}

bool Input::bounded() const {
  struct stat st;
  return fd_ < 0 || (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode));
}

size_t Input::capacity() const { return size_ + simdjson::SIMDJSON_PADDING; }

void Input::grow(size_t size) {
  // Not zero-filled: only bytes read are ever looked at (and the padding,
  // which simdjson may read but does not interpret).
  auto bigger = std::make_unique_for_overwrite<char[]>(size + simdjson::SIMDJSON_PADDING);
  if (end_ > begin_)
    std::memcpy(bigger.get(), buf_.get() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  buf_ = std::move(bigger);
  size_ = size;
  ++grows_;
}

bool Input::stopped() const { return stop_ && stop_->load(std::memory_order_relaxed); }

bool Input::readable() const {
  pollfd ready{fd_, POLLIN, 0};
  return ::poll(&ready, 1, 0) != 0;
}

bool Input::waitReadable() const {
  for (;;) {
    if (stopped())
      return false;
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, -1) > 0)
      return true;
    if (errno != EINTR && errno != EAGAIN)
      return true; // the read reports what is wrong
  }
}

bool Input::fill() {
  wouldBlock_ = false;
  if (eof_)
    return false;
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // Doubling keeps the copying linear in the size of the largest record.
  if (size_ - end_ < size_ / 2 || (size_ < batch_ && lastReadFilled_))
    grow(size_ * 2);
  size_t room = std::min(size_ - end_, batch_);
  ssize_t n = -1;
  for (;;) {
    if ((beforeWait_ || nonBlocking_ || nonBlockingFd_) && fd_ >= 0 && !readable()) {
      // Nothing to read yet: the read would wait (or, on a fifo opened
      // without waiting for a writer, see no writer and end too soon).
      if (nonBlocking_) {
        wouldBlock_ = true;
        return false;
      }
      if (beforeWait_)
        beforeWait_();
      if (nonBlockingFd_ && !waitReadable())
        break; // stopped
    }
    if (stopped()) // checked just before blocking, so a stop is not missed
      break;
    n = ::read(fd_, buf_.get() + end_, room);
    if (n >= 0 || (errno != EINTR && errno != EAGAIN))
      break;
    if (errno == EAGAIN && nonBlocking_) {
      wouldBlock_ = true;
      return false;
    }
  }
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  lastReadFilled_ = static_cast<size_t>(n) == room;
  end_ += static_cast<size_t>(n);
  return true;
}

void Framer::reset() {
  pos_ = 0;
  breaks_ = 0;
  lineStart_ = 0;
  fieldStart_ = true;
  inQuotes_ = false;
  prevCr_ = false;
  quoteLineEnd_ = 0;
}

bool Framer::skipBeforeRecord(Input &in) {
  static constexpr char kBom[] = "\xEF\xBB\xBF";
  for (;;) {
    size_t have = in.end() - in.begin();
    const char *d = in.data() + in.begin();
    // Wait for the bytes that decide (only while they may still be a BOM).
    bool undecided =
        (skipLf_ && have == 0) || (!started_ && have < 3 && std::memcmp(d, kBom, have) == 0);
    if (undecided && in.fill())
      continue;
    if (undecided && in.wouldBlock())
      return false; // decided when more bytes come
    if (skipLf_ && have >= 1 && d[0] == '\n')
      in.consume(in.begin() + 1);
    else if (!started_ && have >= 3 && std::memcmp(d, kBom, 3) == 0)
      in.consume(in.begin() + 3);
    skipLf_ = false;
    started_ = true;
    while (in.begin() >= in.end())
      if (!in.fill())
        return false;
    return true;
  }
}

bool Framer::next(Input &in, Frame &frame) {
  if (!resume_) {
    if (!skipBeforeRecord(in))
      return false;
    reset();
  }
  resume_ = false;
  for (;;) {
    if (csv_ ? scanCsv(in, frame) : scanLine(in, frame))
      return true;
    if (!in.fill()) {
      if (in.wouldBlock()) { // the scan goes on from pos_ when bytes come
        resume_ = true;
        return false;
      }
      if (in.begin() >= in.end())
        return false;
    }
  }
}

void Framer::finish(Input &in, Frame &frame, size_t at) {
  const char *d = in.data() + in.begin();
  size_t avail = in.end() - in.begin();
  frame.begin = in.begin();
  frame.end = in.begin() + at;
  frame.lines = (frame.unterminated ? quoteBreaks_ : breaks_) + 1;
  if (at < avail) { // the terminator
    skipLf_ = d[at] == '\r';
    in.consume(in.begin() + at + 1);
  } else {
    in.consume(in.end());
  }
}

bool Framer::scanLine(Input &in, Frame &frame) {
  const char *d = in.data() + in.begin();
  size_t avail = in.end() - in.begin(), i = pos_;
  if (lfOnly_) {
    const void *lf = i < avail ? std::memchr(d + i, '\n', avail - i) : nullptr;
    i = lf ? static_cast<size_t>(static_cast<const char *>(lf) - d) : avail;
  } else {
    while (i < avail && d[i] != '\n' && d[i] != '\r')
      ++i;
  }
  framed_ += static_cast<int64_t>(i - pos_);
  pos_ = i;
  if (i == avail && !in.eof())
    return false;
  frame.unterminated = false;
  finish(in, frame, i);
  if (lfOnly_ && frame.end > frame.begin && in.data()[frame.end - 1] == '\r')
    --frame.end; // CRLF
  return true;
}

bool Framer::scanCsv(Input &in, Frame &frame) {
  const char *d = in.data() + in.begin();
  size_t avail = in.end() - in.begin(), i = pos_;
  bool eof = in.eof();
  auto done = [&](bool unterminated) {
    framed_ += static_cast<int64_t>(i - pos_);
    frame.unterminated = unterminated;
    frame.quoteLine = quoteBreaks_;
    frame.quoteColumn = quoteColumn_;
    finish(in, frame, !unterminated ? i : quoteLineEnd_ ? quoteLineEnd_ : avail);
    return true;
  };
  for (; i < avail; ++i) {
    char c = d[i];
    if (!inQuotes_) {
      if (c == '\n' || c == '\r')
        return done(false);
      if (c == '"' && fieldStart_) {
        inQuotes_ = true;
        prevCr_ = false;
        quoteAt_ = i;
        quoteBreaks_ = breaks_;
        quoteColumn_ = i - lineStart_ + 1;
        quoteLineEnd_ = 0;
      }
      fieldStart_ = c == ',';
      continue;
    }
    if (c == '"') {
      if (i + 1 == avail && !eof)
        break; // a doubled quote or a closing one: the next byte decides
      if (i + 1 < avail && d[i + 1] == '"') {
        ++i;
        prevCr_ = false;
        continue;
      }
      char after = i + 1 < avail ? d[i + 1] : '\n';
      if (quoteLineEnd_ && after != ',' && after != '\n' && after != '\r')
        return done(true); // this quote opened a field of a later line
      inQuotes_ = false;
      continue;
    }
    if (c == '\r' || (c == '\n' && !prevCr_)) {
      ++breaks_;
      if (!quoteLineEnd_)
        quoteLineEnd_ = i;
    }
    if (c == '\r' || c == '\n')
      lineStart_ = i + 1;
    prevCr_ = c == '\r';
    if (quoteLineEnd_ && i - quoteAt_ >= kMaxQuotedSpan)
      return done(true);
  }
  if (inQuotes_ && eof && i == avail)
    return done(true);
  if (i == avail && eof)
    return done(false);
  framed_ += static_cast<int64_t>(i - pos_);
  pos_ = i;
  return false;
}
