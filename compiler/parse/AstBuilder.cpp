/// \file
/// Lexing, parsing and AST construction. This is the only file that includes
/// the ANTLR-generated headers: everything after it sees only the AST.

#include "parse/Parser.h"
#include "support/Utf8.h"

#include "StreamLexer.h"
#include "StreamParser.h"

#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace streamc {
namespace {

using P = StreamParser;
using antlr4::Token;

// ------------------------------------------------------------------ offsets

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

/// Display name of a token type in messages: `'}'`, `a name`, ...
/// The token vocabulary (names of token types), from the generated lexer.
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
  switch (toks[i]->getType()) {
  case P::IMPORT:
  case P::SCHEMA:
  case P::SOURCE:
  case P::TABLE:
  case P::SINK:
  case P::PARAM:
  case P::FN:
  case P::LET:
    return true;
  case P::FROM: // `let x = from ...` continues the let
    return !(i >= 3 && toks[i - 1]->getType() == P::ASSIGN && toks[i - 3]->getType() == P::LET);
  default:
    return false;
  }
}

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

// ------------------------------------------------------------- syntax errors

/// Turns ANTLR's syntax errors into our own messages. Only the first error of
/// a statement is kept: later ones are mostly consequences of it.
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
                   const std::string &, std::exception_ptr ep) override {
    if (error)
      return;
    auto *parser = static_cast<antlr4::Parser *>(recognizer);
    antlr4::misc::IntervalSet expected;
    try {
      if (ep)
        std::rethrow_exception(ep);
      expected = parser->getExpectedTokens();
    } catch (antlr4::RecognitionException &re) {
      expected = re.getExpectedTokens();
    } catch (...) {
      expected = parser->getExpectedTokens();
    }
    error = describe(offending, expected);
  }

