#pragma once
/// \file
/// One record per piece of a string (`unnest <name> = split(<s>, <sep>)`):
/// each is the input record with field `name` set to the piece, a view into
/// the string (nothing is copied). A null string gives no record.

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalUnnest : public LogicalOperator {
public:
  LogicalUnnest() : LogicalOperator(Kind::Unnest) {}

  PlanExprPtr string;    ///< over the input record
  std::string separator; ///< constant, non-empty
  std::string field;     ///< the piece's field
  int fieldIndex = -1;   ///< its index in the output (the input's, when it replaces one)

  const char *name() const override { return "unnest"; }
  std::string details() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Unnest; }
};

} // namespace streamc
