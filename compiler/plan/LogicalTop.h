#pragma once
/// \file
/// `top <n> by <order> [asc|desc] [per <keys>]` over a window's results:
/// per group (the rows of one window, with `per` also of one key) the n
/// best rows, emitted ranked (`rank: i64` appended) once the stage's
/// watermark passes the window's end; ties by the row's fields, ascending.
/// The runtime keeps each group's n best rows (runtime/src/top/Top.cpp).

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalTop : public LogicalOperator {
public:
  LogicalTop() : LogicalOperator(Kind::Top) {}

  int64_t n = 0;
  /// The count as written: a built executable computes it again at
  /// start-up, so a param in it follows `--param`.
  PlanExprPtr count;
  PlanExprPtr order; ///< over the input record
  bool descending = true;
  std::vector<PlanExprPtr> per; ///< over the input record
  /// Over `window all`: a group is every row (of its `per` values), ready
  /// at the end of the input.
  bool wholeInput = false;
  /// The input's `window_start` field, which tells windows with the same
  /// end apart, or -1 when a select dropped it.
  int startField = -1;
  /// `file:line:col`, naming it in messages.
  std::string where;

  const char *name() const override { return "top"; }
  std::string details() const override;
  std::vector<std::string> extraLines() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Top; }
};

} // namespace streamc