private:
  SourceRange rangeOf(Token *t) const {
    if (t->getType() == Token::EOF) {
      uint32_t at = offsets_(t->getStartIndex());
      return SourceRange(file_, at, at + 1);
    }
    return SourceRange(file_, offsets_(t->getStartIndex()), offsets_(t->getStopIndex() + 1));
  }

  /// What the bracket at chunk index \p i opens, in words.
  std::string describeOpener(size_t i) const {
    auto typeAt = [&](size_t k) { return chunk_[k]->getType(); };
    auto textAt = [&](size_t k) { return chunk_[k]->getText(); };
    size_t open = typeAt(i);
    if (open == P::LBRACE) {
      if (i >= 2 && typeAt(i - 2) == P::SCHEMA)
        return "schema '" + textAt(i - 1) + "'";
      if (i >= 1) {
        switch (typeAt(i - 1)) {
        case P::SELECT:
          return "'select'";
        case P::EXTEND:
          return "'extend'";
        case P::AGGREGATE:
          return "the aggregate block";
        case P::SCHEMA:
          return "the schema";
        default:
          break;
        }
      }
      return "the block";
    }
    if (open == P::LBRACKET)
      return "the list";
    if (i >= 1 && typeAt(i - 1) == P::IDENT) {
      if (i >= 2 && typeAt(i - 2) == P::FN)
        return "the parameters of fn '" + textAt(i - 1) + "'";
      if (i >= 2 && typeAt(i - 2) == P::ASSIGN)
        return "the arguments of '" + textAt(i - 1) + "'";
      if (i >= 2 && typeAt(i - 2) == P::WINDOW)
        return "window '" + textAt(i - 1) + "'";
      return "the call to '" + textAt(i - 1) + "'";
    }
    if (i >= 1 && typeAt(i - 1) == P::NULL_)
      return "the arguments of 'null'";
    return "the parenthesis";
  }

  Error describe(Token *offending, const antlr4::misc::IntervalSet &expected) {
    Error err;
    err.range = rangeOf(offending);
    size_t type = offending->getType();
    std::string found = type != Token::EOF ? "'" + offending->getText() + "'"
                        : lastStatement_   ? std::string("end of input")
                                           : std::string("the next statement");

    // Innermost bracket still open before the offending token.
    std::vector<size_t> open;
    size_t stop = std::min(offending->getTokenIndex(), chunk_.size());
    for (size_t i = 0; i < stop; ++i) {
      size_t t = chunk_[i]->getType();
      if (t == P::LBRACE || t == P::LPAREN || t == P::LBRACKET)
        open.push_back(i);
      else if ((t == P::RBRACE || t == P::RPAREN || t == P::RBRACKET) && !open.empty())
        open.pop_back();
    }
    if (!open.empty()) {
      size_t opener = chunk_[open.back()]->getType();
      size_t closer = opener == P::LBRACE   ? P::RBRACE
                      : opener == P::LPAREN ? P::RPAREN
                                            : P::RBRACKET;
      bool atEnd =
          type == Token::EOF || type == P::RBRACE || type == P::RPAREN || type == P::RBRACKET;
      if (expected.contains(closer) && atEnd) {
        err.message =
            "expected " + tokenDisplay(closer) + " to close " + describeOpener(open.back());
        err.openerRange = rangeOf(chunk_[open.back()].get());
        err.openerText = chunk_[open.back()]->getText();
        return err;
      }
    }

    auto isComparison = [](size_t t) {
      return t == P::EQ || t == P::NE || t == P::LT || t == P::LE || t == P::GT || t == P::GE;
    };
    auto isStageKeyword = [](size_t t) {
      return t == P::WHERE || t == P::SELECT || t == P::EXTEND || t == P::WINDOW ||
             t == P::LOOKUP || t == P::JOIN || t == P::INTO;
    };
    std::string literal = vocabulary().getLiteralName(type);
    bool keyword = literal.size() > 2 && std::isalpha(static_cast<unsigned char>(literal[1]));
    size_t index = offending->getTokenIndex();
    size_t previous = index > 0 && index <= chunk_.size() ? chunk_[index - 1]->getType() : 0;

    if (previous == P::WINDOW && !expected.contains(type)) { // `window by user`
      err.message = "expected a window spec (tumbling(size), sliding(size, slide), session(gap) "
                    "or count(n)) after 'window', found " +
                    found;
    } else if (isComparison(type) && !expected.contains(type)) {
      std::string op = offending->getText();
      err.message = "comparisons cannot be chained: write 'a " + op + " b and b " + op + " c'";
    } else if (type == P::IS && !expected.contains(type)) {
      err.message = "'is null' cannot be chained";
    } else if (isStageKeyword(type) && !expected.contains(type) &&
               (chunk_[0]->getType() == P::FROM || chunk_[0]->getType() == P::LET)) {
      err.message = "expected '|' before '" + offending->getText() + "'";
    } else if (keyword && expected.contains(size_t(P::IDENT))) {
      err.message = "'" + offending->getText() + "' is a keyword and cannot be used as a name";
    } else if (type == P::COMMA && (previous == P::COMMA || previous == P::LBRACE ||
                                    previous == P::LPAREN || previous == P::LBRACKET)) {
      err.message = previous == P::COMMA
                        ? "unexpected ',' after ','"
                        : "unexpected ',' after '" + tokenDisplay(previous).substr(1, 1) + "'";
    } else if (expected.size() == 1 && expected.contains(size_t(Token::EOF))) {
      err.message = "expected a new statement (import, schema, source, table, sink, param, fn, "
                    "let or from), found " +
                    found;
      err.trailingAt = index; // the statement itself may be complete

    } else {
      // In a comma-separated list, a missing ',' is as likely as a missing
      // closing bracket.
      std::string names = describeExpected(expected);
      bool inList = !open.empty() && chunk_[open.back()]->getType() != P::LPAREN;
      size_t closer =
          inList ? (chunk_[open.back()]->getType() == P::LBRACE ? P::RBRACE : P::RBRACKET) : 0;
      if (inList && expected.contains(closer) && !expected.contains(size_t(P::COMMA)) &&
          type != Token::EOF && previous != P::COMMA)
        names = "',' or " + names;
      err.message = "expected " + names + ", found " + found;
      if (type == P::IDENT) // `wehre`: a misspelt keyword
        if (std::string near = closestMatch(offending->getText(), expectedKeywords(expected));
            !near.empty())
          err.message += "; did you mean '" + near + "'?";
    }
    return err;
  }

  /// The keywords among \p expected, spelt as in the source.
  static std::vector<std::string> expectedKeywords(const antlr4::misc::IntervalSet &expected) {
    std::vector<std::string> words;
    for (ssize_t t : expected.toList()) {
      std::string literal = vocabulary().getLiteralName(static_cast<size_t>(t)); // with quotes
      if (literal.size() > 2 && std::isalpha(static_cast<unsigned char>(literal[1])))
        words.push_back(literal.substr(1, literal.size() - 2));
    }
    if (expected.contains(size_t(P::WHERE))) // a stage: the soft keywords too
      words.push_back("union");
    return words;
  }

  static std::string describeExpected(const antlr4::misc::IntervalSet &expected) {
    auto has = [&](size_t t) { return expected.contains(t); };
    if (has(P::SCHEMA) && has(P::SOURCE) && has(P::FROM))
      return "a statement (import, schema, source, table, sink, param, fn, "
             "let or from)";
    if (has(P::WHERE) && has(P::SELECT) && has(P::WINDOW))
      return "a stage (where, select, extend, window, lookup, join, union or into)";
    std::vector<std::string> names;
    bool expression = has(P::INT) && has(P::STRING) && has(P::IDENT);
    if (expression)
      names.push_back("an expression");
    for (ssize_t t : expected.toList()) {
      if (expression &&
          (t == P::INT || t == P::FLOAT || t == P::DURATION || t == P::STRING || t == P::TRUE_ ||
           t == P::FALSE_ || t == P::NULL_ || t == P::IDENT || t == P::LPAREN || t == P::MINUS ||
           t == P::NOT || t == P::IF || t == P::BAD_NUMBER || t == P::UNTERMINATED_STRING))
        continue;
      if (t == P::BAD_NUMBER || t == P::UNTERMINATED_STRING)
        continue;
      names.push_back(tokenDisplay(t));
    }
    if (names.empty())
      return "something else";
    std::string s;
    for (size_t i = 0; i < names.size(); ++i) {
      if (i)
        s += i + 1 == names.size() ? " or " : ", ";
      s += names[i];
    }
    return s;
  }

  FileId file_;
  const OffsetMap &offsets_;
  const std::vector<std::unique_ptr<Token>> &chunk_;
  bool lastStatement_;
};

