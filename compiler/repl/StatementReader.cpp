#include "repl/StatementReader.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace streamc::repl {

namespace {

/// Keywords that start a top-level statement.
constexpr std::string_view kStatementKeywords[] = {"import", "schema", "source", "table", "sink",
                                                   "param",  "fn",     "let",    "from"};

/// Tokens after which a statement cannot end: the next line continues it.
constexpr std::string_view kContinuing[] = {
    // punctuation and operators
    "|", ",", "=", ":", "->", "+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", ".",
    // keywords that need something after them
    // (not `key`: a soft keyword, and a field name may end a line)
    "import", "schema", "source", "table", "sink", "param", "fn", "let", "from", "with", "where",
    "select", "extend", "window", "by", "aggregate", "late", "lookup", "on", "join", "within",
    "into", "if", "then", "else", "and", "or", "not", "in", "is"};

bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

template <typename Set> bool contains(const Set &set, std::string_view s) {
  return std::find(std::begin(set), std::end(set), s) != std::end(set);
}

} // namespace

void StatementReader::addLine(std::string_view line) {
  if (lineCount_ > 0)
    text_ += '\n';
  lineStart_ = text_.size();
  text_ += line;
  ++lineCount_;
  bool hadCode = sawCode_, startedInComment = inBlockComment_;
  scanLine(line);
  // Code after `*/` on a later line: the statement's text starts at `/*`.
  if (!hadCode && sawCode_)
    firstCodeLine_ = startedInComment ? commentLine_ : lineStart_;
}

void StatementReader::addToken(std::string token) {
  if (!sawCode_)
    firstToken_ = token;
  else if (secondToken_.empty() && firstToken_ == ":")
    secondToken_ = token;
  sawCode_ = true;
  lastToken_ = std::move(token);
}

void StatementReader::scanLine(std::string_view line) {
  size_t i = 0, n = line.size();
  while (i < n) {
    if (inBlockComment_) {
      size_t close = line.find("*/", i);
      if (close == std::string_view::npos)
        return;
      inBlockComment_ = false;
      i = close + 2;
      continue;
    }
    char c = line[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && line[i + 1] == '/')
      return; // a line comment: the rest of the line
    if (c == '/' && i + 1 < n && line[i + 1] == '*') {
      inBlockComment_ = true;
      if (!sawCode_)
        commentLine_ = lineStart_;
      i += 2;
      continue;
    }
    if (c == '"') { // a string, to its closing quote or the end of the line
      size_t j = i + 1;
      while (j < n && line[j] != '"')
        j += line[j] == '\\' ? 2 : 1;
      addToken("\"\"");
      i = std::min(j + 1, n);
      continue;
    }
    if (isIdentChar(c)) {
      size_t j = i;
      while (j < n && isIdentChar(line[j]))
        ++j;
      addToken(std::string(line.substr(i, j - i)));
      i = j;
      continue;
    }
    if (i + 1 < n) {
      std::string_view two = line.substr(i, 2);
      if (two == "->" || two == "<=" || two == ">=" || two == "==" || two == "!=") {
        addToken(std::string(two));
        i += 2;
        continue;
      }
    }
    if (c == '(' || c == '[' || c == '{')
      ++depth_;
    else if (c == ')' || c == ']' || c == '}')
      --depth_;
    addToken(std::string(1, c));
    ++i;
  }
}

bool StatementReader::complete() const {
  if (!sawCode_)
    return false;
  if (isCommand() && secondToken_ != "plan" && secondToken_ != "llvm")
    return true; // other commands take the rest of their line as it is
  if (inBlockComment_ || depth_ > 0)
    return false;
  if (isCommand() && lastToken_ == secondToken_)
    return true; // `:plan` alone
  return !contains(kContinuing, lastToken_);
}

bool StatementReader::startsStatement() const {
  return firstToken_ == ":" || contains(kStatementKeywords, firstToken_);
}

bool StatementReader::interruptedBy(std::string_view line) const {
  if (!sawCode_ || inBlockComment_)
    return false;
  StatementReader probe;
  probe.addLine(line);
  if (!probe.startsStatement())
    return false;
  return !(probe.firstToken_ == "from" && lastToken_ == "=");
}

std::string StatementReader::take() {
  std::string out = sawCode_            ? text_.substr(firstCodeLine_)
                    : openCommentOnly() ? text_.substr(commentLine_)
                                        : std::string();
  clear();
  return out;
}

std::vector<std::string> ScriptReader::addLine(std::string_view line) {
  std::vector<std::string> out;
  if (!pending_.empty() && pending_.complete() && !pending_.isCommand()) {
    // Does this line continue the complete statement, or start the next?
    tail_.addLine(line);
    tailLines_.emplace_back(line);
    // Blank lines and comments hold; so does a block comment still open
    // (if it is never closed, it is reported on its own, and the complete
    // statement before it stands, as in a file).
    if (tail_.blank() || tail_.openCommentOnly())
      return out;
    if (tail_.startsStatement()) {
      out.push_back(pending_.take());
      pending_ = std::move(tail_);
    } else {
      for (const std::string &held : tailLines_)
        pending_.addLine(held);
    }
    tail_.clear();
    tailLines_.clear();
  } else {
    if (!pending_.complete() && pending_.interruptedBy(line))
      out.push_back(pending_.take()); // incomplete: its error is reported
    pending_.addLine(line);
  }
  if (pending_.isCommand() && pending_.complete())
    out.push_back(pending_.take());
  else if (pending_.blank())
    pending_.clear();
  return out;
}

std::vector<std::string> ScriptReader::finish() {
  std::vector<std::string> out;
  if (!pending_.blank())
    out.push_back(pending_.take());
  if (tail_.openCommentOnly())
    out.push_back(tail_.take()); // an unterminated comment after a statement
  pending_.clear();
  tail_.clear();
  tailLines_.clear();
  return out;
}

} // namespace streamc::repl
