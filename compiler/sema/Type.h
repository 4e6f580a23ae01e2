#pragma once
/// \file
/// Value types of the language (LANGUAGE.md §2) and record types.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace streamc {

enum class TypeKind : uint8_t {
  Error, ///< poison: an expression whose type could not be computed
  Null,  ///< the type of the `null` literal; unifies with any T as T?
  Bool,
  I64,
  F64,
  String,
  Timestamp,
  Duration,
  Record, ///< a nested record: a field whose type is a schema (`geo: Geo?`)
};

struct RecordType;

/// A value type, possibly nullable: a scalar, or a record of a schema's
/// fields. A small value type.
struct Type {
  TypeKind kind = TypeKind::Error;
  bool nullable = false;
  /// Record: its fields (a schema's record type, owned by the schema).
  const RecordType *record = nullptr;

  constexpr Type() = default;
  constexpr Type(TypeKind k, bool n = false) : kind(k), nullable(n) {}
  static Type recordOf(const RecordType *r, bool n = false) {
    Type t(TypeKind::Record, n);
    t.record = r;
    return t;
  }

  static constexpr Type error() { return Type(TypeKind::Error); }
  static constexpr Type null() { return Type(TypeKind::Null, true); }
  static constexpr Type boolean(bool n = false) { return {TypeKind::Bool, n}; }
  static constexpr Type i64(bool n = false) { return {TypeKind::I64, n}; }
  static constexpr Type f64(bool n = false) { return {TypeKind::F64, n}; }
  static constexpr Type string(bool n = false) { return {TypeKind::String, n}; }
  static constexpr Type timestamp(bool n = false) { return {TypeKind::Timestamp, n}; }
  static constexpr Type duration(bool n = false) { return {TypeKind::Duration, n}; }

  bool isError() const { return kind == TypeKind::Error; }
  bool isNullLiteral() const { return kind == TypeKind::Null; }
  bool isNumeric() const { return kind == TypeKind::I64 || kind == TypeKind::F64; }
  bool isRecord() const { return kind == TypeKind::Record; }
  Type withNullable(bool n) const {
    Type t = *this;
    if (kind != TypeKind::Null)
      t.nullable = n;
    return t;
  }
  Type nonNull() const { return withNullable(false); }

  bool operator==(const Type &o) const {
    return kind == o.kind && nullable == o.nullable && record == o.record;
  }
  bool operator!=(const Type &o) const { return !(*this == o); }

  /// "i64", "string?", a record by its schema's name: "Geo?".
  std::string str() const;
};

/// Parses a type name ("i64", "timestamp", ...) without the `?`.
std::optional<TypeKind> typeKindFromName(const std::string &name);
const char *typeKindName(TypeKind k);
/// Every type name, for "did you mean" suggestions.
std::vector<std::string> allTypeNames();

/// The common type of two branches (if/coalesce/in): the same kind, a numeric
/// promotion, or one side `null`; nullopt when they do not unify.
std::optional<Type> unifyTypes(Type a, Type b);

/// A named, typed field of a record.
struct Field {
  std::string name;
  Type type;
};

/// The type of a record flowing between stages: an ordered list of fields.
struct RecordType {
  std::vector<Field> fields;
  /// The schema it is the record type of ("" for a stage's output).
  std::string name;

  /// Index of the field with this name, or -1.
  int indexOf(const std::string &name) const;
  const Field *find(const std::string &name) const {
    int i = indexOf(name);
    return i < 0 ? nullptr : &fields[i];
  }
  std::vector<std::string> names() const;
  /// "{ts: timestamp, url: string}"
  std::string str() const;
  /// With nested records spelled out: "{id: string, geo: {city: string}?}".
  std::string structure() const;
};

using RecordTypeRef = std::shared_ptr<const RecordType>;

} // namespace streamc
