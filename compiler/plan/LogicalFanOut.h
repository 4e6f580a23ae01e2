#pragma once
/// \file
/// Sends every record of its input to several consumers: a source or `let`
/// read by more than one pipeline is read once.

#include "plan/LogicalOperator.h"

namespace streamc {

class LogicalFanOut : public LogicalOperator {
public:
  LogicalFanOut() : LogicalOperator(Kind::FanOut) {}
  std::string streamName; ///< the source or let being shared
  int consumers = 0;

  const char *name() const override { return "fan-out"; }
  std::string details() const override {
    return streamName + " to " + std::to_string(consumers) + " consumers";
  }
  static bool classof(const LogicalOperator *o) { return o->kind() == Kind::FanOut; }
};

} // namespace streamc
