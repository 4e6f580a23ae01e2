#include "ast/AstPrinter.h"

#include "support/Format.h"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace streamc {

std::string quoteString(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

std::string formatDuration(int64_t ms) {
  struct Unit {
    int64_t scale;
    const char *suffix;
  };
  static const Unit units[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
  if (ms != 0)
    for (const Unit &u : units)
      if (ms % u.scale == 0)
        return std::to_string(ms / u.scale) + u.suffix;
  return std::to_string(ms) + "ms";
}

std::string exprToSource(const Expr &e) {
  using llvm::cast;
  switch (e.kind()) {
  case Expr::Kind::IntLit:
    return std::to_string(cast<IntLiteral>(e).value);
  case Expr::Kind::FloatLit:
    return formatDouble(cast<FloatLiteral>(e).value);
  case Expr::Kind::StringLit:
    return quoteString(cast<StringLiteral>(e).value);
  case Expr::Kind::BoolLit:
    return cast<BoolLiteral>(e).value ? "true" : "false";
  case Expr::Kind::NullLit:
    return "null";
  case Expr::Kind::DurationLit:
    return formatDuration(cast<DurationLiteral>(e).millis);
  case Expr::Kind::Name:
    return cast<NameExpr>(e).name;
  case Expr::Kind::FieldAccess: {
    auto &f = cast<FieldAccessExpr>(e);
    return exprToSource(*f.base) + "." + f.field;
  }
  case Expr::Kind::Unary: {
    auto &u = cast<UnaryExpr>(e);
    return u.op == UnaryOp::Neg ? "-" + exprToSource(*u.operand)
                                : "not " + exprToSource(*u.operand);
  }
  case Expr::Kind::Binary: {
    auto &b = cast<BinaryExpr>(e);
    return "(" + exprToSource(*b.lhs) + " " + binaryOpSpelling(b.op) + " " + exprToSource(*b.rhs) +
           ")";
  }
  case Expr::Kind::In: {
    auto &in = cast<InExpr>(e);
    std::string s = exprToSource(*in.operand) + (in.negated ? " not in [" : " in [");
    for (size_t i = 0; i < in.list.size(); ++i)
      s += (i ? ", " : "") + exprToSource(*in.list[i]);
    return "(" + s + "])";
  }
  case Expr::Kind::IsNull: {
    auto &n = cast<IsNullExpr>(e);
    return "(" + exprToSource(*n.operand) + (n.negated ? " is not null)" : " is null)");
  }
  case Expr::Kind::If: {
    auto &i = cast<IfExpr>(e);
    if (!i.isCase)
      return "(if " + exprToSource(*i.arms[0].cond) + " then " + exprToSource(*i.arms[0].value) +
             " else " + exprToSource(*i.elseExpr) + ")";
    std::string s = "(case";
    for (const auto &arm : i.arms)
      s += " when " + exprToSource(*arm.cond) + " then " + exprToSource(*arm.value);
    if (i.elseExpr)
      s += " else " + exprToSource(*i.elseExpr);
    return s + " end)";
  }
  case Expr::Kind::Call: {
    auto &c = cast<CallExpr>(e);
    std::string s = c.callee + "(";
    for (size_t i = 0; i < c.args.size(); ++i) {
      s += i ? ", " : "";
      if (!c.argName(i).empty())
        s += c.argName(i) + ": ";
      s += exprToSource(*c.args[i]);
    }
    return s + ")";
  }
  }
  return "?";
}

std::string exprToSourceUnparenthesised(const Expr &e) {
  std::string s = exprToSource(e);
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    // Strip the outer pair only if it encloses the whole text.
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
      if (depth == 0 && i + 1 < s.size())
        return s;
    }
    return s.substr(1, s.size() - 2);
  }
  return s;
}

namespace {

class Printer {
public:
  Printer(std::ostream &os, const SourceManager &sm) : os_(os), sm_(sm) {}

  void module(const Module &m) {
    os_ << "Module " << sm_.name(m.file) << "\n";
    ++depth_;
    for (const StmtPtr &s : m.stmts)
      stmt(*s);
    --depth_;
  }

private:
  std::ostream &line(const std::string &head) {
    os_ << std::string(depth_ * 2, ' ') << head;
    return os_;
  }
  void end(SourceRange r) { os_ << " <" << sm_.describe(r.start()) << ">\n"; }