// --------------------------------------------------------------- AST builder

/// Builds AST nodes from one statement's parse tree. Literal errors (bad
/// numbers, bad escapes) are reported here and mark the statement broken.
class AstBuilder {
public:
  AstBuilder(FileId file, const OffsetMap &offsets, DiagnosticEngine &diags)
      : file_(file), offsets_(offsets), diags_(diags) {}

  bool broken = false;

  StmtPtr statement(P::StatementContext *c) {
    if (auto *d = c->importDecl())
      return importDecl(d);
    if (auto *d = c->schemaDecl())
      return schemaDecl(d);
    if (auto *d = c->sourceDecl())
      return sourceDecl(d);
    if (auto *d = c->tableDecl())
      return tableDecl(d);
    if (auto *d = c->sinkDecl())
      return sinkDecl(d);
    if (auto *d = c->paramDecl())
      return paramDecl(d);
    if (auto *d = c->fnDecl())
      return fnDecl(d);
    if (auto *d = c->letDecl())
      return letDecl(d);
    auto *p = c->pipelineStmt();
    return std::make_unique<PipelineStmt>(range(p), pipeline(p->pipeline()));
  }

private:
  // --- ranges
  SourceRange range(Token *a, Token *b) const {
    return SourceRange(file_, offsets_(a->getStartIndex()), offsets_(b->getStopIndex() + 1));
  }
  SourceRange range(antlr4::ParserRuleContext *c) const {
    Token *stop = c->getStop() ? c->getStop() : c->getStart();
    if (stop->getTokenIndex() < c->getStart()->getTokenIndex())
      stop = c->getStart();
    return range(c->getStart(), stop);
  }
  SourceRange range(antlr4::tree::TerminalNode *n) const {
    return range(n->getSymbol(), n->getSymbol());
  }

  // --- declarations
  StmtPtr importDecl(P::ImportDeclContext *c) {
    if (auto *m = c->modulePath())
      return std::make_unique<ImportDecl>(range(c), m->getText(), false);
    std::string path = unquote(c->STRING());
    return std::make_unique<ImportDecl>(range(c), path, true);
  }

  std::unique_ptr<TypeRef> typeRef(P::TypeRefContext *c) {
    return std::make_unique<TypeRef>(range(c), c->IDENT()->getText(), c->QUESTION() != nullptr);
  }

  StmtPtr schemaDecl(P::SchemaDeclContext *c) {
    std::vector<std::unique_ptr<FieldDecl>> fields;
    for (auto *f : c->fieldDecl())
      fields.push_back(std::make_unique<FieldDecl>(range(f), f->IDENT()->getText(),
                                                   range(f->IDENT()), typeRef(f->typeRef())));
    return std::make_unique<SchemaDecl>(range(c), c->IDENT()->getText(), range(c->IDENT()),
                                        std::move(fields));
  }

  std::unique_ptr<ConnectorCall> connector(P::ConnectorCallContext *c) {
    std::vector<std::unique_ptr<ConnectorArg>> args;
    for (auto *a : c->connectorArg()) {
      std::string name;
      SourceRange nameRange;
      if (auto *n = a->argName()) {
        name = n->getText();
        nameRange = range(n);
      }
      args.push_back(std::make_unique<ConnectorArg>(range(a), name, nameRange, expr(a->expr())));
    }
    auto *n = c->connectorName();
    return std::make_unique<ConnectorCall>(range(c), n->getText(), range(n), std::move(args));
  }

  StmtPtr sourceDecl(P::SourceDeclContext *c) {
    std::vector<std::unique_ptr<SourceOption>> options;
    for (auto *o : c->sourceOption())
      options.push_back(std::make_unique<SourceOption>(range(o), o->IDENT()->getText(),
                                                       range(o->IDENT()), expr(o->expr())));
    return std::make_unique<SourceDecl>(range(c), c->IDENT(0)->getText(), range(c->IDENT(0)),
                                        c->IDENT(1)->getText(), range(c->IDENT(1)),
                                        connector(c->connectorCall()), std::move(options));
  }

