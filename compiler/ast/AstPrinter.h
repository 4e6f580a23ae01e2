#pragma once
/// \file
/// `--emit=ast`: an indented dump of a Module, one node per line, each with
/// its `file:line:col`, and the types sema computed when it has run.

#include "ast/AST.h"

#include <iosfwd>

namespace streamc {

void printAst(std::ostream &os, const Module &module, const SourceManager &sm);

/// Writes an expression back as source text (used by plan dumps and the
/// REPL), fully parenthesised where precedence would otherwise matter.
std::string exprToSource(const Expr &e);

/// The same without the outer parentheses of a binary expression.
std::string exprToSourceUnparenthesised(const Expr &e);

/// Writes a literal string back with its escapes.
std::string quoteString(const std::string &s);

/// Writes a millisecond duration in the largest exact unit (`90s`, `5m`).
std::string formatDuration(int64_t ms);

} // namespace streamc
