#pragma once
/// \file
/// Stream–table join (`lookup <table> on <key> [or null]`).

#include "plan/LogicalOperator.h"

namespace streamc {

class TableDecl;

class LogicalLookup : public LogicalOperator {
public:
  LogicalLookup() : LogicalOperator(Kind::Lookup) {}

  const TableDecl *table = nullptr;
  std::string tableName;
  std::string connector;
  RecordTypeRef tableType;
  int tableKeyField = -1;
  PlanExprPtr key; ///< over the input record
  bool keepUnmatched = false; ///< `or null`

  const char *name() const override { return "lookup"; }
  std::string details() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Lookup; }
};

} // namespace streamc
