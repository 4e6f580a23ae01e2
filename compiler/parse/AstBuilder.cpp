/// \file
/// Parsing and AST construction: each top-level statement's tokens are
/// parsed on their own (parse/Antlr.h) and its parse tree becomes AST nodes.

#include "parse/Antlr.h"
#include "support/Utf8.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <set>

namespace streamc {

using namespace parse_detail;

namespace {

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
    if (auto *d = c->testDecl())
      return testDecl(d);
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
    return std::make_unique<TypeRef>(range(c), identName(c->IDENT()->getText()),
                                     c->QUESTION() != nullptr);
  }

  StmtPtr schemaDecl(P::SchemaDeclContext *c) {
    std::vector<std::unique_ptr<FieldDecl>> fields;
    for (auto *f : c->fieldDecl())
      fields.push_back(std::make_unique<FieldDecl>(range(f), identName(f->IDENT()->getText()),
                                                   range(f->IDENT()), typeRef(f->typeRef())));
    return std::make_unique<SchemaDecl>(range(c), identName(c->IDENT()->getText()),
                                        range(c->IDENT()), std::move(fields));
  }

  StmtPtr testDecl(P::TestDeclContext *c) {
    auto test = std::make_unique<TestDecl>(range(c), identName(c->IDENT()->getText()),
                                           range(c->IDENT()));
    for (auto *item : c->testItem()) {
      if (auto *g = dynamic_cast<P::GivenItemContext *>(item))
        test->given.push_back({identName(g->IDENT()->getText()), range(g->IDENT()),
                               connector(g->connectorCall())});
      else if (auto *e = dynamic_cast<P::ExpectItemContext *>(item))
        test->expect.push_back({identName(e->IDENT()->getText()), range(e->IDENT()),
                                e->ORDERED() != nullptr, connector(e->connectorCall())});
    }
    return test;
  }

  std::unique_ptr<ConnectorCall> connector(P::ConnectorCallContext *c) {
    std::vector<std::unique_ptr<ConnectorArg>> args;
    for (auto *a : c->connectorArg()) {
      std::string name;
      SourceRange nameRange;
      if (auto *n = a->argName()) {
        name = identName(n->IDENT()->getText());
        nameRange = range(n);
      }
      args.push_back(std::make_unique<ConnectorArg>(range(a), name, nameRange, expr(a->expr())));
    }
    auto *n = c->connectorName();
    return std::make_unique<ConnectorCall>(range(c), identName(n->getText()), range(n),
                                           std::move(args));
  }

  StmtPtr sourceDecl(P::SourceDeclContext *c) {
    std::vector<std::unique_ptr<SourceOption>> options;
    for (auto *o : c->sourceOption())
      options.push_back(std::make_unique<SourceOption>(range(o), identName(o->IDENT()->getText()),
                                                       range(o->IDENT()), expr(o->expr())));
    return std::make_unique<SourceDecl>(range(c), identName(c->IDENT(0)->getText()),
                                        range(c->IDENT(0)), identName(c->IDENT(1)->getText()),
                                        range(c->IDENT(1)), connector(c->connectorCall()),
                                        std::move(options));
  }

  StmtPtr tableDecl(P::TableDeclContext *c) {
    // `key` is a keyword only here (a field may be called key).
    if (c->IDENT(2)->getText() != "key") {
      diags_.error(range(c->IDENT(2)), "expected 'key' after the table's connector, found '" +
                                           c->IDENT(2)->getText() + "'");
      broken = true;
    }
    return std::make_unique<TableDecl>(range(c), identName(c->IDENT(0)->getText()),
                                       range(c->IDENT(0)), identName(c->IDENT(1)->getText()),
                                       range(c->IDENT(1)), connector(c->connectorCall()),
                                       identName(c->IDENT(3)->getText()), range(c->IDENT(3)));
  }

  StmtPtr sinkDecl(P::SinkDeclContext *c) {
    return std::make_unique<SinkDecl>(range(c), identName(c->IDENT()->getText()), range(c->IDENT()),
                                      connector(c->connectorCall()));
  }

  StmtPtr paramDecl(P::ParamDeclContext *c) {
    ExprPtr def = c->expr() ? expr(c->expr()) : nullptr;
    return std::make_unique<ParamDecl>(range(c), identName(c->IDENT()->getText()),
                                       range(c->IDENT()), typeRef(c->typeRef()), std::move(def));
  }

  StmtPtr fnDecl(P::FnDeclContext *c) {
    std::vector<std::unique_ptr<FnParam>> params;
    for (auto *p : c->fnParam())
      params.push_back(std::make_unique<FnParam>(range(p), identName(p->IDENT()->getText()),
                                                 range(p->IDENT()), typeRef(p->typeRef())));
    std::unique_ptr<TypeRef> ret = c->typeRef() ? typeRef(c->typeRef()) : nullptr;
    return std::make_unique<FnDecl>(range(c), identName(c->IDENT()->getText()), range(c->IDENT()),
                                    std::move(params), std::move(ret), expr(c->expr()));
  }

