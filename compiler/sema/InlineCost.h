#pragma once
/// \file
/// The size of an expression once every `fn` call in it is inlined. Calls
/// nest: `fn f1(x) = f0(f0(x))` doubles what f0 costs, so thirty such
/// functions expand to a billion nodes; sema refuses a call whose expansion
/// is over kMaxInlinedSize instead of letting the inliner exhaust memory.

#include "ast/AST.h"

#include <set>
#include <unordered_map>
#include <vector>

namespace streamc {

/// Expansions larger than this are compile errors.
constexpr double kMaxInlinedSize = 1e6;

class InlineCost {
public:
  /// The number of nodes \p e expands to, each parameter of the fn it is in
  /// (if any) counted as one node.
  double of(const Expr &e);
  /// The expansion of a call of \p fn with these argument sizes.
  double ofCall(const FnDecl &fn, const std::vector<double> &argSizes);

private:
  /// An expansion size as a linear function of the enclosing fn's
  /// parameter sizes: c + sum(k[i] * size(param i)). A parameter used twice
  /// copies its argument twice.
  struct Form {
    double c = 0;
    std::vector<double> k;
  };
  const Form &formOf(const FnDecl &fn);
  Form formOfExpr(const Expr &e, size_t params);
  static void addScaled(Form &into, const Form &f, double scale);

  std::unordered_map<const FnDecl *, Form> forms_;
  std::set<const FnDecl *> visiting_; ///< recursion is reported by sema
};

} // namespace streamc
