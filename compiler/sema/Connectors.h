#pragma once
/// \file
/// The connectors of LANGUAGE.md §4: which roles each can play, its
/// arguments, and the fields each built-in generator provides.

#include "sema/Type.h"

#include <srt/host.h>

#include <string>
#include <vector>

namespace streamc {

enum class ConnectorRole { Source, Table, Sink };
const char *connectorRoleName(ConnectorRole r);

/// What an argument's value must be.
enum class ArgKind {
  String,     ///< a constant string
  Int,        ///< a constant i64
  Number,     ///< a constant i64 or f64
  RecordExpr, ///< an expression over the record (a Kafka sink's key)
};

struct ConnectorArgSpec {
  const char *name;
  ArgKind kind;
  bool required;
  bool positional; ///< may be written without its name (first argument)
  bool sinkOnly = false;
};

/// A connector as sema checks it, built from the runtime's connector list
/// (srt_connectors, srt/host.h): the arguments a program may give.
struct ConnectorSpec {
  const char *name;
  srt_connector_kind kind;
  std::vector<ConnectorArgSpec> args;
  const srt_connector_info *info; ///< roles, formats and capabilities
  /// Whether it can be used as a \p role.
  bool plays(ConnectorRole role) const;
  /// What it needs of a format in \p role (SRT_FORMAT_READ, ... flags; 0:
  /// it takes no format).
  unsigned formatUses(ConnectorRole role) const;
};

const ConnectorSpec *findConnector(const std::string &name);
/// The connector of kind \p kind (every kind has one).
const ConnectorSpec &connectorOfKind(srt_connector_kind kind);
std::vector<std::string> connectorNames();
/// "a, b, c".
std::string joined(const std::vector<std::string> &words);

/// The formats that serve \p uses (ConnectorSpec::formatUses). From the
/// runtime's list (srt_formats), so both agree.
std::vector<std::string> formatsFor(unsigned uses);
/// Why format \p name, which exists, is not among formatsFor(uses):
/// " ('table' is for sinks only)", or "".
std::string formatMisuse(const std::string &name, unsigned uses);
/// Whether every record a sink writes in format \p name must have the same
/// fields (a CSV header, a table's columns).
bool formatHasOneHeader(const std::string &name);
/// Whether a record in format \p name is exactly one string field (text).
bool formatIsOneString(const std::string &name);
/// The format of a connector that names none and whose path tells none.
std::string defaultFormat();
/// The format a file path implies by its extension ("" if none).
std::string formatFromExtension(const std::string &path);

/// A field a generator can fill.
struct GeneratorField {
  const char *name;
  TypeKind type;
};
/// The fields of generator \p kind, or nullptr for an unknown kind.
const std::vector<GeneratorField> *generatorFields(const std::string &kind);
std::vector<std::string> generatorKinds();

/// Kafka message metadata fields a Kafka source's schema may declare.
const std::vector<GeneratorField> &kafkaMetadataFields();

} // namespace streamc