  struct Indent {
    int &d;
    explicit Indent(int &d) : d(d) { ++d; }
    ~Indent() { --d; }
  };

  void typeRef(const char *label, const TypeRef &t) {
    line(std::string(label) + " " + t.name + (t.nullable ? "?" : ""));
    end(t.range());
  }

  void connector(const ConnectorCall &c) {
    line("Connector '" + c.name + "'");
    end(c.range());
    Indent in(depth_);
    for (const auto &a : c.args) {
      line(a->name.empty() ? std::string("Arg") : "Arg '" + a->name + "'");
      end(a->range());
      Indent in2(depth_);
      expr(*a->value);
    }
  }

  void stmt(const Stmt &s) {
    using llvm::cast;
    switch (s.kind()) {
    case Stmt::Kind::Import: {
      auto &d = cast<ImportDecl>(s);
      line("ImportDecl " + (d.isPath ? quoteString(d.target) : d.target));
      end(d.range());
      return;
    }
    case Stmt::Kind::Schema: {
      auto &d = cast<SchemaDecl>(s);
      line("SchemaDecl '" + d.name + "'");
      end(d.range());
      Indent in(depth_);
      for (const auto &f : d.fields) {
        line("FieldDecl '" + f->name + "' " + f->type->name + (f->type->nullable ? "?" : ""));
        end(f->range());
      }
      return;
    }
    case Stmt::Kind::Source: {
      auto &d = cast<SourceDecl>(s);
      line("SourceDecl '" + d.name + "' schema='" + d.schema + "'");
      end(d.range());
      Indent in(depth_);
      connector(*d.connector);
      for (const auto &o : d.options) {
        line("Option '" + o->name + "'");
        end(o->range());
        Indent in2(depth_);
        expr(*o->value);
      }
      return;
    }
    case Stmt::Kind::Table: {
      auto &d = cast<TableDecl>(s);
      line("TableDecl '" + d.name + "' schema='" + d.schema + "' key='" + d.key + "'");
      end(d.range());
      Indent in(depth_);
      connector(*d.connector);
      return;
    }
    case Stmt::Kind::Sink: {
      auto &d = cast<SinkDecl>(s);
      line("SinkDecl '" + d.name + "'");
      end(d.range());
      Indent in(depth_);
      connector(*d.connector);
      return;
    }
    case Stmt::Kind::Param: {
      auto &d = cast<ParamDecl>(s);
      line("ParamDecl '" + d.name + "' " + d.type->name + (d.type->nullable ? "?" : ""));
      end(d.range());
      Indent in(depth_);
      if (d.defaultValue)
        expr(*d.defaultValue);
      return;
    }
    case Stmt::Kind::Fn: {
      auto &d = cast<FnDecl>(s);
      std::string head = "FnDecl '" + d.name + "'";
      if (d.returnType)
        head += " -> " + d.returnType->name + (d.returnType->nullable ? "?" : "");
      if (!d.resultType.isError())
        head += " : " + d.resultType.str();
      line(head);
      end(d.range());
      Indent in(depth_);
      for (const auto &p : d.params) {
        line("FnParam '" + p->name + "' " + p->type->name + (p->type->nullable ? "?" : ""));
        end(p->range());
      }
      expr(*d.body);
      return;
    }
    case Stmt::Kind::Let: {
      auto &d = cast<LetDecl>(s);
      line("LetDecl '" + d.name + "'");
      end(d.range());
      Indent in(depth_);
      pipeline(*d.pipeline);
      return;
    }
    case Stmt::Kind::Pipeline: {
      auto &d = cast<PipelineStmt>(s);
      line("PipelineStmt");
      end(d.range());
      Indent in(depth_);
      pipeline(*d.pipeline);
      return;
    }
    case Stmt::Kind::Test: {
      auto &d = cast<TestDecl>(s);
      line("TestDecl '" + d.name + "'");
      end(d.range());
      Indent in(depth_);
      for (const auto &g : d.given) {
        line("Given '" + g.source + "'");
        end(g.sourceRange);
        Indent in2(depth_);
        connector(*g.connector);
      }
      for (const auto &e : d.expect) {
        line(std::string("Expect") + (e.ordered ? " ordered" : "") + " '" + e.sink + "'");
        end(e.sinkRange);
        Indent in2(depth_);
        connector(*e.connector);
      }
      return;
    }
    }
  }

