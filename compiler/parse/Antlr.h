#pragma once
/// \file
/// What the files of parse/ share (internal to the parsing stage): the
/// ANTLR-generated lexer and parser, the lexed form of a file, and the
/// listener that turns ANTLR's syntax errors into our messages. Nothing
/// outside parse/ includes this header: every later stage sees the AST.

#include "parse/Parser.h"

#include "StreamLexer.h"
#include "StreamParser.h"

#include <antlr4-runtime.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace streamc::parse_detail {

using P = StreamParser;
using antlr4::Token;

/// ANTLR indexes the input by code point; diagnostics use byte offsets.
class OffsetMap {
public:
  explicit OffsetMap(std::string_view text) {
    bool ascii = true;
    for (unsigned char c : text)
      ascii &= c < 0x80;
    if (ascii)
      return;
    for (uint32_t i = 0; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
        starts_.push_back(i);
    starts_.push_back(static_cast<uint32_t>(text.size()));
  }
  uint32_t operator()(size_t codePoint) const {
    if (starts_.empty())
      return static_cast<uint32_t>(codePoint);
    return starts_[std::min(codePoint, starts_.size() - 1)];
  }

private:
  std::vector<uint32_t> starts_;
};

/// The name an IDENT token spells: its text, without the backticks of a
/// quoted name (`` `from` `` is the name `from`).
inline std::string identName(const std::string &text) {
  return text.size() >= 2 && text.front() == '`' ? text.substr(1, text.size() - 2) : text;
}

/// The token vocabulary (names of token types), from the generated lexer.
const antlr4::dfa::Vocabulary &vocabulary();
/// Display name of a token type in messages: `'}'`, `a name`, ...
std::string tokenDisplay(size_t type);
/// Kind name for --emit=tokens: keywords and punctuation by their spelling.
std::string tokenKindName(size_t type);
/// The keywords that start a declaration of a name (`schema S`, `let x`).
inline bool isDeclarationKeyword(size_t type) {
  switch (type) {
  case P::SCHEMA:
  case P::SOURCE:
  case P::TABLE:
  case P::SINK:
  case P::PARAM:
  case P::FN:
  case P::LET:
    return true;
  default:
    return false;
  }
}
/// Retypes the soft keywords of \p chunk (one statement) that the grammar
/// reads as tokens: `case`, `when` and `end` of each `case when ... end` (a
/// `case` directly followed by `when` opens one, and inside it `when` and
/// `end` are its keywords: a field named `end` is written `\`end\`` there),
/// and `test <name> {`, and `given`, `expect` and `ordered` at the start of
/// a test's items.
void markSoftKeywords(std::vector<std::unique_ptr<Token>> &chunk);
/// Whether token \p i starts a top-level statement.
bool isStatementStart(const std::vector<std::unique_ptr<Token>> &toks, size_t i);

/// The lexed form of one file.
struct Lexed {
  std::unique_ptr<antlr4::ANTLRInputStream> input;
  std::unique_ptr<StreamLexer> lexer;
  std::vector<std::unique_ptr<Token>> tokens; ///< default channel, no EOF
  OffsetMap offsets{""};
  /// Byte offsets of lexical errors: a statement containing one reports
  /// only them, not the syntax errors they cause.
  std::vector<uint32_t> errorOffsets;
};

/// Lexes a file; lexical errors go to \p diags.
Lexed lex(const SourceManager &sm, FileId file, DiagnosticEngine &diags);

/// Turns ANTLR's syntax errors into our own messages. Only the first error of
/// a statement is kept: later ones are mostly consequences of it
/// (SyntaxErrors.cpp).
class SyntaxErrorListener : public antlr4::BaseErrorListener {
public:
  SyntaxErrorListener(FileId file, const OffsetMap &offsets,
                      const std::vector<std::unique_ptr<Token>> &chunk, bool lastStatement)
      : file_(file), offsets_(offsets), chunk_(chunk), lastStatement_(lastStatement) {}

  struct Error {
    SourceRange range;
    std::string message;
    SourceRange openerRange; ///< for "to close": where the bracket opened
    std::string openerText;
    /// When the statement is complete and tokens follow it: the index of
    /// the first extra token (the statement before it is still kept).
    size_t trailingAt = 0;
  };
  std::optional<Error> error;

  void syntaxError(antlr4::Recognizer *recognizer, Token *offending, size_t, size_t,
                   const std::string &, std::exception_ptr ep) override;

private:
  SourceRange rangeOf(Token *t) const;
  /// What the bracket at chunk index \p i opens, in words.
  std::string describeOpener(size_t i) const;
  Error describe(Token *offending, const antlr4::misc::IntervalSet &expected);
  /// Names in \p err the likely mistake at chunk index \p index (`=` for
  /// `==`, `count(*)`) and returns true; false for none. \p open: the chunk indexes of the brackets open before.
  bool hint(size_t index, const antlr4::misc::IntervalSet &expected,
            const std::vector<size_t> &open, Error &err) const;
  /// The keywords among \p expected, spelt as in the source.
  static std::vector<std::string> expectedKeywords(const antlr4::misc::IntervalSet &expected);
  static std::string describeExpected(const antlr4::misc::IntervalSet &expected);

  FileId file_;
  const OffsetMap &offsets_;
  const std::vector<std::unique_ptr<Token>> &chunk_;
  bool lastStatement_;
};

/// The name a (possibly broken) statement declares, read off its tokens, so
/// that uses of it elsewhere are not reported as unknown (StatementGuards.cpp).
std::string declaredName(const std::vector<std::unique_ptr<Token>> &chunk);

/// Brackets and prefix operators one statement may nest.
inline constexpr int kMaxNesting = 256;
/// Binary operators in one expression (between commas, braces and pipes):
/// a chain `x + 1 + 1 ...` is an AST as deep as it is long, and every stage
/// after the parser walks it recursively (on the compiler's large stack:
/// driver/main.cpp). 10,000 levels take well under its size.
inline constexpr int kMaxChain = 10000;

/// Why a statement is refused before it is parsed.
struct TooDeep {
  const Token *at = nullptr;
  bool chain = false; ///< too many operators in one expression (else nesting)
};

/// The token at which a statement nests brackets or prefix operators deeper
/// than the parser can take, or chains more operators in one expression than
/// the later stages may recurse over (StatementGuards.cpp).
TooDeep tooDeep(const std::vector<std::unique_ptr<Token>> &chunk);

} // namespace streamc::parse_detail
