/// \file
/// The one-line descriptions of the operators, as dumps show them.

#include "ast/AstPrinter.h"
#include "plan/LogicalDistinct.h"
#include "plan/LogicalFused.h"
#include "plan/LogicalJoin.h"
#include "plan/LogicalLookup.h"
#include "plan/LogicalOver.h"
#include "plan/LogicalSink.h"
#include "plan/LogicalSource.h"
#include "plan/LogicalTop.h"
#include "plan/LogicalUnion.h"
#include "plan/LogicalUnnest.h"
#include "plan/LogicalWindowAggregate.h"

namespace streamc {

std::string LogicalSource::details() const {
  std::string s = sourceName + " = " + connector;
  if (eventTimeField >= 0)
    s += " event_time=" + output->fields[eventTimeField].name +
         " max_delay=" + formatDuration(maxDelayMs);
  else
    s += " processing_time";
  if (idleTimeoutMs > 0)
    s += " idle_timeout=" + formatDuration(idleTimeoutMs);
  return s;
}

std::vector<std::string> LogicalSource::extraLines() const {
  std::string reads = "reads {";
  bool first = true;
  for (size_t i = 0; i < output->fields.size(); ++i)
    if (readFields.empty() || readFields[i]) {
      std::string paths;
      if (i < readPaths.size())
        for (const std::string &p : readPaths[i])
          paths += (paths.empty() ? "" : ", ") + p;
      reads += (first ? "" : ", ") + output->fields[i].name + (paths.empty() ? "" : ".{" + paths + "}");
      first = false;
    }
  reads += "}";
  size_t n = 0;
  for (size_t i = 0; i < output->fields.size(); ++i)
    n += readFields.empty() || readFields[i];
  reads += " (" + std::to_string(n) + " of " + std::to_string(output->fields.size()) + " fields)";
  return {"schema " + output->str(), reads};
}

namespace {
/// "agg0 = count() : i64" per aggregate, then "emit {...}" (a window's and
/// an extend over's extra lines).
std::vector<std::string> aggregateLines(const std::vector<AggregateCall> &aggregates,
                                        const std::vector<std::string> &entryNames,
                                        const std::vector<PlanExprPtr> &entries) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const AggregateCall &a = aggregates[i];
    std::string args;
    for (size_t j = 0; j < a.args.size(); ++j)
      args += (j ? ", " : "") + a.args[j]->str();
    lines.push_back("agg" + std::to_string(i) + " = " + a.fn->name + "(" + args +
                    ") : " + a.type.str());
  }
  lines.push_back("emit " + namedExprList(entryNames, entries));
  return lines;
}
} // namespace

std::string LogicalWindowAggregate::details() const {
  std::string s;
  switch (window) {
  case WindowKind::Tumbling:
    s = "tumbling(" + formatDuration(sizeMs) + ")";
    break;
  case WindowKind::Sliding:
    s = "sliding(" + formatDuration(sizeMs) + ", " + formatDuration(slideMs) + ")";
    break;
  case WindowKind::Session:
    s = "session(" + formatDuration(sizeMs) + ")";
    break;
  case WindowKind::Count:
    s = "count(" + std::to_string(count) + ")";
    break;
  case WindowKind::All:
    s = "all";
    break;
  }
  if (!keys.empty())
    s += " by " + namedExprList(keyNames, keys);
  s += eventTime ? " event_time" : " processing_time";
  return s;
}

std::vector<std::string> LogicalWindowAggregate::extraLines() const {
  std::vector<std::string> lines = aggregateLines(aggregates, entryNames, entries);
  lines.push_back(describeAggregateState(aggregates, keys.empty() ? "window" : "key and window"));
  return lines;
}

std::string LogicalLookup::details() const {
  return tableName + " = " + connector + " on " + key->str() +
         " == " + tableType->fields[tableKeyField].name + (keepUnmatched ? " or null" : "");
}

std::string LogicalUnnest::details() const {
  return field + " = split(" + string->str() + ", " + Value::string(separator).str() + ")";
}

std::string LogicalDistinct::details() const {
  std::string keyList;
  for (size_t i = 0; i < keys.size(); ++i)
    keyList += (i ? ", " : "") + keys[i]->str();
  return "by " + keyList + " within " + formatDuration(withinMs);
}

std::string LogicalOver::details() const {
  std::string s = frame == FrameKind::Rows    ? "rows(" + std::to_string(rows) + ")"
                  : frame == FrameKind::Range ? "range(" + formatDuration(rangeMs) + ")"
                                              : "unbounded";
  for (size_t i = 0; i < keys.size(); ++i)
    s += (i ? ", " : " by ") + keys[i]->str();
  return s + (eventTime ? " event_time" : " processing_time");
}

