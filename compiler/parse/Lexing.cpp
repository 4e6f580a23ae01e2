/// \file
/// Lexing: a file's text to tokens, with its lexical errors (bad characters,
/// invalid UTF-8, unterminated strings and comments, bad numbers).

#include "parse/Antlr.h"
#include "support/Utf8.h"

#include <fmt/format.h>

#include <algorithm>

namespace streamc {
namespace parse_detail {

const antlr4::dfa::Vocabulary &vocabulary() {
  static antlr4::ANTLRInputStream empty("");
  static StreamLexer lexer(&empty);
  return lexer.getVocabulary();
}

std::string tokenDisplay(size_t type) {
  switch (type) {
  case Token::EOF:
    return "the end of the statement";
  case P::IDENT:
    return "a name";
  case P::INT:
    return "an integer";
  case P::FLOAT:
    return "a number";
  case P::DURATION:
    return "a duration";
  case P::STRING:
    return "a string";
  case P::CASE:
    return "'case'";
  case P::WHEN:
    return "'when'";
  case P::END:
    return "'end'";
  case P::TEST:
    return "'test'";
  case P::GIVEN:
    return "'given'";
  case P::EXPECT:
    return "'expect'";
  case P::ORDERED:
    return "'ordered'";
  default:
    break;
  }
  std::string lit = vocabulary().getLiteralName(type);
  return lit.empty() ? vocabulary().getSymbolicName(type) : lit;
}

/// Kind name for --emit=tokens: keywords and punctuation by their spelling.
std::string tokenKindName(size_t type) {
  if (type == Token::EOF)
    return "EOF";
  std::string sym = vocabulary().getSymbolicName(type);
  if (!sym.empty() && sym.back() == '_')
    sym.pop_back();
  return sym;
}

bool isStatementStart(const std::vector<std::unique_ptr<Token>> &toks, size_t i) {
  // `schema S { from: i64 }`: a keyword misused as a name is reported there.
  if (i + 1 < toks.size() && toks[i + 1]->getType() == P::COLON)
    return false;
  if (toks[i]->getType() == P::IMPORT || isDeclarationKeyword(toks[i]->getType()))
    return true;
  switch (toks[i]->getType()) {
  case P::IDENT: // `test <name> { ... }` (LANGUAGE.md §8)
    return toks[i]->getText() == "test" && i + 1 < toks.size() &&
           toks[i + 1]->getType() == P::IDENT &&
           (i == 0 || toks[i - 1]->getLine() < toks[i]->getLine());
  case P::FROM: // `let x = from ...` continues the let
    return !(i >= 3 && toks[i - 1]->getType() == P::ASSIGN && toks[i - 3]->getType() == P::LET);
  default:
    return false;
  }
}

void markSoftKeywords(std::vector<std::unique_ptr<Token>> &chunk) {
  auto isWord = [&](size_t i, const char *word) {
    return i < chunk.size() && chunk[i]->getType() == P::IDENT && chunk[i]->getText() == word;
  };
  auto typeAt = [&](size_t i) { return i < chunk.size() ? chunk[i]->getType() : 0; };
  auto retype = [&](size_t i, size_t type) {
    static_cast<antlr4::CommonToken *>(chunk[i].get())->setType(type);
  };
  if (isWord(0, "test") && typeAt(1) == P::IDENT && typeAt(2) == P::LBRACE) {
    retype(0, P::TEST);
    // An item starts after the `{` or after the `)` of the item before.
    for (size_t i = 3; i < chunk.size(); ++i) {
      size_t before = typeAt(i - 1);
      if (before != P::LBRACE && before != P::RPAREN)
        continue;
      if (isWord(i, "given")) {
        retype(i, P::GIVEN);
      } else if (isWord(i, "expect")) {
        retype(i, P::EXPECT);
        if (isWord(i + 1, "ordered") && typeAt(i + 2) == P::IDENT)
          retype(i + 1, P::ORDERED);
      }
    }
  }
  size_t open = 0;
  for (size_t i = 0; i < chunk.size(); ++i) {
    if (isWord(i, "case") && isWord(i + 1, "when")) {
      retype(i, P::CASE);
      ++open;
    } else if (open > 0 && isWord(i, "when")) {
      retype(i, P::WHEN);
    } else if (open > 0 && isWord(i, "end")) {
      retype(i, P::END);
      --open;
    }
  }
}

namespace {

class Lexing {
public:
  Lexing(const SourceManager &sm, FileId file, DiagnosticEngine &diags)
      : sm_(sm), file_(file), diags_(diags) {}

