#include "repl/LineEditor.h"

#include "repl/Completion.h"
#include "repl/Interrupt.h"

#include <histedit.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace streamc::repl {

namespace {

constexpr int kHistorySize = 1000;

/// Prints completion candidates in columns under the line being edited.
void listCandidates(const std::vector<std::string> &candidates) {
  size_t width = 0;
  for (const std::string &c : candidates)
    width = std::max(width, c.size());
  width += 2;
  winsize ws{};
  size_t screen = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
  size_t perLine = std::max<size_t>(1, screen / width);
  std::fputc('\n', stdout);
  for (size_t i = 0; i < candidates.size(); ++i) {
    std::fputs(candidates[i].c_str(), stdout);
    if ((i + 1) % perLine == 0 || i + 1 == candidates.size())
      std::fputc('\n', stdout);
    else
      std::fprintf(stdout, "%*s", static_cast<int>(width - candidates[i].size()), "");
  }
  std::fflush(stdout);
}

} // namespace

std::string LineEditor::defaultHistoryPath() {
  if (const char *path = std::getenv("STREAMC_HISTORY"))
    return path;
  if (const char *home = std::getenv("HOME"))
    return std::string(home) + "/.streamc_history";
  return "";
}

LineEditor::LineEditor(std::string historyPath, Completer completer)
    : historyPath_(std::move(historyPath)), completer_(std::move(completer)) {
  HistEvent ev;
  history_ = history_init();
  history(history_, &ev, H_SETSIZE, kHistorySize);
  history(history_, &ev, H_SETUNIQUE, 1);
  if (!historyPath_.empty())
    history(history_, &ev, H_LOAD, historyPath_.c_str());

  std::setlocale(LC_CTYPE, ""); // typed UTF-8 is decoded by the terminal's encoding
  el_ = el_init("streamc", stdin, stdout, stderr);
  el_set(el_, EL_GETCFN, &LineEditor::readChar);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_PROMPT, &LineEditor::promptOf);
  el_set(el_, EL_HIST, history, history_);
  el_set(el_, EL_ADDFN, "streamc-complete", "complete a word", &LineEditor::completeWord);
  el_set(el_, EL_BIND, "^I", "streamc-complete", nullptr);
  el_source(el_, nullptr); // the user's ~/.editrc, if any
}

LineEditor::~LineEditor() {
  el_end(el_);
  history_end(history_);
}

const char *LineEditor::promptOf(EditLine *el) {
  LineEditor *self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  return self->prompt_.c_str();
}

unsigned char LineEditor::completeWord(EditLine *el, int) {
  LineEditor *self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  const LineInfo *info = el_line(el);
  std::string_view before(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
  Completions found = self->completer_(before);
  if (found.candidates.empty())
    return CC_REFRESH_BEEP;
  std::string typed(before.substr(found.wordStart));
  std::string common = commonPrefix(found.candidates);
  if (common.size() > typed.size()) {
    std::string rest = common.substr(typed.size());
    if (found.candidates.size() == 1 && rest.back() != '/')
      rest += ' ';
    el_insertstr(el, rest.c_str());
    return CC_REFRESH;
  }
  if (found.candidates.size() == 1)
    return CC_REFRESH;
  listCandidates(found.candidates);
  return CC_REDISPLAY;
}

int LineEditor::readChar(EditLine *, wchar_t *out) {
  char bytes[MB_LEN_MAX];
  size_t count = 0;
  std::mbstate_t state{};
  sigset_t sigint, unblocked;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  for (;;) {
    // Ctrl-C pressed before the wait is seen here; during it, it ends the
    // wait (ppoll unblocks SIGINT only while waiting).
    pthread_sigmask(SIG_BLOCK, &sigint, &unblocked);
    bool interrupted = interruptPending();
    pollfd input{STDIN_FILENO, POLLIN, 0};
    int ready = interrupted ? -1 : ppoll(&input, 1, nullptr, &unblocked);
    int waitError = errno;
    pthread_sigmask(SIG_SETMASK, &unblocked, nullptr);
    if (interrupted || (ready < 0 && interruptPending())) {
      errno = EINTR;
      return -1;
    }
    if (ready < 0) {
      if (waitError == EINTR)
        continue; // another signal (a window resize)
      errno = waitError;
      return -1;
    }
    ssize_t n = ::read(STDIN_FILENO, bytes + count, 1);
    if (n == 0)
      return 0; // end of input
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    ++count;
    size_t used = std::mbrtowc(out, bytes, count, &state);
    if (used == static_cast<size_t>(-2) && count < sizeof bytes)
      continue; // an incomplete character: read on
    if (used == static_cast<size_t>(-1) || used == static_cast<size_t>(-2)) {
      count = 0; // not a character of this encoding: dropped
      state = std::mbstate_t{};
      continue;
    }
    return 1;
  }
}

LineEditor::Read LineEditor::readLine(const std::string &prompt, std::string &line) {
  prompt_ = prompt;
  takeInterrupt(); // only a Ctrl-C pressed while editing abandons the line
  int count = 0;
  errno = 0;
  // The terminal leaves its own line editing before the prompt appears, so
  // no key typed after it is echoed twice or taken by the terminal (Ctrl-D).
  el_set(el_, EL_PREP_TERM, 1);
  const char *text = el_gets(el_, &count); // back to the terminal's mode on return
  if (!text) {
    if (count < 0 && errno == EINTR) {
      std::fputc('\n', stdout);
      std::fflush(stdout);
      return Read::Interrupted;
    }
    return Read::End;
  }
  line.assign(text, static_cast<size_t>(count));
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.pop_back();
  return Read::Line;
}

void LineEditor::remember(const std::string &line) {
  if (line.find_first_not_of(" \t") == std::string::npos)
    return;
  HistEvent ev;
  history(history_, &ev, H_ENTER, line.c_str());
  if (!historyPath_.empty())
    history(history_, &ev, H_SAVE, historyPath_.c_str());
}

} // namespace streamc::repl
