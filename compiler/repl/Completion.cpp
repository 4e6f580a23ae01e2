#include "repl/Completion.h"

#include "aggregates/Aggregate.h"
#include "sema/Builtins.h"

#include <srt/host.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace streamc::repl {

namespace {

/// The reserved words (docs/language.md §2).
const char *const kKeywords[] = {
    "import", "schema", "source", "table",  "sink",   "param", "fn",        "let",  "from",
    "with",   "where",  "select", "extend", "window", "by",    "aggregate", "late", "lookup",
    "on",     "join",   "within", "into",   "if",     "then",  "else",      "and",  "or",
    "not",    "in",     "is",     "true",   "false",  "null"};

/// Window kinds, source options and soft keywords (`union`, `key`), which
/// are not reserved but are typed often (connectors, their arguments and the
/// formats come from their registries, aggregates with the built-in
/// functions).
const char *const kOtherWords[] = {
    "tumbling",  "sliding", "session",  "event_time", "max_delay", "union", "idle_timeout", "key",
    "unbounded", "unnest",  "split",    "case",       "when",      "end",   "test",         "given",
    "expect",    "ordered", "distinct", "top",        "asc",       "desc",  "per"};

/// Every connector's name and argument names, and every format's name.
std::vector<std::string> connectorWords() {
  std::vector<std::string> out;
  uint32_t n = 0;
  const srt_connector_info *connectors = srt_connectors(&n);
  for (uint32_t i = 0; i < n; ++i) {
    out.push_back(connectors[i].name);
    for (uint32_t a = 0; a < connectors[i].nargs; ++a)
      out.push_back(connectors[i].args[a].name);
  }
  const srt_format_info *formats = srt_formats(&n);
  for (uint32_t i = 0; i < n; ++i)
    out.push_back(formats[i].name);
  return out;
}

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string trimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
    ++i;
  return std::string(s.substr(i));
}

/// Files and directories (with a trailing `/`) whose path starts with \p word.
std::vector<std::string> matchingPaths(const std::string &word) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  size_t slash = word.rfind('/');
  std::string dir = slash == std::string::npos ? "" : word.substr(0, slash + 1);
  std::string stem = slash == std::string::npos ? word : word.substr(slash + 1);
  std::error_code ec;
  for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(stem, 0) != 0 || (stem.empty() && name[0] == '.'))
      continue;
    out.push_back(dir + name + (it->is_directory(ec) ? "/" : ""));
  }
  return out;
}

} // namespace

const std::vector<std::string> &commandNames() {
  static const std::vector<std::string> names = {":help", ":schema", ":schemas", ":plan",  ":llvm",
                                                 ":load", ":save",   ":reset",   ":limit", ":quit"};
  return names;
}

std::string commonPrefix(const std::vector<std::string> &candidates) {
  if (candidates.empty())
    return "";
  std::string prefix = candidates.front();
  for (const std::string &c : candidates) {
    size_t n = 0;
    while (n < prefix.size() && n < c.size() && prefix[n] == c[n])
      ++n;
    prefix.resize(n);
  }
  return prefix;
}

Completions complete(std::string_view beforeCursor, const Session &session) {
  Completions out;
  std::string line = trimLeft(beforeCursor);
  std::vector<std::string> pool;
  std::string word;

  auto commandArgument = [&](const char *command) {
    std::string prefix = std::string(command) + " ";
    return line.rfind(prefix, 0) == 0 && line.find(' ', prefix.size()) == std::string::npos;
  };

  if (commandArgument(":load") || commandArgument(":save")) {
    // A path: everything after the command's space.
    size_t space = beforeCursor.rfind(' ');
    out.wordStart = space + 1;
    word = std::string(beforeCursor.substr(out.wordStart));
    pool = matchingPaths(word);
  } else {
    size_t start = beforeCursor.size();
    while (start > 0 && isWordChar(beforeCursor[start - 1]))
      --start;
    bool command = start > 0 && beforeCursor[start - 1] == ':' &&
                   trimLeft(beforeCursor.substr(0, start - 1)).empty();
    if (command)
      --start;
    out.wordStart = start;
    word = std::string(beforeCursor.substr(start));
    if (command) {
      pool = commandNames();
    } else if (commandArgument(":schema")) {
      for (const auto &[name, type] : session.records())
        pool.push_back(name);
    } else {
      pool.assign(std::begin(kKeywords), std::end(kKeywords));
      pool.insert(pool.end(), std::begin(kOtherWords), std::end(kOtherWords));
      for (const std::string &w : connectorWords())
        pool.push_back(w);
      for (const std::string &b : builtinNames())
        pool.push_back(b);
      for (const std::string &a : aggregateNames())
        pool.push_back(a);
      for (const std::string &t : allTypeNames())
        pool.push_back(t);
      for (const std::string &n : session.names())
        pool.push_back(n);
      for (const auto &[name, type] : session.records())
        for (const Field &f : type->fields)
          pool.push_back(f.name);
    }
  }
  for (std::string &c : pool)
    if (c.size() >= word.size() && c.compare(0, word.size(), word) == 0)
      out.candidates.push_back(std::move(c));
  std::sort(out.candidates.begin(), out.candidates.end());
  out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end()),
                       out.candidates.end());
  return out;
}

} // namespace streamc::repl
