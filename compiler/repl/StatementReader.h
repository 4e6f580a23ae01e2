#pragma once
/// \file
/// Splits what the user types into statements. A statement may span lines:
/// it continues while a bracket (`(`, `[`, `{`) or a block comment is open,
/// or while its last line ends with something that cannot end a statement
/// (`|`, `,`, `=`, `:`, `->`, an operator, or a keyword such as `and`,
/// `with`, `by`). Brackets inside strings and comments do not count.
/// A line starting with `:` is a REPL command; only `:plan` and `:llvm`
/// continue like statements (their argument is a pipeline).

#include <string>
#include <string_view>
#include <vector>

namespace streamc::repl {

/// Collects the lines of one statement (interactive input: a statement is
/// complete as soon as nothing asks for more).
class StatementReader {
public:
  /// Adds one line (without its line terminator).
  void addLine(std::string_view line);

  /// Nothing buffered.
  bool empty() const { return lineCount_ == 0; }
  /// Only blank lines and comments so far (and no block comment open).
  bool blank() const { return !sawCode_ && !inBlockComment_; }
  /// No code so far, and a block comment is open: if the input ends here,
  /// that comment is unterminated.
  bool openCommentOnly() const { return !sawCode_ && inBlockComment_; }
  /// The buffered text is a whole statement or command.
  bool complete() const;
  /// The buffered text is a REPL command (its first character is `:`).
  bool isCommand() const { return firstToken_ == ":"; }
  /// The buffered text begins a new statement: its first token is a
  /// statement keyword (`schema`, `from`, ...) or `:`.
  bool startsStatement() const;

  /// Whether \p line would start a new statement rather than continue an
  /// incomplete one: it starts with a statement keyword or `:`, which cannot
  /// appear inside a statement (a `from` after `let x =` continues it). So an
  /// unclosed bracket does not swallow the statements after it.
  bool interruptedBy(std::string_view line) const;

  /// Returns the buffered text (from its first line that holds code, lines
  /// joined by newlines) and forgets it. Without code but with a block
  /// comment open, the text from the line where that comment opened (its
  /// compilation reports the unterminated comment there).
  std::string take();
  void clear() { *this = StatementReader(); }

private:
  void scanLine(std::string_view line);
  void addToken(std::string token);

  std::string text_;
  unsigned lineCount_ = 0;
  size_t firstCodeLine_ = 0; ///< offset in text_ of the first line with code
  size_t lineStart_ = 0;     ///< offset in text_ of the line being scanned
  /// Offset in text_ of the line where the last block comment opened
  /// before any code.
  size_t commentLine_ = 0;
  int depth_ = 0; ///< open brackets
  bool inBlockComment_ = false;
  bool sawCode_ = false;
  std::string firstToken_;
  std::string secondToken_; ///< a command's name
  std::string lastToken_;
};

/// Splits a script (non-interactive input) into statements. As in a file, a
/// statement also continues on later lines that do not start a new
/// statement, so `from clicks` followed by `| where ...` on the next line, or
/// a source followed by `with event_time = ts`, is one statement: a
/// statement ends before a line that starts with a statement keyword or `:`.
class ScriptReader {
public:
  /// Adds a line; returns the statements it completed, in order.
  std::vector<std::string> addLine(std::string_view line);
  /// At the end of the input: the last statement, if any (complete or not;
  /// an incomplete one gets its syntax error when it is compiled).
  std::vector<std::string> finish();

private:
  StatementReader pending_; ///< the statement being read
  /// Lines after a complete statement: blank, comments, or the start of
  /// the next statement.
  StatementReader tail_;
  std::vector<std::string> tailLines_;
};

} // namespace streamc::repl
