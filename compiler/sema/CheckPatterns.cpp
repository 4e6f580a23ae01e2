/// \file
/// The checks of the regular-expression built-ins (LANGUAGE.md §7): the
/// pattern is a constant string that RE2 compiles, a constant group of
/// regexp_extract exists, a constant replacement of regexp_replace refers
/// only to groups the pattern has. RE2 checks them exactly as the runtime
/// will compile them (srt_regex_check).

#include "sema/Builtins.h"
#include "sema/Sema.h"

#include <srt/host.h>

namespace streamc {

bool Sema::checkPatternCall(const CallExpr &e) {
  const Expr &patternArg = *e.args[kPatternArg];
  EvalResult pattern = evaluate(patternArg);
  if (!pattern.value || pattern.value->isNull()) {
    diags_.error(patternArg.range(),
                 !pattern.error.empty() ? pattern.error
                 : pattern.value ? "the pattern of '" + e.callee + "' must be a string, not null"
                                 : "the pattern of '" + e.callee +
                                       "' must be a constant string: it is compiled once, when "
                                       "the program starts");
    return false;
  }
  const std::string &text = pattern.value->asString();
  char why[256];
  int32_t groups = srt_regex_check(text.data(), static_cast<int64_t>(text.size()), why, sizeof why);
  if (groups < 0) {
    diags_.error(patternArg.range(), std::string("invalid regular expression: ") + why);
    return false;
  }
  if (e.builtin->id == BuiltinId::RegexpExtract) {
    EvalResult group = evaluate(*e.args[2]);
    if (group.value && !group.value->isNull() &&
        (group.value->asInt() < 0 || group.value->asInt() > groups)) {
      diags_.error(e.args[2]->range(), "there is no group " + std::to_string(group.value->asInt()) +
                                           ": the pattern has " + std::to_string(groups) +
                                           " group" + (groups == 1 ? "" : "s") +
                                           " (0 is the whole match)");
      return false;
    }
  }
  if (e.builtin->id == BuiltinId::RegexpReplace) {
    EvalResult rewrite = evaluate(*e.args[2]);
    if (rewrite.value && !rewrite.value->isNull()) {
      const std::string &r = rewrite.value->asString();
      if (!srt_regex_check_rewrite(text.data(), static_cast<int64_t>(text.size()), r.data(),
                                   static_cast<int64_t>(r.size()), why, sizeof why)) {
        diags_.error(e.args[2]->range(), std::string("invalid replacement: ") + why);
        return false;
      }
    }
  }
  return true;
}

} // namespace streamc
