#pragma once
/// \file
/// A reader's input (internal to the runtime): bytes from a file descriptor
/// or a memory buffer in a buffer that grows geometrically, and framing of
/// those bytes into records (lines; CSV records whose quoted fields may hold
/// line breaks). Framing examines each byte once however the input arrives
/// (a pipe delivers a large record in many small reads).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

/// Bytes from a file descriptor or a memory buffer. The buffer starts small
/// and doubles when a record fills more than half of it, or (up to the read
/// batch) when a read filled all the room it was given; it keeps
/// SIMDJSON_PADDING readable bytes after the data for the JSON parser.
class Input {
public:
  /// Reads \p fd (closed at the end when \p owns) at most \p batch bytes at a
  /// time.
  Input(int fd, bool owns, size_t batch);
  /// The whole input is \p data (copied).
  Input(const char *data, size_t len);
  ~Input();
  Input(const Input &) = delete;
  Input &operator=(const Input &) = delete;

  const char *data() const { return buf_.get(); }
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }
  bool eof() const { return eof_; }
  void consume(size_t to) { begin_ = to; }
  /// Bytes readable from data(), padding included.
  size_t capacity() const;
  /// How often the buffer grew.
  int64_t grows() const { return grows_; }
  /// A read interrupted by a signal gives up (end of input) once \p stop is
  /// set; otherwise it is retried.
  void stopWhen(const std::atomic<bool> *stop) { stop_ = stop; }
  /// Calls \p f before a read that would block (a pipe or terminal with no
  /// bytes ready), so output written so far can be delivered while the
  /// program waits for input (live output; never for regular files).
  void beforeWaiting(std::function<void()> f) { beforeWait_ = std::move(f); }

  /// The descriptor was opened without waiting for a writer (a fifo, with
  /// O_NONBLOCK): a blocking fill() waits in poll() for bytes or the end,
  /// since a read before any writer came would report the end at once.
  void setNonBlockingFd(bool on) { nonBlockingFd_ = on; }

  /// Under the scheduler, a read that would block does not wait: fill()
  /// then returns false with wouldBlock() set (not the end of input).
  void setNonBlocking(bool on) { nonBlocking_ = on; }
  bool wouldBlock() const { return wouldBlock_; }
  /// The descriptor to wait on for more input (-1: a memory buffer).
  int fd() const { return eof_ ? -1 : fd_; }
  /// True when the input is a regular file (or memory): it is bounded, and
  /// a read never waits for a writer.
  bool bounded() const;

  /// Reads more input after end(), moving the unconsumed bytes to the front
  /// first. Returns false at the end of input (or on a read error), and
  /// when non-blocking, also when nothing can be read now.
  bool fill();

private:
  void grow(size_t size);
  bool stopped() const;
  /// Bytes (or the end) can be read without waiting.
  bool readable() const;
  /// Waits until readable(); false when stopped meanwhile.
  bool waitReadable() const;

  int fd_ = -1;
  bool owns_ = false;
  size_t batch_ = 0;
  const std::atomic<bool> *stop_ = nullptr;
  std::function<void()> beforeWait_;
  std::unique_ptr<char[]> buf_;
  size_t size_ = 0; ///< bytes of buf_ for data (the padding follows)
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  bool nonBlocking_ = false;
  bool nonBlockingFd_ = false;
  bool wouldBlock_ = false;
  bool lastReadFilled_ = false; ///< the last read filled all the room it had
  int64_t grows_ = 0;
};

/// A record framed by Framer: [begin, end) of the input's data, without its
/// line terminator.
struct Frame {
  size_t begin = 0, end = 0;
  int64_t lines = 1; ///< the lines it spans (quoted CSV fields hold line breaks)
  /// A CSV quoted field that is not closed: the record is only the lines up
  /// to the end of the opening quote's line, and is malformed.
  bool unterminated = false;
  int64_t quoteLine = 0;  ///< the opening quote's line, from 0 (the record's first)
  size_t quoteColumn = 0; ///< and its column, from 1 (in bytes)
};

/// Frames records: a record ends at a line end (LF, CRLF or a lone CR)
/// outside a CSV quoted field. A UTF-8 byte-order mark starting the input
/// is skipped.
///
/// CSV quoting (RFC 4180, and as Python's csv module reads it): a field
/// that starts with `"` is quoted and ends at the next `"` that is not
/// doubled; it may hold commas and line breaks. A `"` anywhere else is data.
/// A quoted field is *unterminated* when no closing quote follows before the
/// end of the input, when it holds a line break and its closing quote is
/// followed by anything but a comma or a line end (the quote closing it
/// opened a field on a later line), or when it holds a line break and runs
/// on for more than kMaxQuotedSpan bytes. Then only the lines up to the end
/// of the opening quote's line are rejected, and framing resumes after them.
class Framer {
public:
  static constexpr size_t kMaxQuotedSpan = 1 << 20;

  /// \p csv: CSV records (quoted line breaks); \p lfOnly: only LF ends a
  /// line, and a CR before it is not part of the record (the "text"
  /// format: a lone CR is data).
  explicit Framer(bool csv, bool lfOnly = false) : csv_(csv), lfOnly_(lfOnly) {}
  /// The next record of \p in; false at the end of input, or when a
  /// non-blocking input has no more bytes now (in.wouldBlock()): the next
  /// call resumes the record where the scan stopped.
  bool next(Input &in, Frame &frame);
  /// The bytes framing examined (each once, however the input arrived).
  int64_t framedBytes() const { return framed_; }

private:
  /// Scans from the saved position towards in.end(); true when the record
  /// is complete (or unterminated), false when more input is needed.
  bool scanCsv(Input &in, Frame &frame);
  bool scanLine(Input &in, Frame &frame);
  /// Ends the record at \p at (offset from the input's begin()), whose
  /// terminator (if any) is consumed.
  void finish(Input &in, Frame &frame, size_t at);
  /// Skips the LF of a CRLF whose CR ended the last record, and a starting
  /// byte-order mark; false at the end of input.
  bool skipBeforeRecord(Input &in);
  void reset();

  bool csv_;
  bool lfOnly_ = false;
  bool started_ = false; ///< the byte-order mark was looked for
  bool resume_ = false;  ///< the last call stopped mid-record (would block)
  bool skipLf_ = false;  ///< the last record ended with a CR
  int64_t framed_ = 0;
  // The scan of the current record; offsets are from the input's begin().
  size_t pos_ = 0;         ///< the next byte to examine
  int64_t breaks_ = 0;     ///< line breaks inside quoted fields so far
  size_t lineStart_ = 0;   ///< where the current line starts
  bool fieldStart_ = true; ///< pos_ starts a field
  bool inQuotes_ = false;
  bool prevCr_ = false; ///< the byte before pos_ is a CR inside quotes
  size_t quoteAt_ = 0;  ///< the open quoted field's quote
  int64_t quoteBreaks_ = 0;
  size_t quoteColumn_ = 0;
  size_t quoteLineEnd_ = 0; ///< the end of the quote's line (0: not seen yet)
};
