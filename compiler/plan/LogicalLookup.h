#pragma once
/// \file
/// Stream–table join (`lookup <table> on <key> [or null]`).

#include "plan/LogicalOperator.h"
#include "sema/Value.h"

#include <map>

namespace streamc {

class TableDecl;

class LogicalLookup : public LogicalOperator {
public:
  LogicalLookup() : LogicalOperator(Kind::Lookup) {}

  const TableDecl *table = nullptr;
  std::string tableName;
  std::string connector;
  /// The table's constant connector arguments (see LogicalSource).
  std::map<std::string, Value> args;
  std::map<std::string, PlanExprPtr> argExprs;
  RecordTypeRef tableType;
  int tableKeyField = -1;
  PlanExprPtr key;            ///< over the input record
  bool keepUnmatched = false; ///< `or null`

  const char *name() const override { return "lookup"; }
  std::string details() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Lookup; }
};

} // namespace streamc