  StmtPtr tableDecl(P::TableDeclContext *c) {
    return std::make_unique<TableDecl>(range(c), c->IDENT(0)->getText(), range(c->IDENT(0)),
                                       c->IDENT(1)->getText(), range(c->IDENT(1)),
                                       connector(c->connectorCall()), c->IDENT(2)->getText(),
                                       range(c->IDENT(2)));
  }

  StmtPtr sinkDecl(P::SinkDeclContext *c) {
    return std::make_unique<SinkDecl>(range(c), c->IDENT()->getText(), range(c->IDENT()),
                                      connector(c->connectorCall()));
  }

  StmtPtr paramDecl(P::ParamDeclContext *c) {
    ExprPtr def = c->expr() ? expr(c->expr()) : nullptr;
    return std::make_unique<ParamDecl>(range(c), c->IDENT()->getText(), range(c->IDENT()),
                                       typeRef(c->typeRef()), std::move(def));
  }

  StmtPtr fnDecl(P::FnDeclContext *c) {
    std::vector<std::unique_ptr<FnParam>> params;
    for (auto *p : c->fnParam())
      params.push_back(std::make_unique<FnParam>(range(p), p->IDENT()->getText(), range(p->IDENT()),
                                                 typeRef(p->typeRef())));
    std::unique_ptr<TypeRef> ret = c->typeRef() ? typeRef(c->typeRef()) : nullptr;
    return std::make_unique<FnDecl>(range(c), c->IDENT()->getText(), range(c->IDENT()),
                                    std::move(params), std::move(ret), expr(c->expr()));
  }

  StmtPtr letDecl(P::LetDeclContext *c) {
    return std::make_unique<LetDecl>(range(c), c->IDENT()->getText(), range(c->IDENT()),
                                     pipeline(c->pipeline()));
  }

  // --- pipelines
  std::unique_ptr<Pipeline> pipeline(P::PipelineContext *c) {
    std::vector<StagePtr> stages;
    for (auto *s : c->stage())
      stages.push_back(stage(s));
    return std::make_unique<Pipeline>(range(c), c->IDENT()->getText(), range(c->IDENT()),
                                      std::move(stages));
  }

  std::unique_ptr<NamedExpr> namedExpr(P::NamedExprContext *c) {
    std::string name;
    SourceRange nameRange;
    if (auto *id = c->IDENT()) {
      name = id->getText();
      nameRange = range(id);
    }
    return std::make_unique<NamedExpr>(range(c), name, nameRange, expr(c->expr()));
  }

  std::vector<std::unique_ptr<NamedExpr>> namedExprs(P::NamedExprListContext *c) {
    std::vector<std::unique_ptr<NamedExpr>> out;
    for (auto *n : c->namedExpr())
      out.push_back(namedExpr(n));
    return out;
  }

  StagePtr stage(P::StageContext *c) {
    if (auto *s = dynamic_cast<P::WhereStageContext *>(c))
      return std::make_unique<WhereStage>(range(s), expr(s->expr()));
    if (auto *s = dynamic_cast<P::SelectStageContext *>(c))
      return std::make_unique<SelectStage>(range(s), namedExprs(s->namedExprList()));
    if (auto *s = dynamic_cast<P::ExtendStageContext *>(c))
      return std::make_unique<ExtendStage>(range(s), namedExprs(s->namedExprList()));
    if (auto *s = dynamic_cast<P::WindowStageContext *>(c)) {
      auto *w = s->windowSpec();
      std::vector<ExprPtr> args;
      for (auto *e : w->expr())
        args.push_back(expr(e));
      auto spec = std::make_unique<WindowSpec>(range(w), w->IDENT()->getText(), range(w->IDENT()),
                                               std::move(args));
      std::vector<std::unique_ptr<NamedExpr>> keys;
      for (auto *k : s->namedExpr())
        keys.push_back(namedExpr(k));
      std::string late;
      SourceRange lateRange;
      if (auto *id = s->IDENT()) {
        late = id->getText();
        lateRange = range(id);
      }
      return std::make_unique<WindowStage>(range(s), std::move(spec), std::move(keys),
                                           namedExprs(s->namedExprList()), late, lateRange);
    }
    if (auto *s = dynamic_cast<P::LookupStageContext *>(c))
      return std::make_unique<LookupStage>(range(s), s->IDENT()->getText(), range(s->IDENT()),
                                           andExpr(s->andExpr()), s->NULL_() != nullptr);
    if (auto *s = dynamic_cast<P::JoinStageContext *>(c))
      return std::make_unique<JoinStage>(range(s), s->IDENT()->getText(), range(s->IDENT()),
                                         expr(s->expr(0)), expr(s->expr(1)));
    if (auto *s = dynamic_cast<P::UnionStageContext *>(c)) {
      std::vector<UnionStage::Input> inputs;
      auto ids = s->IDENT(); // ids[0] is the word `union`
      for (size_t i = 1; i < ids.size(); ++i)
        inputs.push_back({ids[i]->getText(), range(ids[i])});
      return std::make_unique<UnionStage>(range(s), std::move(inputs));
    }
    auto *s = static_cast<P::IntoStageContext *>(c);
    return std::make_unique<IntoStage>(range(s), s->IDENT()->getText(), range(s->IDENT()));
  }

