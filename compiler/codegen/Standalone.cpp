// The params, help text and `main` of a built executable.
#include "codegen/Generator.h"

#include "ast/AST.h"

namespace streamc::codegen_detail {

void Generator::createParamGlobals() {
  for (const ParamDecl *p : plan_.params) {
    Type t = p->type->resolved;
    auto it = plan_.paramValues.find(p);
    bool has = it != plan_.paramValues.end();
    llvm::Type *ty = t.kind == TypeKind::Bool ? rt_.i8 : rt_.valueType(t.kind);
    llvm::Constant *init = llvm::Constant::getNullValue(ty);
    bool isNull = !has || it->second.isNull();
    if (has && !it->second.isNull()) {
      const Value &v = it->second;
      switch (t.kind) {
      case TypeKind::Bool:
        init = b_.getInt8(v.asBool());
        break;
      case TypeKind::F64:
        init = llvm::ConstantFP::get(rt_.f64, v.asDouble());
        break;
      case TypeKind::String:
        init = llvm::ConstantStruct::get(
            rt_.strTy,
            {rt_.cstring(v.asString()), b_.getInt64(static_cast<int64_t>(v.asString().size()))});
        break;
      default:
        init = b_.getInt64(v.asInt());
        break;
      }
    }
    auto *value = new llvm::GlobalVariable(*module_, ty, false, llvm::GlobalValue::InternalLinkage,
                                           init, "param." + p->name);
    auto *null =
        new llvm::GlobalVariable(*module_, rt_.i8, false, llvm::GlobalValue::InternalLinkage,
                                 b_.getInt8(isNull), "param." + p->name + ".null");
    paramGlobals_[p] = {value, null};
    paramGiven_[p] =
        new llvm::GlobalVariable(*module_, rt_.i8, false, llvm::GlobalValue::InternalLinkage,
                                 b_.getInt8(0), "param." + p->name + ".given");
  }
}

std::string Generator::helpText() const {
  std::string help = "Sources:\n";
  for (const LogicalSource *s : sources_)
    help += "  " + s->sourceName + " = " + s->connector + "\n    records " +
            s->output->structure() + "\n";
  help += "Sinks:\n";
  for (const LogicalSink *s : sinks_)
    help += "  " + s->sinkName + " = " + s->connector + "\n";
  help += "Params (set with --param name=value):\n";
  if (plan_.params.empty())
    help += "  (none)\n";
  for (const ParamDecl *p : plan_.params) {
    auto it = plan_.paramValues.find(p);
    help += "  " + p->name + ": " + p->type->resolved.str() +
            (it == plan_.paramValues.end() ? "  (required)" : " = " + it->second.str()) + "\n";
  }
  return help;
}

void Generator::emitStandaloneMain() {
  auto *paramTy = llvm::StructType::create(
      ctx_, {rt_.ptr, rt_.i32, rt_.i32, rt_.ptr, rt_.ptr, rt_.i32, rt_.ptr}, "srt_param");
  std::vector<llvm::Constant *> rows;
  for (const ParamDecl *p : plan_.params) {
    auto [value, null] = paramGlobals_.at(p);
    Type t = p->type->resolved;
    rows.push_back(llvm::ConstantStruct::get(
        paramTy,
        {rt_.cstring(p->name), b_.getInt32(runtimeType(t.kind)), b_.getInt32(t.nullable), value,
         null, b_.getInt32(plan_.paramValues.count(p) ? 1 : 0), paramGiven_.at(p)}));
  }
  auto *tableTy = llvm::ArrayType::get(paramTy, rows.size());
  auto *table =
      new llvm::GlobalVariable(*module_, tableTy, false, llvm::GlobalValue::InternalLinkage,
                               llvm::ConstantArray::get(tableTy, rows), "params");
  // The names a config may refer to.
  auto names = [&](const std::vector<std::string> &list, const char *name) {
    std::vector<llvm::Constant *> ptrs;
    for (const std::string &n : list)
      ptrs.push_back(rt_.cstring(n));
    auto *ty = llvm::ArrayType::get(rt_.ptr, ptrs.size());
    return new llvm::GlobalVariable(*module_, ty, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(ty, ptrs), name);
  };
  std::vector<std::string> sourceNames, sinkNames;
  for (const LogicalSource *src : sources_)
    sourceNames.push_back(src->sourceName);
  for (const Plan::DeclaredSink &d : plan_.declaredSinks)
    sinkNames.push_back(d.name);
  auto *programTy = llvm::StructType::create(
      ctx_, {rt_.ptr, rt_.ptr, rt_.ptr, rt_.i32, rt_.ptr, rt_.ptr, rt_.i32, rt_.ptr, rt_.i32},
      "srt_program");
  auto *program = new llvm::GlobalVariable(
      *module_, programTy, true, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantStruct::get(programTy, {rt_.cstring(plan_.fileName), rt_.cstring(helpText()),
                                            table, b_.getInt32(static_cast<uint32_t>(rows.size())),
                                            fn_, names(sourceNames, "source.names"),
                                            b_.getInt32(static_cast<uint32_t>(sourceNames.size())),
                                            names(sinkNames, "sink.names"),
                                            b_.getInt32(static_cast<uint32_t>(sinkNames.size()))}),
      "program");
  auto *mainTy = llvm::FunctionType::get(rt_.i32, {rt_.i32, rt_.ptr}, false);
  auto *main = llvm::Function::Create(mainTy, llvm::Function::ExternalLinkage, "main", *module_);
  llvm::IRBuilder<> mb(llvm::BasicBlock::Create(ctx_, "entry", main));
  mb.CreateRet(
      mb.CreateCall(rt_.fn(Abi::srt_aot_main), {main->getArg(0), main->getArg(1), program}));
}

} // namespace streamc::codegen_detail
