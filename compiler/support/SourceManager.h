#pragma once
/// \file
/// Owns the text of every source file of a compilation and maps byte offsets
/// to line and column numbers.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace streamc {

/// Index of a file in the SourceManager; 0 means "no file".
using FileId = uint32_t;

/// A position in a file: the file and a byte offset into its text.
struct SourceLoc {
  FileId file = 0;
  uint32_t offset = 0;

  bool isValid() const { return file != 0; }
};

/// A half-open byte range [begin, end) in one file.
struct SourceRange {
  FileId file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;

  SourceRange() = default;
  SourceRange(FileId file, uint32_t begin, uint32_t end) : file(file), begin(begin), end(end) {}

  bool isValid() const { return file != 0; }
  SourceLoc start() const { return {file, begin}; }
  /// The smallest range covering both (same file assumed).
  static SourceRange cover(SourceRange a, SourceRange b) {
    if (!a.isValid())
      return b;
    if (!b.isValid())
      return a;
    return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
  }
};

/// 1-based line and column (the column counts characters, i.e. Unicode code
/// points; each byte of invalid UTF-8 counts as one).
struct LineCol {
  uint32_t line = 0;
  uint32_t column = 0;
};

/// Holds loaded files. FileIds stay valid for the manager's lifetime.
class SourceManager {
public:
  /// Adds a buffer under a display name (the path as the user wrote it).
  FileId addBuffer(std::string displayName, std::string text);

  /// The largest source file loadFile() reads (64 MiB).
  static constexpr uint64_t kMaxFileBytes = uint64_t(64) << 20;

  /// Reads a file from disk; returns 0 and sets \p error when it cannot:
  /// it is missing, a directory, not a regular file (a device, FIFO or
  /// socket), larger than kMaxFileBytes, or unreadable.
  FileId loadFile(const std::string &path, std::string &error);

  /// Returns the file already loaded from this canonical path, or 0.
  FileId findByCanonicalPath(const std::string &canonical) const;

  std::string_view text(FileId id) const;
  const std::string &name(FileId id) const;
  const std::string &canonicalPath(FileId id) const;
  LineCol lineCol(SourceLoc loc) const;
  /// The text of a 1-based line, without its line terminator.
  std::string_view lineText(FileId id, uint32_t line) const;
  /// The byte offset where a 1-based line starts.
  uint32_t lineStart(FileId id, uint32_t line) const;
  /// "file:line:col" for a location.
  std::string describe(SourceLoc loc) const;

private:
  struct File {
    std::string name;
    std::string canonical;
    std::string text;
    std::vector<uint32_t> lineStarts;
    /// The last position lineCol measured: a later one on the same line
    /// counts on from it, so locating every token of a line stays linear.
    mutable uint32_t lastOffset = 0, lastLineStart = UINT32_MAX, lastColumns = 0;
  };
  const File &file(FileId id) const { return *files_.at(id - 1); }
  std::vector<std::unique_ptr<File>> files_;
};

} // namespace streamc
