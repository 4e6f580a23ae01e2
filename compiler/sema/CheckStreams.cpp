/// \file
/// Semantic analysis of the stages that read other streams besides their own
/// (`union`).
#include "sema/Sema.h"

#include "ast/AST.h"

namespace streamc {

RecordTypeRef Sema::checkUnion(const UnionStage &u, const RecordTypeRef &in, StreamInfo &info,
                               const std::string &fromName) {
  auto out = std::make_shared<RecordType>(*in);
  bool ok = true;
  auto fieldList = [](const RecordType &r) {
    std::string s;
    for (const Field &f : r.fields)
      s += (s.empty() ? "" : ", ") + f.name;
    return "(" + s + ")";
  };
  for (const UnionStage::Input &input : u.inputs) {
    const StreamInfo *other = streamFor(input.name, input.range);
    if (!other || !other->type) {
      ok = false;
      continue;
    }
    const RecordType &rec = *other->type;
    std::string cannot = "cannot union '" + input.name + "' with '" + fromName + "': ";
    if (rec.fields.size() != in->fields.size()) {
      diags_.error(input.range, cannot + "it has " + std::to_string(rec.fields.size()) +
                                    " fields " + fieldList(rec) + ", '" + fromName + "' has " +
                                    std::to_string(in->fields.size()) + " " + fieldList(*in));
      ok = false;
      continue;
    }
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      const Field &theirs = rec.fields[i];
      Field &ours = out->fields[i];
      if (theirs.type.isError() || ours.type.isError()) {
        ok = false;
        break;
      }
      if (theirs.name != ours.name) {
        diags_.error(input.range,
                     cannot + "its field " + std::to_string(i + 1) + " is '" + theirs.name +
                         "', where '" + fromName + "' has '" + ours.name +
                         "' (a union's inputs have the same fields in the same order)");
        ok = false;
        break;
      }
      if (theirs.type.kind != ours.type.kind) {
        diags_.error(input.range, cannot + "field '" + ours.name + "' is " + theirs.type.str() +
                                      " there and " + in->fields[i].type.str() + " in '" +
                                      fromName + "'");
        ok = false;
        break;
      }
      ours.type = ours.type.withNullable(ours.type.nullable || theirs.type.nullable); // T, T? -> T?
    }
    if (ok && other->eventTime != info.eventTime)
      diags_.error(input.range, cannot + "'" + (other->eventTime ? fromName : input.name) +
                                    "' runs on processing time and '" +
                                    (other->eventTime ? input.name : fromName) +
                                    "' on event time; declare 'with event_time = <field>' on the "
                                    "sources of both, or of neither");
  }
  return ok ? out : nullptr;
}

} // namespace streamc