  // --- expressions
  ExprPtr expr(P::ExprContext *c) { return orExpr(c->orExpr()); }

  /// A left-associative chain `x op x op x`: \p opAt(i) gives the operator
  /// between operand i and i+1 and its range. Ranges come from the contexts,
  /// so a parenthesised left operand is covered.
  template <typename Ctx, typename Build, typename OpAt>
  ExprPtr binaryChain(const std::vector<Ctx *> &operands, Build build, OpAt opAt) {
    ExprPtr lhs = build(operands[0]);
    for (size_t i = 1; i < operands.size(); ++i) {
      ExprPtr rhs = build(operands[i]);
      SourceRange r = SourceRange::cover(range(operands[0]), range(operands[i]));
      auto [op, opRange] = opAt(i - 1);
      lhs = std::make_unique<BinaryExpr>(r, op, std::move(lhs), std::move(rhs), opRange);
    }
    return lhs;
  }

  ExprPtr orExpr(P::OrExprContext *c) {
    // The operators are fetched once: ANTLR's c->OR(i) scans every child.
    auto ors = c->OR();
    return binaryChain(
        c->andExpr(), [&](auto *x) { return andExpr(x); },
        [&](size_t i) { return std::pair(BinaryOp::Or, range(ors[i])); });
  }

  ExprPtr andExpr(P::AndExprContext *c) {
    auto ands = c->AND();
    return binaryChain(
        c->notExpr(), [&](auto *x) { return notExpr(x); },
        [&](size_t i) { return std::pair(BinaryOp::And, range(ands[i])); });
  }

  ExprPtr notExpr(P::NotExprContext *c) {
    if (c->NOT())
      return std::make_unique<UnaryExpr>(range(c), UnaryOp::Not, notExpr(c->notExpr()));
    return cmpExpr(c->cmpExpr());
  }

  ExprPtr cmpExpr(P::CmpExprContext *c) {
    ExprPtr lhs = addExpr(c->addExpr(0));
    if (auto *op = c->compOp()) {
      static const std::map<size_t, BinaryOp> ops = {{P::EQ, BinaryOp::Eq}, {P::NE, BinaryOp::Ne},
                                                     {P::LT, BinaryOp::Lt}, {P::LE, BinaryOp::Le},
                                                     {P::GT, BinaryOp::Gt}, {P::GE, BinaryOp::Ge}};
      return std::make_unique<BinaryExpr>(range(c), ops.at(op->getStart()->getType()),
                                          std::move(lhs), addExpr(c->addExpr(1)), range(op));
    }
    if (c->IN()) {
      std::vector<ExprPtr> list;
      for (auto *e : c->expr())
        list.push_back(expr(e));
      return std::make_unique<InExpr>(range(c), std::move(lhs), std::move(list),
                                      c->NOT() != nullptr);
    }
    if (c->IS())
      return std::make_unique<IsNullExpr>(range(c), std::move(lhs), c->NOT() != nullptr);
    return lhs;
  }

  ExprPtr addExpr(P::AddExprContext *c) {
    auto ops = c->addOp();
    return binaryChain(
        c->mulExpr(), [&](auto *x) { return mulExpr(x); },
        [&](size_t i) {
          auto *op = ops[i];
          return std::pair(op->PLUS() ? BinaryOp::Add : BinaryOp::Sub, range(op));
        });
  }

  ExprPtr mulExpr(P::MulExprContext *c) {
    auto ops = c->mulOp();
    return binaryChain(
        c->unaryExpr(), [&](auto *x) { return unaryExpr(x); },
        [&](size_t i) {
          auto *op = ops[i];
          BinaryOp kind = op->STAR() ? BinaryOp::Mul : op->SLASH() ? BinaryOp::Div : BinaryOp::Mod;
          return std::pair(kind, range(op));
        });
  }

  ExprPtr unaryExpr(P::UnaryExprContext *c) {
    if (c->MINUS()) {
      // Fold `-<integer literal>` here so that i64's minimum is writable.
      auto *inner = c->unaryExpr();
      if (auto *pf = inner->postfixExpr())
        if (pf->DOT().empty())
          if (auto *lit = dynamic_cast<P::LiteralPrimaryContext *>(pf->primary()))
            if (auto *tok = lit->literal()->INT())
              return intLiteral(tok, range(c), /*negative=*/true);
      return std::make_unique<UnaryExpr>(range(c), UnaryOp::Neg, unaryExpr(c->unaryExpr()));
    }
    return postfixExpr(c->postfixExpr());
  }

