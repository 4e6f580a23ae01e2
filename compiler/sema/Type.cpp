#include "sema/Type.h"

namespace streamc {

const char *typeKindName(TypeKind k) {
  switch (k) {
  case TypeKind::Error:
    return "<error>";
  case TypeKind::Null:
    return "null";
  case TypeKind::Bool:
    return "bool";
  case TypeKind::I64:
    return "i64";
  case TypeKind::F64:
    return "f64";
  case TypeKind::String:
    return "string";
  case TypeKind::Timestamp:
    return "timestamp";
  case TypeKind::Duration:
    return "duration";
  case TypeKind::Record:
    return "record";
  }
  return "<error>";
}

std::string Type::str() const {
  std::string s = kind == TypeKind::Record && record && !record->name.empty()
                      ? record->name
                      : kind == TypeKind::Record && record ? record->structure()
                                                           : typeKindName(kind);
  if (nullable && kind != TypeKind::Null)
    s += '?';
  return s;
}

std::optional<TypeKind> typeKindFromName(const std::string &name) {
  static const TypeKind kinds[] = {TypeKind::Bool,   TypeKind::I64,       TypeKind::F64,
                                   TypeKind::String, TypeKind::Timestamp, TypeKind::Duration};
  for (TypeKind k : kinds)
    if (name == typeKindName(k))
      return k;
  return std::nullopt;
}

std::vector<std::string> allTypeNames() {
  return {"bool", "i64", "f64", "string", "timestamp", "duration"};
}

std::optional<Type> unifyTypes(Type a, Type b) {
  if (a.isError() || b.isError())
    return Type::error();
  if (a.isNullLiteral())
    return b.withNullable(true);
  if (b.isNullLiteral())
    return a.withNullable(true);
  bool n = a.nullable || b.nullable;
  if (a.isRecord() || b.isRecord()) // one schema's records only
    return a.isRecord() && b.isRecord() && a.record == b.record ? std::optional(a.withNullable(n))
                                                                : std::nullopt;
  if (a.kind == b.kind)
    return Type(a.kind, n);
  if (a.isNumeric() && b.isNumeric())
    return Type::f64(n);
  return std::nullopt;
}

int RecordType::indexOf(const std::string &name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name)
      return static_cast<int>(i);
  return -1;
}

std::vector<std::string> RecordType::names() const {
  std::vector<std::string> out;
  for (const Field &f : fields)
    out.push_back(f.name);
  return out;
}

std::string RecordType::str() const {
  std::string s = "{";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i)
      s += ", ";
    // A field whose definition has an error (reported there) shows no type.
    s += fields[i].type.isError() ? fields[i].name : fields[i].name + ": " + fields[i].type.str();
  }
  return s + "}";
}

std::string RecordType::structure() const {
  std::string s = "{";
  for (size_t i = 0; i < fields.size(); ++i) {
    const Type &t = fields[i].type;
    s += (i ? ", " : "") + fields[i].name + ": " +
         (t.isRecord() && t.record ? t.record->structure() + (t.nullable ? "?" : "") : t.str());
  }
  return s + "}";
}

} // namespace streamc
