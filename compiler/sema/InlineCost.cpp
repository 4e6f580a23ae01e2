#include "sema/InlineCost.h"

#include <algorithm>

namespace streamc {

using llvm::cast;

void InlineCost::addScaled(Form &into, const Form &f, double scale) {
  into.c += scale * f.c;
  if (into.k.size() < f.k.size())
    into.k.resize(f.k.size(), 0);
  for (size_t i = 0; i < f.k.size(); ++i)
    into.k[i] += scale * f.k[i];
}

const InlineCost::Form &InlineCost::formOf(const FnDecl &fn) {
  static const Form kEmpty;
  if (auto it = forms_.find(&fn); it != forms_.end())
    return it->second;
  if (!fn.body || !visiting_.insert(&fn).second)
    return kEmpty;
  Form f = formOfExpr(*fn.body, fn.params.size());
  visiting_.erase(&fn);
  return forms_[&fn] = std::move(f);
}

InlineCost::Form InlineCost::formOfExpr(const Expr &e, size_t params) {
  Form f;
  f.k.assign(params, 0);
  f.c = 1;
  auto add = [&](const Expr *child) {
    if (child)
      addScaled(f, formOfExpr(*child, params), 1);
  };
  switch (e.kind()) {
  case Expr::Kind::Name: {
    const auto &n = cast<NameExpr>(e);
    if (n.binding.kind == NameBinding::Kind::FnParam && n.binding.index >= 0 &&
        static_cast<size_t>(n.binding.index) < params) {
      f.c = 0; // the argument, substituted
      f.k[n.binding.index] = 1;
    }
    break;
  }
  case Expr::Kind::FieldAccess:
    add(cast<FieldAccessExpr>(e).base.get());
    break;
  case Expr::Kind::Unary:
    add(cast<UnaryExpr>(e).operand.get());
    break;
  case Expr::Kind::Binary:
    add(cast<BinaryExpr>(e).lhs.get());
    add(cast<BinaryExpr>(e).rhs.get());
    break;
  case Expr::Kind::In:
    add(cast<InExpr>(e).operand.get());
    for (const auto &item : cast<InExpr>(e).list)
      add(item.get());
    break;
  case Expr::Kind::IsNull:
    add(cast<IsNullExpr>(e).operand.get());
    break;
  case Expr::Kind::If:
    for (const auto &arm : cast<IfExpr>(e).arms) {
      add(arm.cond.get());
      add(arm.value.get());
    }
    add(cast<IfExpr>(e).elseExpr.get());
    break;
  case Expr::Kind::Call: {
    const auto &call = cast<CallExpr>(e);
    if (call.calleeKind != CalleeKind::Fn || !call.fn) {
      for (const auto &a : call.args)
        add(a.get());
      break;
    }
    // The callee's body, each parameter replaced by its argument.
    const Form &body = formOf(*call.fn);
    f.c = body.c;
    for (size_t i = 0; i < call.args.size(); ++i)
      addScaled(f, formOfExpr(*call.args[i], params), i < body.k.size() ? body.k[i] : 0);
    break;
  }
  default:
    break;
  }
  return f;
}

double InlineCost::of(const Expr &e) {
  Form f = formOfExpr(e, 0);
  return f.c;
}

double InlineCost::ofCall(const FnDecl &fn, const std::vector<double> &argSizes) {
  const Form &body = formOf(fn);
  double size = body.c;
  for (size_t i = 0; i < argSizes.size() && i < body.k.size(); ++i)
    size += body.k[i] * argSizes[i];
  return size;
}

} // namespace streamc