  ExprPtr postfixExpr(P::PostfixExprContext *c) {
    ExprPtr base = primary(c->primary());
    for (auto *id : c->IDENT()) {
      SourceRange r = SourceRange::cover(base->range(), range(id));
      base = std::make_unique<FieldAccessExpr>(r, std::move(base), id->getText(), range(id));
    }
    return base;
  }

  ExprPtr primary(P::PrimaryContext *c) {
    if (auto *p = dynamic_cast<P::LiteralPrimaryContext *>(c))
      return literal(p->literal());
    if (auto *p = dynamic_cast<P::CallPrimaryContext *>(c)) {
      std::vector<ExprPtr> args;
      for (auto *e : p->expr())
        args.push_back(expr(e));
      return std::make_unique<CallExpr>(range(p), p->IDENT()->getText(), range(p->IDENT()),
                                        std::move(args));
    }
    if (auto *p = dynamic_cast<P::NamePrimaryContext *>(c))
      return std::make_unique<NameExpr>(range(p), p->IDENT()->getText());
    if (auto *p = dynamic_cast<P::ParenPrimaryContext *>(c))
      return expr(p->expr());
    auto *p = static_cast<P::IfPrimaryContext *>(c);
    return std::make_unique<IfExpr>(range(p), expr(p->expr(0)), expr(p->expr(1)), expr(p->expr(2)));
  }

  static std::string digitsOf(const std::string &text) {
    std::string digits;
    for (char ch : text)
      if (ch != '_')
        digits += ch;
    return digits;
  }

  ExprPtr intLiteral(antlr4::tree::TerminalNode *tok, SourceRange r, bool negative) {
    std::string digits = (negative ? "-" : "") + digitsOf(tok->getText());
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || ptr != digits.data() + digits.size())
      return fail(r, "integer literal '" + digits + "' does not fit in i64");
    return std::make_unique<IntLiteral>(r, value);
  }

  ExprPtr literal(P::LiteralContext *c) {
    SourceRange r = range(c);
    Token *tok = c->getStart();
    std::string text = tok->getText();
    switch (tok->getType()) {
    case P::INT:
      return intLiteral(c->INT(), r, false);
    case P::FLOAT: {
      std::string digits = digitsOf(text);
      double v = std::strtod(digits.c_str(), nullptr);
      if (!std::isfinite(v))
        return fail(r, "float literal '" + text + "' is out of range");
      return std::make_unique<FloatLiteral>(r, v);
    }
    case P::DURATION: {
      size_t unitPos = text.find_first_not_of("0123456789_");
      std::string digits = digitsOf(text.substr(0, unitPos));
      std::string unit = text.substr(unitPos);
      int64_t scale = unit == "ms"  ? 1
                      : unit == "s" ? 1000
                      : unit == "m" ? 60'000
                      : unit == "h" ? 3'600'000
                                    : 86'400'000;
      int64_t n = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      int64_t ms = 0;
      if (ec != std::errc() || __builtin_mul_overflow(n, scale, &ms))
        return fail(r, "duration literal '" + text + "' is out of range");
      return std::make_unique<DurationLiteral>(r, ms);
    }
    case P::STRING:
      return std::make_unique<StringLiteral>(r, unquote(c->STRING()));
    case P::TRUE_:
      return std::make_unique<BoolLiteral>(r, true);
    case P::FALSE_:
      return std::make_unique<BoolLiteral>(r, false);
    case P::NULL_:
      return std::make_unique<NullLiteral>(r);
    default: // BAD_NUMBER, UNTERMINATED_STRING: reported by the lexer
      broken = true;
      return std::make_unique<NullLiteral>(r);
    }
  }

  ExprPtr fail(SourceRange r, std::string message) {
    diags_.error(r, std::move(message));
    broken = true;
    return std::make_unique<NullLiteral>(r);
  }

  /// The value of a string token, escapes resolved. A bad escape is reported
  /// at its own column.
  std::string unquote(antlr4::tree::TerminalNode *node) {
    Token *tok = node->getSymbol();
    std::string text = tok->getText();
    uint32_t base = offsets_(tok->getStartIndex());
    std::string out;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      char ch = text[i];
      if (ch != '\\') {
        out += ch;
        continue;
      }
      char e = text[++i];
      SourceRange at(file_, base + static_cast<uint32_t>(i - 1),
                     base + static_cast<uint32_t>(i + 1));
      switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'u': {
        unsigned cp = 0;
        size_t k = 0;
        for (; k < 4 && i + 1 + k + 1 < text.size(); ++k) {
          char h = text[i + 1 + k];
          if (!std::isxdigit(static_cast<unsigned char>(h)))
            break;
          cp = cp * 16 + (std::isdigit(static_cast<unsigned char>(h))
                              ? h - '0'
                              : (std::tolower(h) - 'a' + 10));
        }
        if (k != 4) {
          diags_.error(at, "'\\u' must be followed by four hex digits");
          broken = true;
          break;
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          diags_.error(SourceRange(at.file, at.begin, at.end + 4),
                       "'\\u" + text.substr(i - 3, 4) + "' is a UTF-16 surrogate, not a character");
          broken = true;
          break;
        }
        appendUtf8(out, cp);
        break;
      }
      default:
        diags_.error(at, std::string("unknown escape sequence '\\") + e +
                             "' (use \\\" \\\\ \\n \\t or \\uXXXX)");
        broken = true;
      }
    }
    return out;
  }

  static void appendUtf8(std::string &out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  FileId file_;
  const OffsetMap &offsets_;
  DiagnosticEngine &diags_;
};