  StmtPtr letDecl(P::LetDeclContext *c) {
    return std::make_unique<LetDecl>(range(c), identName(c->IDENT()->getText()), range(c->IDENT()),
                                     pipeline(c->pipeline()));
  }

  // --- pipelines
  std::unique_ptr<Pipeline> pipeline(P::PipelineContext *c) {
    std::vector<StagePtr> stages;
    for (auto *s : c->stage())
      stages.push_back(stage(s));
    return std::make_unique<Pipeline>(range(c), identName(c->IDENT()->getText()), range(c->IDENT()),
                                      std::move(stages));
  }

  std::unique_ptr<NamedExpr> namedExpr(P::NamedExprContext *c) {
    std::string name;
    SourceRange nameRange;
    if (auto *id = c->IDENT()) {
      name = identName(id->getText());
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

  /// `tumbling(1m)`, `all`; a frame's `rows(10)`, `unbounded`.
  std::unique_ptr<WindowSpec> windowSpec(P::WindowSpecContext *w) {
    std::vector<ExprPtr> args;
    for (auto *e : w->expr())
      args.push_back(expr(e));
    return std::make_unique<WindowSpec>(range(w), identName(w->IDENT()->getText()),
                                        range(w->IDENT()), std::move(args),
                                        w->getToken(P::LPAREN, 0) != nullptr);
  }

  StagePtr stage(P::StageContext *c) {
    if (auto *s = dynamic_cast<P::WhereStageContext *>(c))
      return std::make_unique<WhereStage>(range(s), expr(s->expr()));
    if (auto *s = dynamic_cast<P::SelectStageContext *>(c))
      return std::make_unique<SelectStage>(range(s), namedExprs(s->namedExprList()));
    if (auto *s = dynamic_cast<P::ExtendStageContext *>(c))
      return std::make_unique<ExtendStage>(range(s), namedExprs(s->namedExprList()));
    if (auto *s = dynamic_cast<P::ExtendOverStageContext *>(c)) {
      std::vector<ExprPtr> keys;
      for (auto *k : s->expr())
        keys.push_back(expr(k));
      std::string late;
      SourceRange lateRange;
      if (s->INTO()) {
        late = identName(s->IDENT(1)->getText());
        lateRange = range(s->IDENT(1));
      }
      return std::make_unique<ExtendOverStage>(range(s), windowSpec(s->windowSpec()),
                                               std::move(keys), namedExprs(s->namedExprList()),
                                               late, lateRange);
    }
    if (auto *s = dynamic_cast<P::WindowStageContext *>(c)) {
      auto spec = windowSpec(s->windowSpec());
      std::vector<std::unique_ptr<NamedExpr>> keys;
      for (auto *k : s->namedExpr())
        keys.push_back(namedExpr(k));
      std::string late;
      SourceRange lateRange;
      if (auto *id = s->IDENT()) {
        late = identName(id->getText());
        lateRange = range(id);
      }
      return std::make_unique<WindowStage>(range(s), std::move(spec), std::move(keys),
                                           namedExprs(s->namedExprList()), late, lateRange);
    }
    if (auto *s = dynamic_cast<P::LookupStageContext *>(c))
      return std::make_unique<LookupStage>(range(s), identName(s->IDENT()->getText()),
                                           range(s->IDENT()), andExpr(s->andExpr()),
                                           s->NULL_() != nullptr);
    if (auto *s = dynamic_cast<P::JoinStageContext *>(c)) {
      ExprPtr within, after;
      auto *interval = s->joinInterval();
      if (auto *i = dynamic_cast<P::BeforeAfterIntervalContext *>(interval)) {
        within = expr(i->expr(0));
        after = expr(i->expr(1));
      } else if (auto *i = dynamic_cast<P::SymmetricIntervalContext *>(interval)) {
        within = expr(i->expr());
      }
      return std::make_unique<JoinStage>(range(s), identName(s->IDENT()->getText()),
                                         range(s->IDENT()), expr(s->expr()), std::move(within),
                                         std::move(after), range(interval));
    }
    if (auto *s = dynamic_cast<P::WordStageContext *>(c))
      return wordStage(s);
    auto *s = static_cast<P::IntoStageContext *>(c);
    return std::make_unique<IntoStage>(range(s), identName(s->IDENT()->getText()),
                                       range(s->IDENT()));
  }

  /// `top 3 by n desc per region`.
  StagePtr topStage(const std::string &word, P::WordStageContext *s, P::TopBodyContext *t) {
    if (word != "top") {
      diags_.error(range(t), "'" + word +
                                 "' is not followed by a count and 'by': did you mean "
                                 "'top <n> by <expr>'?");
      broken = true;
    }
    bool descending = true;
    if (auto *o = t->sortOrder())
      descending = o->IDENT()->getText() == "desc";
    std::vector<ExprPtr> per;
    if (auto *p = t->perKeys())
      for (auto *e : p->expr())
        per.push_back(expr(e));
    return std::make_unique<TopStage>(range(s), expr(t->expr(0)), expr(t->expr(1)), descending,
                                      std::move(per));
  }

  /// `union a, b`, `unnest w = split(...)` or `distinct by k within d`: the
  /// word must fit the body.
  StagePtr wordStage(P::WordStageContext *s) {
    std::string word = s->IDENT()->getText();
    if (auto *d = dynamic_cast<P::DistinctBodyContext *>(s->wordStageBody())) {
      if (word != "distinct") {
        diags_.error(range(d->BY()), "'" + word +
                                         "' is not followed by 'by': did you mean "
                                         "'distinct by <key> within <duration>'?");
        broken = true;
      }
      std::vector<ExprPtr> keys;
      std::vector<P::ExprContext *> parts = d->expr();
      for (size_t i = 0; i + 1 < parts.size(); ++i)
        keys.push_back(expr(parts[i]));
      return std::make_unique<DistinctStage>(range(s), std::move(keys), expr(parts.back()));
    }
    if (auto *t = dynamic_cast<P::TopBodyContext *>(s->wordStageBody()))
      return topStage(word, s, t);
    if (word == "distinct" || word == "top") {
      diags_.error(range(s->wordStageBody()),
                   word == "distinct"
                       ? "distinct takes the keys and a duration: distinct by user_id within 10m"
                       : "top takes a count and an order: top 10 by views [asc|desc] [per key]");
      broken = true;
    }
    bool isUnion = word == "union", reported = word == "distinct" || word == "top";
    if (auto *u = dynamic_cast<P::UnnestBodyContext *>(s->wordStageBody())) {
      if (isUnion && !reported) {
        diags_.error(range(u->getToken(P::ASSIGN, 0)), "'union' takes the streams to merge: union a, b");
        broken = true;
      }
      return std::make_unique<UnnestStage>(range(s), identName(u->IDENT()->getText()),
                                           range(u->IDENT()), expr(u->expr()));
    }
    auto *u = static_cast<P::UnionBodyContext *>(s->wordStageBody());
    if (!isUnion && !reported) {
      diags_.error(range(u), "unnest needs a name and what to split: unnest word = split(line, \" \")");
      broken = true;
    }
    std::vector<UnionStage::Input> inputs;
    for (auto *id : u->IDENT())
      inputs.push_back({identName(id->getText()), range(id)});
    return std::make_unique<UnionStage>(range(s), std::move(inputs));
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
      base = std::make_unique<FieldAccessExpr>(r, std::move(base), identName(id->getText()),
                                               range(id));
    }
    return base;
  }

  ExprPtr primary(P::PrimaryContext *c) {
    if (auto *p = dynamic_cast<P::LiteralPrimaryContext *>(c))
      return literal(p->literal());
    if (auto *p = dynamic_cast<P::CallPrimaryContext *>(c)) {
      std::vector<ExprPtr> args;
      std::vector<CallExpr::ArgName> names;
      for (auto *a : p->callArg()) {
        args.push_back(expr(a->expr()));
        if (auto *n = a->argName())
          names.push_back({identName(n->IDENT()->getText()), range(n)});
        else
          names.push_back({});
      }
      auto call = std::make_unique<CallExpr>(range(p), identName(p->IDENT()->getText()),
                                             range(p->IDENT()), std::move(args));
      call->argNames = std::move(names);
      return call;
    }
    if (auto *p = dynamic_cast<P::NamePrimaryContext *>(c))
      return std::make_unique<NameExpr>(range(p), identName(p->IDENT()->getText()));
    if (auto *p = dynamic_cast<P::ParenPrimaryContext *>(c))
      return expr(p->expr());
    if (auto *p = dynamic_cast<P::CasePrimaryContext *>(c)) {
      std::vector<IfExpr::Arm> arms;
      for (auto *arm : p->caseArm())
        arms.push_back({expr(arm->expr(0)), expr(arm->expr(1))});
      return std::make_unique<IfExpr>(range(p), std::move(arms),
                                      p->expr() ? expr(p->expr()) : nullptr, /*isCase=*/true);
    }
    auto *p = static_cast<P::IfPrimaryContext *>(c);
    std::vector<IfExpr::Arm> arms;
    arms.push_back({expr(p->expr(0)), expr(p->expr(1))});
    return std::make_unique<IfExpr>(range(p), std::move(arms), expr(p->expr(2)),
                                    /*isCase=*/false);
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
        // `\d` and friends are most often a regular expression's: say
        // how to write one.
        diags_.error(at, std::string("unknown escape sequence '\\") + e +
                             "' (use \\\" \\\\ \\n \\t or \\uXXXX" +
                             (e != '\0' && std::strchr("dDwWsSbB.()[]{}+*?|^$0123456789", e)
                                  ? std::string("; a regular expression's \\") + e +
                                        " is written \\\\" + e
                                  : std::string()) +
                             ")");
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

} // namespace

std::unique_ptr<Module> parseFile(const SourceManager &sm, FileId file, DiagnosticEngine &diags) {
  auto module = std::make_unique<Module>();
  module->file = file;
  Lexed lexed = lex(sm, file, diags);
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

    markSoftKeywords(chunk);
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
