#include "support/SourceManager.h"

#include "support/Utf8.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  if (std::filesystem::is_directory(path, ec)) {
    error = "is a directory";
    return 0;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::filesystem::exists(path, ec) ? "cannot be read" : "no such file";
    return 0;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  FileId id = addBuffer(path, ss.str());
  auto canonical = std::filesystem::weakly_canonical(path, ec);
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
  return {line, utf8Columns(std::string_view(f.text).substr(start, end - start)) + 1};
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