  void named(const char *label, const NamedExpr &n) {
    line(std::string(label) + (n.name.empty() ? "" : " '" + n.name + "'"));
    end(n.range());
    Indent in(depth_);
    expr(*n.expr);
  }

  void pipeline(const Pipeline &p) {
    line("Pipeline from='" + p.from + "'");
    end(p.range());
    Indent in(depth_);
    for (const StagePtr &st : p.stages)
      stage(*st);
  }

  void stage(const Stage &s) {
    using llvm::cast;
    std::string out = s.outputType ? " -> " + s.outputType->str() : std::string();
    switch (s.kind()) {
    case Stage::Kind::Where: {
      line("WhereStage" + out);
      end(s.range());
      Indent in(depth_);
      expr(*cast<WhereStage>(s).cond);
      return;
    }
    case Stage::Kind::Select:
    case Stage::Kind::Extend: {
      bool sel = s.kind() == Stage::Kind::Select;
      line(std::string(sel ? "SelectStage" : "ExtendStage") + out);
      end(s.range());
      Indent in(depth_);
      const auto &items = sel ? cast<SelectStage>(s).items : cast<ExtendStage>(s).items;
      for (const auto &item : items)
        named("Item", *item);
      return;
    }
    case Stage::Kind::Window: {
      auto &w = cast<WindowStage>(s);
      line("WindowStage" + out);
      end(s.range());
      Indent in(depth_);
      line("WindowSpec '" + w.spec->kind + "'");
      end(w.spec->range());
      {
        Indent in2(depth_);
        for (const auto &a : w.spec->args)
          expr(*a);
      }
      for (const auto &k : w.keys)
        named("Key", *k);
      for (const auto &a : w.aggregates)
        named("Aggregate", *a);
      if (!w.lateSink.empty()) {
        line("LateInto '" + w.lateSink + "'");
        end(w.lateSinkRange);
      }
      return;
    }
    case Stage::Kind::Unnest: {
      auto &u = cast<UnnestStage>(s);
      line("UnnestStage '" + u.name + "'" + out);
      end(s.range());
      Indent in(depth_);
      expr(*u.split);
      return;
    }
    case Stage::Kind::Distinct: {
      auto &d = cast<DistinctStage>(s);
      line("DistinctStage" + out);
      end(s.range());
      Indent in(depth_);
      for (const auto &k : d.keys)
        expr(*k);
      line("Within");
      end(d.within->range());
      Indent in2(depth_);
      expr(*d.within);
      return;
    }
    case Stage::Kind::ExtendOver: {
      auto &o = cast<ExtendOverStage>(s);
      line("ExtendOverStage " + o.frame->kind + out);
      end(s.range());
      Indent in(depth_);
      for (const auto &a : o.frame->args)
        expr(*a);
      for (const auto &k : o.keys) {
        line("By");
        end(k->range());
        Indent in2(depth_);
        expr(*k);
      }
      for (const auto &i : o.items)
        named("Item", *i);
      if (!o.lateSink.empty()) {
        line("LateInto '" + o.lateSink + "'");
        end(o.lateSinkRange);
      }
      return;
    }
    case Stage::Kind::Top: {
      auto &t = cast<TopStage>(s);
      line(std::string("TopStage ") + (t.descending ? "desc" : "asc") + out);
      end(s.range());
      Indent in(depth_);
      expr(*t.count);
      expr(*t.order);
      for (const auto &k : t.per) {
        line("Per");
        end(k->range());
        Indent in2(depth_);
        expr(*k);
      }
      return;
    }
    case Stage::Kind::Lookup: {
      auto &l = cast<LookupStage>(s);
      line("LookupStage '" + l.table + "'" + (l.orNull ? " or null" : "") + out);
      end(s.range());
      Indent in(depth_);
      expr(*l.key);
      return;
    }
    case Stage::Kind::Join: {
      auto &j = cast<JoinStage>(s);
      line("JoinStage '" + j.stream + "'" + out);
      end(s.range());
      Indent in(depth_);
      expr(*j.cond);
      line(j.unbounded() ? "Within unbounded" : j.after ? "Within (before, after)" : "Within");
      end(j.intervalRange);
      Indent in2(depth_);
      if (j.within)
        expr(*j.within);
      if (j.after)
        expr(*j.after);
      return;
    }
    case Stage::Kind::Union: {
      auto &u = cast<UnionStage>(s);
      line("UnionStage" + out);
      end(s.range());
      Indent in(depth_);
      for (const UnionStage::Input &i : u.inputs) {
        line("Input '" + i.name + "'");
        end(i.range);
      }
      return;
    }
    case Stage::Kind::Into: {
      line("IntoStage '" + cast<IntoStage>(s).sink + "'");
      end(s.range());
      return;
    }
    }
  }