/// The name a (possibly broken) statement declares, read off its tokens, so
/// that uses of it elsewhere are not reported as unknown.
std::string declaredName(const std::vector<std::unique_ptr<Token>> &chunk) {
  if (chunk.size() >= 2 && chunk[1]->getType() == P::IDENT) {
    switch (chunk[0]->getType()) {
    case P::SCHEMA:
    case P::SOURCE:
    case P::TABLE:
    case P::SINK:
    case P::PARAM:
    case P::FN:
    case P::LET:
      return chunk[1]->getText();
    default:
      break;
    }
  }
  return "";
}

constexpr int kMaxNesting = 256;
/// Binary operators in one expression (between commas, braces and pipes):
/// a chain `x + 1 + 1 ...` is an AST as deep as it is long, and every stage
/// after the parser walks it recursively (on the compiler's large stack:
/// driver/main.cpp). 10,000 levels take well under its size.
constexpr int kMaxChain = 10000;

/// Why a statement is refused before it is parsed.
struct TooDeep {
  const Token *at = nullptr;
  bool chain = false; ///< too many operators in one expression (else nesting)
};

bool isBinaryOperator(size_t type) {
  switch (type) {
  case P::PLUS: case P::MINUS: case P::STAR: case P::SLASH: case P::PERCENT:
  case P::AND: case P::OR: case P::EQ: case P::NE: case P::LT: case P::LE:
  case P::GT: case P::GE: case P::IN: case P::IS: case P::DOT:
    return true;
  default:
    return false;
  }
}

/// The token at which a statement nests brackets or prefix operators deeper
/// than the parser can take, or chains more operators in one expression than
/// the later stages may recurse over.
TooDeep tooDeep(const std::vector<std::unique_ptr<Token>> &chunk) {
  int depth = 0, prefixRun = 0, chain = 0;
  for (const auto &t : chunk) {
    switch (t->getType()) {
    case P::LPAREN:
    case P::LBRACKET:
      ++depth;
      break;
    case P::LBRACE:
      ++depth;
      chain = 0;
      break;
    case P::RPAREN:
    case P::RBRACKET:
      --depth;
      break;
    case P::RBRACE:
      --depth;
      chain = 0;
      break;
    case P::COMMA:
    case P::PIPE:
      chain = 0; // the next item, argument or stage is another expression
      break;
    case P::IF: // `if ... else if ...` nests without brackets
      ++depth;
      break;
    default:
      break;
    }
    bool prefix = t->getType() == P::NOT || t->getType() == P::MINUS;
    prefixRun = prefix ? prefixRun + 1 : 0;
    chain += isBinaryOperator(t->getType()) || prefix;
    if (depth + prefixRun > kMaxNesting)
      return {t.get(), false};
    if (chain > kMaxChain)
      return {t.get(), true};
  }
  return {};
}

} // namespace

std::vector<TokenInfo> lexFile(const SourceManager &sm, FileId file, DiagnosticEngine &diags) {
  Lexed lexed = Lexing(sm, file, diags).run();
  std::vector<TokenInfo> out;
  for (auto &tok : lexed.tokens) {
    SourceRange r(file, lexed.offsets(tok->getStartIndex()),
                  lexed.offsets(tok->getStopIndex() + 1));
    out.push_back({tokenKindName(tok->getType()), tok->getText(), r});
  }
  uint32_t end = static_cast<uint32_t>(sm.text(file).size());
  out.push_back({"EOF", "", SourceRange(file, end, end)});
  return out;
}

