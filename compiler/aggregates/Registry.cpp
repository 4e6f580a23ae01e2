/// \file
/// The list of aggregates: each is defined in a file of its own in this
/// folder, as a function returning its one entry.

#include "aggregates/Aggregate.h"

#include <cstring>

namespace streamc {

// One line per aggregate: X(fnName) names `const AggregateFunction &fnName()`.
#define STREAMC_AGGREGATES(X)                                                                      \
  X(countAggregate)                                                                                \
  X(sumAggregate)                                                                                  \
  X(avgAggregate)                                                                                  \
  X(minAggregate)                                                                                  \
  X(maxAggregate)                                                                                  \
  X(firstAggregate)                                                                                \
  X(lastAggregate)                                                                                 \
  X(varianceAggregate)                                                                             \
  X(stddevAggregate)                                                                               \
  X(countDistinctAggregate)                                                                        \
  X(approxCountDistinctAggregate)                                                                  \
  X(percentileAggregate)                                                                           \
  X(medianAggregate)                                                                               \
  X(regrSlopeAggregate)                                                                            \
  X(regrInterceptAggregate)                                                                        \
  X(regrR2Aggregate)                                                                               \
  X(corrAggregate)                                                                                 \
  X(covarSampAggregate)                                                                            \
  X(covarPopAggregate)                                                                             \
  X(ewmaAggregate)                                                                                 \
  X(argMaxAggregate)                                                                               \
  X(argMinAggregate)                                                                               \
  X(zscoreAggregate)                                                                               \
  X(linregPredictAggregate)                                                                        \
  X(logregPredictAggregate)                                                                        \
  X(kmeansAssignAggregate)

#define STREAMC_DECLARE(fn) const AggregateFunction &fn();
STREAMC_AGGREGATES(STREAMC_DECLARE)
#undef STREAMC_DECLARE

namespace {

const std::vector<const AggregateFunction *> &all() {
#define STREAMC_ENTRY(fn) &fn(),
  static const std::vector<const AggregateFunction *> entries = {STREAMC_AGGREGATES(STREAMC_ENTRY)};
#undef STREAMC_ENTRY
  return entries;
}

} // namespace

const AggregateFunction *findAggregateNamed(const std::string &name) {
  for (const AggregateFunction *a : all())
    if (name == a->name)
      return a;
  return nullptr;
}

const AggregateFunction *findAggregate(const std::string &name, size_t arity) {
  const AggregateFunction *a = findAggregateNamed(name);
  int n = static_cast<int>(arity);
  return a && n >= a->minArgs && n <= a->maxArgs ? a : nullptr;
}

std::vector<std::string> aggregateNames() {
  std::vector<std::string> names;
  for (const AggregateFunction *a : all())
    names.push_back(a->name);
  return names;
}

} // namespace streamc
