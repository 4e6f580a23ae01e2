#pragma once
/// \file
/// Reads records from a connector (`source` declarations).

#include "plan/LogicalOperator.h"

#include <set>
#include <string>
#include "sema/Value.h"
#include <srt/host.h>

#include <map>

namespace streamc {

class SourceDecl;

class LogicalSource : public LogicalOperator {
public:
  LogicalSource() : LogicalOperator(Kind::Source) {}

  const SourceDecl *decl = nullptr;
  std::string sourceName;
  std::string connector; ///< e.g. `file("data/clicks.csv", format: "csv")`
  /// The connector's name and its arguments' values (computed at compile
  /// time; a positional argument under its spec name, e.g. "path"), with
  /// the format filled in when it was left to the default.
  std::string connectorName;
  srt_connector_kind connectorKind = SRT_CONNECTOR_NULL; ///< what codegen tells apart
  std::map<std::string, Value> args;
  /// The same arguments as expressions over literals and params: a built
  /// executable evaluates them at start-up, after `--param`.
  std::map<std::string, PlanExprPtr> argExprs;
  int eventTimeField = -1; ///< -1: processing time
  int64_t maxDelayMs = 0;
  /// `max_delay` as written (null when absent): a built executable computes
  /// it at start-up, so a param in it follows `--param`.
  PlanExprPtr maxDelay;
  /// `idle_timeout`: after this long without a record the source no longer
  /// holds back the watermark of the stages it feeds (0: never).
  int64_t idleTimeoutMs = 0;
  /// Which fields any later operator reads (set by projection pruning; all
  /// true until then). The reader parses only these.
  std::vector<bool> readFields;
  /// For a nested record field read only through some of its fields
  /// (`geo.city`): their dotted paths within it ("city", "pos.lat"); empty:
  /// the whole record (or not a record). The reader parses only these.
  std::vector<std::set<std::string>> readPaths;

  const char *name() const override { return "source"; }
  std::string details() const override;
  std::vector<std::string> extraLines() const override;
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::Source; }
};

} // namespace streamc