std::unique_ptr<Module> parseFile(const SourceManager &sm, FileId file, DiagnosticEngine &diags) {
  auto module = std::make_unique<Module>();
  module->file = file;
  Lexed lexed = Lexing(sm, file, diags).run();
  if (!lexed.input)
    return module;

  auto &toks = lexed.tokens;
  size_t i = 0;
  while (i < toks.size()) {
    size_t j = i + 1;
    while (j < toks.size() && !isStatementStart(toks, j))
      ++j;

    // Copy the statement's tokens and end them with an EOF just after the
    // last one, where a missing closing bracket would go.
    std::vector<std::unique_ptr<Token>> chunk;
    for (size_t k = i; k < j; ++k) {
      auto copy = std::make_unique<antlr4::CommonToken>(toks[k].get());
      copy->setTokenIndex(k - i);
      chunk.push_back(std::move(copy));
    }
    Token *last = toks[j - 1].get();
    auto eof = std::make_unique<antlr4::CommonToken>(Token::EOF);
    eof->setStartIndex(last->getStopIndex() + 1);
    eof->setStopIndex(last->getStopIndex());
    eof->setLine(last->getLine());
    eof->setCharPositionInLine(last->getCharPositionInLine() + last->getText().size());
    eof->setTokenIndex(j - i);
    chunk.push_back(std::move(eof));

    std::vector<std::unique_ptr<Token>> feed;
    for (auto &t : chunk)
      feed.push_back(std::make_unique<antlr4::CommonToken>(t.get()));
    antlr4::ListTokenSource source(std::move(feed));
    antlr4::CommonTokenStream stream(&source);
    StreamParser parser(&stream);
    // A statement with a lexical error reports only that: the syntax errors
    // it causes would be noise.
    uint32_t chunkBegin = lexed.offsets(toks[i]->getStartIndex());
    uint32_t chunkEnd = j < toks.size() ? lexed.offsets(toks[j]->getStartIndex())
                                        : static_cast<uint32_t>(sm.text(file).size());
    bool lexicalError = false;
    for (uint32_t at : lexed.errorOffsets)
      lexicalError |= at >= chunkBegin && at < chunkEnd;

    // The generated parser recurses once per nesting level, later stages
    // once per operator of a chain: refuse what would exhaust the stack.
    if (TooDeep deep = tooDeep(chunk); deep.at) {
      uint32_t at = lexed.offsets(deep.at->getStartIndex());
      diags.error(SourceRange(file, at, at + 1),
                  deep.chain ? "expression too long: more than " + std::to_string(kMaxChain) +
                                   " operators in one expression (split it, e.g. with extend)"
                             : "expression nested too deeply (more than " +
                                   std::to_string(kMaxNesting) + " levels)");
      std::string name = declaredName(chunk);
      if (!name.empty())
        module->brokenNames.push_back(name);
      i = j;
      continue;
    }

    SyntaxErrorListener listener(file, lexed.offsets, chunk, j == toks.size());
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
    auto *tree = parser.singleStatement();

    // `source s: S = stdin() }`: report the `}`, keep the source.
    if (listener.error && listener.error->trailingAt > 0 && !lexicalError) {
      std::vector<std::unique_ptr<Token>> head;
      for (size_t k = 0; k < listener.error->trailingAt; ++k)
        head.push_back(std::make_unique<antlr4::CommonToken>(chunk[k].get()));
      auto eof = std::make_unique<antlr4::CommonToken>(Token::EOF);
      eof->setTokenIndex(listener.error->trailingAt);
      head.push_back(std::move(eof));
      antlr4::ListTokenSource headSource(std::move(head));
      antlr4::CommonTokenStream headStream(&headSource);
      StreamParser reparser(&headStream);
      SyntaxErrorListener quiet(file, lexed.offsets, chunk, false);
      reparser.removeErrorListeners();
      reparser.addErrorListener(&quiet);
      auto *headTree = reparser.singleStatement();
      if (!quiet.error) {
        const auto &e = *listener.error;
        diags.error(e.range, e.message);
        AstBuilder builder(file, lexed.offsets, diags);
        StmtPtr stmt = builder.statement(headTree->statement());
        if (!builder.broken)
          module->stmts.push_back(std::move(stmt));
        else if (!stmt->name.empty())
          module->brokenNames.push_back(stmt->name);
        i = j;
        continue;
      }
    }

    if (listener.error || lexicalError) {
      std::string name = declaredName(chunk);
      if (!name.empty())
        module->brokenNames.push_back(name);
      if (!lexicalError) {
        const auto &e = *listener.error;
        Diagnostic &d = diags.error(e.range, e.message);
        if (e.openerRange.isValid())
          d.notes.push_back({e.openerRange, "'" + e.openerText + "' opened here"});
      }
    } else {
      AstBuilder builder(file, lexed.offsets, diags);
      StmtPtr stmt = builder.statement(tree->statement());
      if (builder.broken) {
        if (!stmt->name.empty())
          module->brokenNames.push_back(stmt->name);
      } else {
        module->stmts.push_back(std::move(stmt));
      }
    }
    i = j;
  }
  return module;
}

} // namespace streamc
