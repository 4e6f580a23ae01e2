#pragma once
/// \file
/// `union a, b`: the records of every input, each input in its own order.
/// inputs[0] is the stream the pipeline reads, then the named streams. The
/// inputs have the output's field names and kinds in order; an input field
/// may be `T` where the output's is `T?`.

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalUnion : public LogicalOperator {
public:
  LogicalUnion() : LogicalOperator(Kind::Union) {}

  /// The streams as the program names them, one per input.
  std::vector<std::string> inputNames;

  const char *name() const override { return "union"; }
  std::string details() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Union; }
};

} // namespace streamc