  Lexed run() {
    Lexed out;
    std::string text(sm_.text(file_));
    markInvalidUtf8(text, out);
    out.offsets = OffsetMap(text);
    out.input = std::make_unique<antlr4::ANTLRInputStream>(text);
    out.lexer = std::make_unique<StreamLexer>(out.input.get());
    out.lexer->removeErrorListeners();
    for (auto &tok : out.lexer->getAllTokens()) {
      if (tok->getChannel() != Token::DEFAULT_CHANNEL)
        continue;
      SourceRange r(file_, out.offsets(tok->getStartIndex()), out.offsets(tok->getStopIndex() + 1));
      switch (tok->getType()) {
      case P::ERROR_CHAR:
        if (!std::binary_search(invalid_.begin(), invalid_.end(), r.begin))
          diags_.error(r, "unexpected character " + describeChar(tok->getText()));
        out.errorOffsets.push_back(r.begin);
        continue;
      case P::UNTERMINATED_COMMENT:
        diags_.error(SourceRange(file_, r.begin, r.begin + 2),
                     "unterminated block comment: '/*' has no matching '*/'");
        continue; // it swallows the rest of the file: statements before it stand
      case P::BAD_AND:
      case P::BAD_OR:
        diags_.error(r, "'" + tok->getText() + "' is not an operator: write '" +
                            (tok->getType() == P::BAD_AND ? "and" : "or") + "'");
        out.errorOffsets.push_back(r.begin);
        break;
      case P::UNTERMINATED_QUOTED:
        diags_.error(r, "unterminated quoted name: missing closing '`'");
        out.errorOffsets.push_back(r.begin);
        break;
      case P::UNTERMINATED_STRING:
        diags_.error(r, "unterminated string literal: missing closing '\"'");
        out.errorOffsets.push_back(r.begin);
        break; // kept, so the statement still parses as far as it can
      case P::BAD_NUMBER: {
        std::string text = tok->getText();
        // `10min`, `1h30m` get the duration hint; `1.5s` and `1e` do not.
        size_t unit = text.find_first_not_of("0123456789_");
        bool unitLike = text.find('.') == std::string::npos && unit != std::string::npos &&
                        std::isalpha(static_cast<unsigned char>(text[unit])) && text[unit] != 'e' &&
                        text[unit] != 'E';
        diags_.error(
            r, "invalid number literal '" + text + "'" +
                   (unitLike ? ": a duration is an integer followed by ms, s, m, h or d" : ""));
        out.errorOffsets.push_back(r.begin);
        break;
      }
      default:
        break;
      }
      out.tokens.push_back(std::move(tok));
    }
    return out;
  }

private:
  /// Reports each run of invalid UTF-8 at its bytes and replaces them by
  /// U+0001 (one byte each, so offsets stay the same), which the lexer
  /// takes as unexpected characters, not reported again.
  void markInvalidUtf8(std::string &text, Lexed &out) {
    for (InvalidUtf8 bad : findInvalidUtf8(text)) {
      std::string bytes;
      for (uint32_t i = bad.begin; i < bad.end && i < bad.begin + 4; ++i)
        bytes += fmt::format(" 0x{:02X}", static_cast<unsigned char>(text[i]));
      if (bad.end - bad.begin > 4)
        bytes += " ...";
      diags_.error(SourceRange(file_, bad.begin, bad.end),
                   std::string("invalid UTF-8 (byte") + (bad.end - bad.begin > 1 ? "s" : "") +
                       bytes + "): source files must be UTF-8");
      out.errorOffsets.push_back(bad.begin);
      for (uint32_t i = bad.begin; i < bad.end; ++i) {
        text[i] = '\x01';
        invalid_.push_back(i);
      }
    }
  }

  /// A character in a message: `'#'`, `'é' (U+00E9)`, or `U+0000` for a
  /// control character, which cannot be printed.
  static std::string describeChar(const std::string &utf8) {
    uint32_t c = utf8Decode(utf8);
    if (c < 0x20 || c == 0x7F)
      return codePointName(c);
    return "'" + utf8 + "'" + (c >= 0x80 ? " (" + codePointName(c) + ")" : "");
  }

  const SourceManager &sm_;
  FileId file_;
  DiagnosticEngine &diags_;
  std::vector<uint32_t> invalid_; ///< offsets of invalid UTF-8 bytes, ascending
};

} // namespace

Lexed lex(const SourceManager &sm, FileId file, DiagnosticEngine &diags) {
  return Lexing(sm, file, diags).run();
}

} // namespace parse_detail

std::vector<TokenInfo> lexFile(const SourceManager &sm, FileId file, DiagnosticEngine &diags) {
  parse_detail::Lexed lexed = parse_detail::lex(sm, file, diags);
  std::vector<TokenInfo> out;
  for (auto &tok : lexed.tokens) {
    SourceRange r(file, lexed.offsets(tok->getStartIndex()),
                  lexed.offsets(tok->getStopIndex() + 1));
    out.push_back({parse_detail::tokenKindName(tok->getType()), tok->getText(), r});
  }
  uint32_t end = static_cast<uint32_t>(sm.text(file).size());
  out.push_back({"EOF", "", SourceRange(file, end, end)});
  return out;
}

} // namespace streamc