std::vector<std::string> LogicalOver::extraLines() const {
  std::vector<std::string> lines = aggregateLines(aggregates, entryNames, entries);
  std::string per = keys.empty() ? "stream" : "key";
  if (frame == FrameKind::Unbounded)
    lines.push_back(describeAggregateState(aggregates, per));
  else
    lines.push_back(
        "state: " +
        (frame == FrameKind::Rows ? "the last " + std::to_string(rows) + " records"
                                  : "the records of the last " + formatDuration(rangeMs)) +
        " per " + per +
        (twoStacks() ? ", each with a partial aggregate of " : ", folded per record into ") +
        std::to_string(aggregateStateBytes(aggregates).first) + " bytes");
  if (eventTime)
    lines.push_back("reorder buffer: the records the watermark has not reached");
  return lines;
}

std::string LogicalTop::details() const {
  std::string s = std::to_string(n) + " by " + order->str() + (descending ? " desc" : " asc");
  for (size_t i = 0; i < per.size(); ++i)
    s += (i ? ", " : " per ") + per[i]->str();
  return s + (wholeInput ? " over the whole input" : " per window");
}

std::vector<std::string> LogicalDistinct::extraLines() const {
  return {"state: the event times kept per key, each forgotten once the watermark is " +
          formatDuration(withinMs) + " past it"};
}

std::vector<std::string> LogicalTop::extraLines() const {
  return {"state: the " + std::to_string(n) + " best rows (copies) per " +
          (wholeInput ? "" : "window and ") + (per.empty() ? "input" : "key")};
}

std::string LogicalJoin::details() const {
  std::string interval =
      unbounded()           ? "unbounded"
      : beforeMs == afterMs ? formatDuration(beforeMs)
                            : "(" + formatDuration(beforeMs) + ", " + formatDuration(afterMs) + ")";
  return otherName + " on " + condition->str() + " within " + interval;
}

namespace {
/// 0: reads only this side's fields; 1: only the other side's; -1: both,
/// or neither (a constant).
int joinSide(const PlanExpr &e) {
  bool self = false, other = false;
  e.walk([&](const PlanExpr &x) {
    self |= x.kind == PlanExpr::Kind::Field;
    other |= x.kind == PlanExpr::Kind::OtherField;
  });
  return self == other ? -1 : self ? 0 : 1;
}

void conjuncts(const PlanExpr &e, std::vector<const PlanExpr *> &out) {
  if (e.kind == PlanExpr::Kind::Binary && e.binaryOp == BinaryOp::And) {
    conjuncts(*e.children[0], out);
    conjuncts(*e.children[1], out);
  } else {
    out.push_back(&e);
  }
}
} // namespace

LogicalJoin::Split LogicalJoin::split() const {
  Split s;
  std::vector<const PlanExpr *> all;
  conjuncts(*condition, all);
  for (const PlanExpr *c : all) {
    if (c->kind == PlanExpr::Kind::Binary && c->binaryOp == BinaryOp::Eq) {
      const PlanExpr &l = *c->children[0], &r = *c->children[1];
      int ls = joinSide(l), rs = joinSide(r);
      if (ls >= 0 && rs >= 0 && ls != rs && l.type.kind == r.type.kind) {
        s.selfKeys.push_back(ls == 0 ? &l : &r);
        s.otherKeys.push_back(ls == 0 ? &r : &l);
        continue;
      }
    }
    if (!(c->isConst() && !c->value.isNull() && c->value.asBool())) // `true` checks nothing
      s.residual.push_back(c);
  }
  return s;
}

std::vector<std::string> LogicalJoin::extraLines() const {
  Split s = split();
  std::string key, rest;
  for (size_t i = 0; i < s.selfKeys.size(); ++i)
    key += (i ? ", " : "") + s.selfKeys[i]->str() + " == " + s.otherKeys[i]->str();
  for (size_t i = 0; i < s.residual.size(); ++i)
    rest += (i ? " and " : "") + s.residual[i]->str();
  return {"key " + (key.empty() ? std::string("none (nested loop)") : key),
          "residual " + (rest.empty() ? std::string("none") : rest)};
}

std::string LogicalUnion::details() const {
  std::string s;
  for (const std::string &n : inputNames)
    s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::string LogicalSink::details() const {
  std::string s = sinkName + " = " + connector;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i])
      s += " key[" + std::to_string(i) + "]=" + keys[i]->str();
  return s;
}

std::vector<std::string> LogicalFused::extraLines() const {
  std::vector<std::string> lines;
  for (const auto &step : steps)
    lines.push_back(std::string(step->name()) + " " + step->details());
  return lines;
}

} // namespace streamc