  void expr(const Expr &e) {
    using llvm::cast;
    std::string ty = e.type.isError() ? "" : " : " + e.type.str();
    std::string head;
    switch (e.kind()) {
    case Expr::Kind::IntLit:
    case Expr::Kind::FloatLit:
    case Expr::Kind::StringLit:
    case Expr::Kind::BoolLit:
    case Expr::Kind::NullLit:
    case Expr::Kind::DurationLit: {
      static const char *names[] = {"IntLiteral",  "FloatLiteral", "StringLiteral",
                                    "BoolLiteral", "NullLiteral",  "DurationLiteral"};
      head = std::string(names[static_cast<int>(e.kind())]) + " " + exprToSource(e);
      if (auto *d = llvm::dyn_cast<DurationLiteral>(&e))
        head += " (" + std::to_string(d->millis) + "ms)";
      break;
    }
    case Expr::Kind::Name:
      head = "Name '" + cast<NameExpr>(e).name + "'";
      break;
    case Expr::Kind::FieldAccess:
      head = "FieldAccess '." + cast<FieldAccessExpr>(e).field + "'";
      break;
    case Expr::Kind::Unary:
      head = std::string("Unary '") + unaryOpSpelling(cast<UnaryExpr>(e).op) + "'";
      break;
    case Expr::Kind::Binary:
      head = std::string("Binary '") + binaryOpSpelling(cast<BinaryExpr>(e).op) + "'";
      break;
    case Expr::Kind::In:
      head = cast<InExpr>(e).negated ? "NotIn" : "In";
      break;
    case Expr::Kind::IsNull:
      head = cast<IsNullExpr>(e).negated ? "IsNotNull" : "IsNull";
      break;
    case Expr::Kind::If:
      head = cast<IfExpr>(e).isCase ? "Case" : "If";
      break;
    case Expr::Kind::Call:
      head = "Call '" + cast<CallExpr>(e).callee + "'";
      break;
    }
    line(head + ty);
    end(e.range());
    Indent in(depth_);
    switch (e.kind()) {
    case Expr::Kind::FieldAccess:
      expr(*cast<FieldAccessExpr>(e).base);
      break;
    case Expr::Kind::Unary:
      expr(*cast<UnaryExpr>(e).operand);
      break;
    case Expr::Kind::Binary:
      expr(*cast<BinaryExpr>(e).lhs);
      expr(*cast<BinaryExpr>(e).rhs);
      break;
    case Expr::Kind::In:
      expr(*cast<InExpr>(e).operand);
      for (const auto &x : cast<InExpr>(e).list)
        expr(*x);
      break;
    case Expr::Kind::IsNull:
      expr(*cast<IsNullExpr>(e).operand);
      break;
    case Expr::Kind::If:
      for (const auto &arm : cast<IfExpr>(e).arms) {
        expr(*arm.cond);
        expr(*arm.value);
      }
      if (cast<IfExpr>(e).elseExpr)
        expr(*cast<IfExpr>(e).elseExpr);
      break;
    case Expr::Kind::Call: {
      const auto &c = cast<CallExpr>(e);
      for (size_t i = 0; i < c.args.size(); ++i) {
        if (c.argName(i).empty()) {
          expr(*c.args[i]);
          continue;
        }
        line("Named '" + c.argName(i) + "'");
        end(c.argNames[i].range);
        Indent in2(depth_);
        expr(*c.args[i]);
      }
      break;
    }
    default:
      break;
    }
  }

  std::ostream &os_;
  const SourceManager &sm_;
  int depth_ = 0;
};

} // namespace

void printAst(std::ostream &os, const Module &module, const SourceManager &sm) {
  Printer(os, sm).module(module);
}

} // namespace streamc
