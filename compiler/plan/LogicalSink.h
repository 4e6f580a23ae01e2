#pragma once
/// \file
/// Writes records to a connector (`into <sink>`; standard output when a
/// pipeline has no `into`). One operator per sink, with every pipeline that
/// writes to it as an input.

#include "plan/LogicalOperator.h"
#include "sema/Value.h"
#include <srt/host.h>

#include <map>

namespace streamc {

class SinkDecl;

class LogicalSink : public LogicalOperator {
public:
  LogicalSink() : LogicalOperator(Kind::Sink) {}

  const SinkDecl *decl = nullptr; ///< null for the implicit standard output
  std::string sinkName;
  std::string connector;
  /// The connector's name and its constant arguments (see LogicalSource).
  std::string connectorName;
  srt_connector_kind connectorKind = SRT_CONNECTOR_NULL; ///< what codegen tells apart
  std::map<std::string, Value> args;
  /// The same arguments as expressions over literals and params: a built
  /// executable evaluates them at start-up, after `--param`.
  std::map<std::string, PlanExprPtr> argExprs;
  /// For each input: true if it sends a window's late records.
  std::vector<bool> lateInput;
  /// A Kafka sink's key, per input (null when there is none).
  std::vector<PlanExprPtr> keys;

  const char *name() const override { return "sink"; }
  std::string details() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Sink; }
};

} // namespace streamc
