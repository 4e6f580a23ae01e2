/// \file
/// Syntax errors: ANTLR's reports turned into our messages (which bracket is
/// unclosed, a keyword used as a name, a misspelt keyword, a missing '|').

#include "parse/Antlr.h"
#include "support/Utf8.h"

#include <cctype>

namespace streamc::parse_detail {

void SyntaxErrorListener::syntaxError(antlr4::Recognizer *recognizer, Token *offending, size_t,
                                      size_t, const std::string &, std::exception_ptr ep) {
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

SourceRange SyntaxErrorListener::rangeOf(Token *t) const {
  if (t->getType() == Token::EOF) {
    uint32_t at = offsets_(t->getStartIndex());
    return SourceRange(file_, at, at + 1);
  }
  return SourceRange(file_, offsets_(t->getStartIndex()), offsets_(t->getStopIndex() + 1));
}

std::string SyntaxErrorListener::describeOpener(size_t i) const {
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

SyntaxErrorListener::Error
SyntaxErrorListener::describe(Token *offending, const antlr4::misc::IntervalSet &expected) {
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
    size_t closer = opener == P::LBRACE ? P::RBRACE : opener == P::LPAREN ? P::RPAREN : P::RBRACKET;
    bool atEnd =
        type == Token::EOF || type == P::RBRACE || type == P::RPAREN || type == P::RBRACKET;
    if (expected.contains(closer) && atEnd) {
      err.message = "expected " + tokenDisplay(closer) + " to close " + describeOpener(open.back());
      err.openerRange = rangeOf(chunk_[open.back()].get());
      err.openerText = chunk_[open.back()]->getText();
      return err;
    }
  }

  auto isComparison = [](size_t t) {
    return t == P::EQ || t == P::NE || t == P::LT || t == P::LE || t == P::GT || t == P::GE;
  };
  auto isStageKeyword = [](size_t t) {
    return t == P::WHERE || t == P::SELECT || t == P::EXTEND || t == P::WINDOW || t == P::LOOKUP ||
           t == P::JOIN || t == P::INTO;
  };
  std::string literal = vocabulary().getLiteralName(type);
  bool keyword = literal.size() > 2 && std::isalpha(static_cast<unsigned char>(literal[1]));
  size_t index = offending->getTokenIndex();
  size_t previous = index > 0 && index <= chunk_.size() ? chunk_[index - 1]->getType() : 0;

  if (hint(index, expected, open, err)) {
    // named the likely mistake
  } else if (chunk_[0]->getType() == P::TABLE && previous == P::RPAREN && open.empty()) {
    // `key` (a soft keyword: any name parses) must follow a table's connector.
    err.message = "expected 'key', found " + found;
  } else if (previous == P::WINDOW && !expected.contains(type)) { // `window by user`
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
    // The stages led by a soft keyword share one alternative
    // (wordStageBody): what may follow depends on the word.
    std::string before = previous == P::IDENT ? chunk_[index - 1]->getText() : "";
    if (before == "union" || before == "unnest")
      names = "a name";
    else if (before == "distinct")
      names = "'by'";
    else if (before == "top")
      names = "a count";
    // A test's body is braces without commas.
    bool testBody = !open.empty() && open.back() == 2 && chunk_[0]->getType() == P::TEST;
    bool inList = !open.empty() && chunk_[open.back()]->getType() != P::LPAREN && !testBody;
    size_t closer =
        inList ? (chunk_[open.back()]->getType() == P::LBRACE ? P::RBRACE : P::RBRACKET) : 0;
    if (inList && expected.contains(closer) && !expected.contains(size_t(P::COMMA)) &&
        type != Token::EOF && previous != P::COMMA)
      names = "',' or " + names;
    // A name or literal right after a list item: a missing ','.
    else if (inList && expected.contains(closer) && expected.contains(size_t(P::COMMA)) &&
             (type == P::IDENT || type == P::INT || type == P::FLOAT || type == P::STRING))
      names = "',' or " + tokenDisplay(closer);
    err.message = "expected " + names + ", found " + found;
    if (type == P::IDENT) // `wehre`: a misspelt keyword
      if (std::string near = closestMatch(offending->getText(), expectedKeywords(expected));
          !near.empty())
        err.message += "; did you mean '" + near + "'?";
  }
  return err;
}

bool SyntaxErrorListener::hint(size_t index, const antlr4::misc::IntervalSet &expected,
                               const std::vector<size_t> &open, Error &err) const {
  if (index >= chunk_.size())
    return false;
  auto typeAt = [&](size_t k) { return k < chunk_.size() ? chunk_[k]->getType() : 0; };
  auto wordAt = [&](size_t k) {
    return k < chunk_.size() && chunk_[k]->getType() == P::IDENT ? chunk_[k]->getText() : "";
  };
  auto say = [&](std::string message, size_t at) {
    err.message = std::move(message);
    err.range = rangeOf(chunk_[at].get());
    return true;
  };
  size_t type = typeAt(index);
  std::string word = wordAt(index);
  std::string before = index >= 1 ? wordAt(index - 1) : "";

  // SQL and C habits.
  if (type == P::ASSIGN && !expected.contains(size_t(P::ASSIGN)))
    return say("'=' does not compare: write '==' (as in 'where status == 200')", index);
  if (type == P::STAR && index >= 2 && typeAt(index - 1) == P::LPAREN &&
      wordAt(index - 2) == "count")
    return say("write count() to count the records: count(*) is SQL's spelling", index);
  return false;
}

std::vector<std::string>
SyntaxErrorListener::expectedKeywords(const antlr4::misc::IntervalSet &expected) {
  std::vector<std::string> words;
  for (ssize_t t : expected.toList()) {
    std::string literal = vocabulary().getLiteralName(static_cast<size_t>(t)); // with quotes
    if (literal.size() > 2 && std::isalpha(static_cast<unsigned char>(literal[1])))
      words.push_back(literal.substr(1, literal.size() - 2));
  }
  for (auto [token, word] : {std::pair<size_t, const char *>{P::GIVEN, "given"},
                             {P::EXPECT, "expect"},
                             {P::WHEN, "when"},
                             {P::END, "end"}})
    if (expected.contains(token)) // soft keywords the token pass retypes
      words.push_back(word);
  if (expected.contains(size_t(P::WHERE))) // a stage: the soft keywords too
    for (const char *word : {"union", "unnest", "distinct", "top"})
      words.push_back(word);
  return words;
}

std::string SyntaxErrorListener::describeExpected(const antlr4::misc::IntervalSet &expected) {
  auto has = [&](size_t t) { return expected.contains(t); };
  if (has(P::SCHEMA) && has(P::SOURCE) && has(P::FROM))
    return "a statement (import, schema, source, table, sink, param, fn, "
           "let or from)";
  if (has(P::WHERE) && has(P::SELECT) && has(P::WINDOW))
    return "a stage (where, select, extend, window, lookup, join, union, unnest, distinct, top "
           "or into)";
  std::vector<std::string> names;
  bool expression = has(P::INT) && has(P::STRING) && has(P::IDENT);
  if (expression)
    names.push_back("an expression");
  for (ssize_t t : expected.toList()) {
    if (expression &&
        (t == P::INT || t == P::FLOAT || t == P::DURATION || t == P::STRING || t == P::TRUE_ ||
         t == P::FALSE_ || t == P::NULL_ || t == P::IDENT || t == P::LPAREN || t == P::MINUS ||
         t == P::NOT || t == P::IF || t == P::CASE || t == P::BAD_NUMBER || t == P::UNTERMINATED_STRING))
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

} // namespace streamc::parse_detail
