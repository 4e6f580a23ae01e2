/// \file
/// What is read off a statement's tokens before it is parsed: the name it
/// declares (kept when it is broken) and whether it nests or chains deeper
/// than the parser and the later stages may recurse (parse/Antlr.h).

#include "parse/Antlr.h"

namespace streamc::parse_detail {

namespace {
bool isBinaryOperator(size_t type) {
  switch (type) {
  case P::PLUS:
  case P::MINUS:
  case P::STAR:
  case P::SLASH:
  case P::PERCENT:
  case P::AND:
  case P::OR:
  case P::EQ:
  case P::NE:
  case P::LT:
  case P::LE:
  case P::GT:
  case P::GE:
  case P::IN:
  case P::IS:
  case P::DOT:
    return true;
  default:
    return false;
  }
}

} // namespace

/// The name a (possibly broken) statement declares, read off its tokens, so
/// that uses of it elsewhere are not reported as unknown.
std::string declaredName(const std::vector<std::unique_ptr<Token>> &chunk) {
  if (chunk.size() >= 2 && chunk[1]->getType() == P::IDENT &&
      isDeclarationKeyword(chunk[0]->getType()))
    return identName(chunk[1]->getText());
  return "";
}

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

} // namespace streamc::parse_detail
