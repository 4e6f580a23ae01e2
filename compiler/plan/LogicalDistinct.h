#pragma once
/// \file
/// `distinct by <keys> within <d>`: passes a record on unless a record it
/// kept with the same key values lies at most d from it in event time
/// (first one wins). The runtime keeps each key's kept times
/// (runtime/src/dedup/Dedup.cpp) until the stage's watermark passes them by
/// d; a record behind its source's watermark is late (dropped, counted).

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalDistinct : public LogicalOperator {
public:
  LogicalDistinct() : LogicalOperator(Kind::Distinct) {}

  std::vector<PlanExprPtr> keys; ///< over the input record
  int64_t withinMs = 0;
  /// The duration as written: a built executable computes it again at
  /// start-up, so a param in it follows `--param`.
  PlanExprPtr within;
  /// `file:line:col`, naming it in the run summary.
  std::string where;

  const char *name() const override { return "distinct"; }
  std::string details() const override;
  std::vector<std::string> extraLines() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Distinct; }
};

} // namespace streamc
