#include "support/SourceManager.h"

#include "support/Utf8.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace streamc {

FileId SourceManager::addBuffer(std::string displayName, std::string text) {
  auto f = std::make_unique<File>();
  f->name = std::move(displayName);
  f->text = std::move(text);
  f->lineStarts.push_back(0);
  for (uint32_t i = 0; i < f->text.size(); ++i)
    if (f->text[i] == '\n')
      f->lineStarts.push_back(i + 1);
  files_.push_back(std::move(f));
  return static_cast<FileId>(files_.size());
}

FileId SourceManager::loadFile(const std::string &path, std::string &error) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    error = "no such file";
    return 0;
  }
  if (fs::is_directory(status)) {
    error = "is a directory";
    return 0;
  }
  // A device, FIFO or socket could block or never end (`/dev/zero`).
  if (!fs::is_regular_file(status)) {
    error = "not a regular file";
    return 0;
  }
  std::string tooLarge = "larger than " + std::to_string(kMaxFileBytes >> 20) +
                         " MiB (the largest source file streamc reads)";
  if (uintmax_t size = fs::file_size(path, ec); !ec && size > kMaxFileBytes) {
    error = tooLarge;
    return 0;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot be read";
    return 0;
  }
  // Read at most one byte past the cap: the size can change, and some
  // files (in /proc) report none.
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      error = tooLarge;
      return 0;
    }
  }
  if (in.bad()) {
    error = "cannot be read";
    return 0;
  }
  FileId id = addBuffer(path, std::move(text));
  auto canonical = fs::weakly_canonical(path, ec);
  files_.back()->canonical = ec ? path : canonical.string();
  return id;
}

FileId SourceManager::findByCanonicalPath(const std::string &canonical) const {
  for (size_t i = 0; i < files_.size(); ++i)
    if (!files_[i]->canonical.empty() && files_[i]->canonical == canonical)
      return static_cast<FileId>(i + 1);
  return 0;
}

std::string_view SourceManager::text(FileId id) const { return file(id).text; }
const std::string &SourceManager::name(FileId id) const { return file(id).name; }
const std::string &SourceManager::canonicalPath(FileId id) const { return file(id).canonical; }

LineCol SourceManager::lineCol(SourceLoc loc) const {
  if (!loc.isValid())
    return {};
  const File &f = file(loc.file);
  auto it = std::upper_bound(f.lineStarts.begin(), f.lineStarts.end(), loc.offset);
  uint32_t line = static_cast<uint32_t>(it - f.lineStarts.begin());
  uint32_t start = f.lineStarts[line - 1];
  uint32_t end = std::min<uint32_t>(loc.offset, static_cast<uint32_t>(f.text.size()));
  uint32_t from = start, columns = 0;
  if (f.lastLineStart == start && f.lastOffset <= end) { // count on (offsets are char starts)
    from = f.lastOffset;
    columns = f.lastColumns;
  }
  columns += utf8Columns(std::string_view(f.text).substr(from, end - from));
  f.lastLineStart = start;
  f.lastOffset = end;
  f.lastColumns = columns;
  return {line, columns + 1};
}

uint32_t SourceManager::lineStart(FileId id, uint32_t line) const {
  const File &f = file(id);
  if (line == 0 || line > f.lineStarts.size())
    return 0;
  return f.lineStarts[line - 1];
}

std::string_view SourceManager::lineText(FileId id, uint32_t line) const {
  const File &f = file(id);
  if (line == 0 || line > f.lineStarts.size())
    return {};
  uint32_t begin = f.lineStarts[line - 1];
  uint32_t end =
      line < f.lineStarts.size() ? f.lineStarts[line] - 1 : static_cast<uint32_t>(f.text.size());
  std::string_view sv(f.text);
  sv = sv.substr(begin, end - begin);
  if (!sv.empty() && sv.back() == '\r')
    sv.remove_suffix(1);
  return sv;
}

std::string SourceManager::describe(SourceLoc loc) const {
  if (!loc.isValid())
    return "<unknown>";
  LineCol lc = lineCol(loc);
  return name(loc.file) + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

} // namespace streamc
