#pragma once
/// \file
/// A program's logical plan: the operators, and the params it reads.

#include "plan/LogicalOperator.h"
#include "plan/PlanExpr.h"
#include <srt/host.h>

#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace streamc {

class ParamDecl;
class FnDecl;

class Plan {
public:
  /// Takes ownership of an operator and returns it.
  template <typename Op> Op *add(std::unique_ptr<Op> op) {
    Op *raw = op.get();
    operators_.push_back(std::move(op));
    return raw;
  }
  /// Destroys an operator no longer referenced by any other.
  void remove(LogicalOperator *op);
  /// Gives up ownership of an operator (to move it into a fused stage).
  std::unique_ptr<LogicalOperator> release(LogicalOperator *op);
  /// Gives up ownership of several operators at once (in creation order), in
  /// one pass over the plan.
  std::vector<std::unique_ptr<LogicalOperator>>
  release(const std::unordered_set<const LogicalOperator *> &ops);
  /// Replaces every use of \p from as an input by \p to.
  void replaceUses(LogicalOperator *from, LogicalOperator *to);

  const std::vector<std::unique_ptr<LogicalOperator>> &operators() const { return operators_; }
  /// The operators in a topological order (inputs first), stable with
  /// respect to creation order: the order dumps and passes use.
  std::vector<LogicalOperator *> topologicalOrder() const;
  /// The operators that read \p op's records.
  std::vector<LogicalOperator *> consumersOf(const LogicalOperator *op) const;
  /// consumersOf for every operator at once (one pass over the plan).
  std::unordered_map<const LogicalOperator *, std::vector<LogicalOperator *>> consumerMap() const;

  std::string fileName; ///< the main file, for dumps
  /// Every param the program declares, and the value of each for this
  /// compilation (absent: no default and none given).
  std::vector<const ParamDecl *> params;
  std::map<const ParamDecl *, Value> paramValues;
  /// The defaults that read other params (`param b = a * 2`), in dependency
  /// order: a built executable computes them at start-up unless the param
  /// itself was given.
  std::vector<std::pair<const ParamDecl *, PlanExprPtr>> paramDefaults;
  /// The bodies of the program's functions, for inlining: FnArg(i) is
  /// argument i.
  std::map<const FnDecl *, PlanExprPtr> functions;

  /// Every sink the program declares, used by a pipeline or not (the YAML
  /// config may name one as the dead-letter sink).
  struct DeclaredSink {
    std::string name, connectorName;
    srt_connector_kind connectorKind;
    std::map<std::string, Value> args;
    std::map<std::string, PlanExprPtr> argExprs;
  };
  std::vector<DeclaredSink> declaredSinks;

private:
  std::vector<std::unique_ptr<LogicalOperator>> operators_;
};

/// `--emit=plan` / `--emit=plan-opt`: one operator per line, `#id` numbers in
/// topological order, each with its inputs and `file:line:col`.
void printPlan(std::ostream &os, const Plan &plan, const SourceManager &sm);
/// `--emit=dot`: the pipeline graph for graphviz.
void printPlanDot(std::ostream &os, const Plan &plan);

/// Checks the plan's invariants; returns one message per violation.
std::vector<std::string> verifyPlan(const Plan &plan);

} // namespace streamc
