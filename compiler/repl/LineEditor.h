#pragma once
/// \file
/// The interactive line editor (libedit): emacs-style editing, a prompt,
/// tab completion, and a history kept across sessions in
/// `$STREAMC_HISTORY`, else `~/.streamc_history`. Used only when standard
/// input is a terminal.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct editline;
struct history;

namespace streamc::repl {

struct Completions;

class LineEditor {
public:
  /// Completes the word before the cursor (the text before it is given).
  using Completer = std::function<Completions(std::string_view beforeCursor)>;

  LineEditor(std::string historyPath, Completer completer);
  ~LineEditor();
  LineEditor(const LineEditor &) = delete;
  LineEditor &operator=(const LineEditor &) = delete;

  enum class Read {
    Line,        ///< a line was entered
    Interrupted, ///< Ctrl-C: the line was abandoned
    End,         ///< Ctrl-D on an empty line, or the terminal went away
  };
  /// Shows \p prompt and reads a line (without its newline) into \p line.
  Read readLine(const std::string &prompt, std::string &line);
  /// Adds a line to the history and saves the history file.
  void remember(const std::string &line);

  /// `$STREAMC_HISTORY`, else `~/.streamc_history` ("" when neither is known).
  static std::string defaultHistoryPath();

private:
  static const char *promptOf(struct editline *el);
  static unsigned char completeWord(struct editline *el, int ch);
  /// Reads a character of the terminal for libedit, giving up (EINTR) as
  /// soon as Ctrl-C is pressed, even between two reads.
  static int readChar(struct editline *el, wchar_t *out);

  struct editline *el_ = nullptr;
  struct history *history_ = nullptr;
  std::string historyPath_;
  Completer completer_;
  std::string prompt_;
};

} // namespace streamc::repl
