#pragma once
/// \file
/// What names an expression may refer to where it appears (internal to sema).

#include "sema/Sema.h"

namespace streamc {

struct Sema::Scope {
  /// Fields visible by bare name (the current record); null in constant
  /// contexts (param defaults, connector arguments, window sizes).
  const RecordType *record = nullptr;
  /// In a join condition: the other side, reachable as `<otherName>.<field>`.
  const RecordType *other = nullptr;
  std::string selfName, otherName;
  /// In an `fn` body: its parameters.
  const FnDecl *fn = nullptr;

  enum class Agg {
    Forbidden, ///< aggregates are not allowed here
    Entry,     ///< an entry of `aggregate {}`: aggregates, keys and params
    Inside,    ///< the argument of an aggregate: record fields, no aggregate
  };
  Agg agg = Agg::Forbidden;
  /// In an Entry: the window's input record (fields usable inside aggregates).
  const RecordType *aggInput = nullptr;
  /// In an Entry of a window whose states merge: "a sliding window" or "a
  /// session window" (an aggregate must then be Mergeable).
  const char *mergingWindow = nullptr;
  /// In an item of `extend over`: its frame ("rows", "range", "unbounded");
  /// null in a window's aggregate block.
  const char *frame = nullptr;

  /// What a constant context is, for messages ("a connector argument").
  const char *constWhat = nullptr;
};

} // namespace streamc
