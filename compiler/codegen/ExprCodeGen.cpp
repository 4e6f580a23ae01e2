#include "codegen/ExprCodeGen.h"

#include "sema/Evaluate.h"

#include <cassert>

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>

namespace streamc {

// ============================================================ RuntimeDecls

RuntimeDecls::RuntimeDecls(llvm::Module &module) : module_(module) {
  llvm::LLVMContext &c = module.getContext();
  voidTy = llvm::Type::getVoidTy(c);
  i1 = llvm::Type::getInt1Ty(c);
  i8 = llvm::Type::getInt8Ty(c);
  i32 = llvm::Type::getInt32Ty(c);
  i64 = llvm::Type::getInt64Ty(c);
  i128 = llvm::Type::getInt128Ty(c);
  f64 = llvm::Type::getDoubleTy(c);
  ptr = llvm::PointerType::get(c, 0);
  strTy = llvm::StructType::create(c, {ptr, i64}, "srt_str");
  fieldTy = llvm::StructType::create(c, {ptr, i32, i32, i32, i32, i32}, "srt_field");
  layoutTy = llvm::StructType::create(c, {i32, i32, ptr}, "srt_layout");
}

llvm::FunctionCallee RuntimeDecls::libcFn(const char *name, llvm::Type *ret,
                                          std::vector<llvm::Type *> args) {
  return module_.getOrInsertFunction(name, llvm::FunctionType::get(ret, args, false));
}

llvm::FunctionCallee RuntimeDecls::fn(Abi f) {
  // The kind tokens of abi.def, as this module's types.
  llvm::Type *void_ = voidTy;
  (void)void_;
#define SRT_UNPACK(...) __VA_ARGS__
  switch (f) {
#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params)                                      \
  case Abi::name:                                                                                  \
    return libcFn(#name, llvm_ret, {SRT_UNPACK llvm_params});
#include <srt/abi.def>
  }
#undef SRT_UNPACK
  llvm_unreachable("unknown runtime function");
}

llvm::CallInst *RuntimeDecls::call(llvm::IRBuilderBase &b, Abi f,
                                   llvm::ArrayRef<llvm::Value *> args) {
  llvm::FunctionCallee callee = fn(f);
  assert(callee.getFunctionType()->getNumParams() == args.size() &&
         "wrong number of arguments to a runtime function");
  return b.CreateCall(callee, args);
}

llvm::Constant *RuntimeDecls::cstring(const std::string &s) {
  auto it = strings_.find(s);
  if (it != strings_.end())
    return it->second;
  auto *init = llvm::ConstantDataArray::getString(module_.getContext(), s, true);
  auto *g = new llvm::GlobalVariable(module_, init->getType(), true,
                                     llvm::GlobalValue::PrivateLinkage, init, "str");
  g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return strings_[s] = g;
}

llvm::Type *RuntimeDecls::valueType(TypeKind kind) {
  switch (kind) {
  case TypeKind::Bool:
    return i1;
  case TypeKind::F64:
    return f64;
  case TypeKind::String:
    return strTy;
  case TypeKind::Record:
    return ptr; // where the record's fields are, in the record holding it
  default:
    return i64; // i64, timestamp, duration (and the type of `null`)
  }
}

// ============================================================ ExprCodeGen

llvm::Value *ExprCodeGen::zero(TypeKind kind) {
  return llvm::Constant::getNullValue(rt_.valueType(kind));
}

llvm::Value *ExprCodeGen::anyNull(std::initializer_list<Val> vals) {
  llvm::Value *n = b_.getFalse();
  for (const Val &v : vals)
    n = b_.CreateOr(n, v.null);
  return n;
}

void ExprCodeGen::rejectIf(llvm::Value *bad, const std::string &reason) {
  if (!env_.reject) // re-reading records already accepted (a frame's)
    return;
  auto *reject = block("reject");
  auto *ok = block("ok");
  b_.CreateCondBr(bad, reject, ok);
  b_.SetInsertPoint(reject);
  env_.reject(reason.c_str());
  b_.SetInsertPoint(ok);
}

llvm::Value *ExprCodeGen::overflowChecked(llvm::Intrinsic::ID op, llvm::Value *a, llvm::Value *b,
                                          llvm::Value *null, const std::string &reason) {
  llvm::Value *r = b_.CreateBinaryIntrinsic(op, a, b);
  rejectIf(b_.CreateAnd(b_.CreateNot(null), b_.CreateExtractValue(r, 1)), reason);
  return b_.CreateExtractValue(r, 0);
}

llvm::Value *ExprCodeGen::finiteChecked(llvm::Value *v, llvm::Value *null,
                                        const std::string &reason) {
  // |v| < inf is false for infinities and NaN alike.
  llvm::Value *magnitude = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
  llvm::Value *isFinite =
      b_.CreateFCmpOLT(magnitude, llvm::ConstantFP::getInfinity(rt_.f64));
  rejectIf(b_.CreateAnd(b_.CreateNot(null), b_.CreateNot(isFinite)), reason);
  return v;
}

llvm::AllocaInst *ExprCodeGen::strSlot() {
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  return eb.CreateAlloca(rt_.strTy, nullptr, "str.out");
}

Val ExprCodeGen::callStr(Abi f, std::vector<llvm::Value *> args, llvm::Value *null) {
  llvm::AllocaInst *out = strSlot();
  args.push_back(out);
  rt_.call(b_, f, args);
  return {b_.CreateLoad(rt_.strTy, out), null};
}

Val ExprCodeGen::parseString(Abi f, llvm::Type *type, Val str, llvm::Value *null) {
  // The runtime parses into an entry-block slot; text that does not parse
  // gives null.
  llvm::AllocaInst *out;
  {
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    out = eb.CreateAlloca(type, nullptr, "parsed");
  }
  llvm::Value *ok = b_.CreateCall(rt_.fn(f), {ptrOf(str.v), lenOf(str.v), out});
  return {b_.CreateLoad(type, out), b_.CreateOr(null, b_.CreateICmpEQ(ok, b_.getInt32(0)))};
}

llvm::Value *ExprCodeGen::strCompare(llvm::Value *a, llvm::Value *b) {
  return rt_.call(b_, Abi::srt_str_compare, {ptrOf(a), lenOf(a), ptrOf(b), lenOf(b)});
}

Val ExprCodeGen::loadField(llvm::Value *record, const RecordLayout &layout, const RecordType &type,
                           int index) {
  const FieldSlot &slot = layout.slots[index];
  TypeKind kind = type.fields[index].type.kind;
  llvm::Value *addr = b_.CreateConstInBoundsGEP1_64(rt_.i8, record, slot.offset);
  llvm::Value *v;
  if (kind == TypeKind::Record) // a nested record: its address
    v = addr;
  else if (kind == TypeKind::Bool)
    v = b_.CreateTrunc(b_.CreateLoad(rt_.i8, addr), rt_.i1);
  else
    v = b_.CreateLoad(rt_.valueType(kind), addr);
  llvm::Value *null = b_.getFalse();
  if (slot.nullOffset >= 0) {
    llvm::Value *flag =
        b_.CreateConstInBoundsGEP1_64(rt_.i8, record, static_cast<uint64_t>(slot.nullOffset));
    null = b_.CreateICmpNE(b_.CreateLoad(rt_.i8, flag), b_.getInt8(0));
    // A null string's slot may hold anything (readers do not write it);
    // make it empty so string helpers never read through it.
    if (kind == TypeKind::String)
      v = b_.CreateSelect(null, llvm::Constant::getNullValue(rt_.strTy), v);
  }
  return {v, null};
}

void ExprCodeGen::storeField(llvm::Value *record, const RecordLayout &layout,
                             const RecordType &type, int index, Val v) {
  const FieldSlot &slot = layout.slots[index];
  TypeKind kind = type.fields[index].type.kind;
  llvm::Value *addr = b_.CreateConstInBoundsGEP1_64(rt_.i8, record, slot.offset);
  llvm::Value *value = v.v;
  if (value->getType() != rt_.valueType(kind)) // a `null` constant
    value = zero(kind);
  uint64_t recordSize =
      kind == TypeKind::Record ? RecordLayout::of(*type.fields[index].type.record).size : 0;
  if (kind == TypeKind::Record && llvm::isa<llvm::ConstantPointerNull>(value))
    b_.CreateMemSet(addr, b_.getInt8(0), recordSize, llvm::MaybeAlign(8)); // a null record
  else if (kind == TypeKind::Record) // a nested record: its fields, null flags and all
    b_.CreateMemCpy(addr, llvm::MaybeAlign(8), value, llvm::MaybeAlign(8), recordSize);
  else if (kind == TypeKind::Bool)
    b_.CreateStore(b_.CreateZExt(value, rt_.i8), addr);
  else
    b_.CreateStore(value, addr);
  if (slot.nullOffset >= 0) {
    llvm::Value *flag =
        b_.CreateConstInBoundsGEP1_64(rt_.i8, record, static_cast<uint64_t>(slot.nullOffset));
    b_.CreateStore(b_.CreateZExt(v.null, rt_.i8), flag);
  }
}

/// True if \p e is an operator or built-in that is null when an operand is,
/// applied to the null literal: it is then null whatever else it computes
/// (the literal has no value of the operand's type to compute with).
static bool appliedToNullLiteral(const PlanExpr &e) {
  bool propagates =
      e.kind == PlanExpr::Kind::Unary ||
      (e.kind == PlanExpr::Kind::Binary && e.binaryOp != BinaryOp::And &&
       e.binaryOp != BinaryOp::Or) ||
      (e.kind == PlanExpr::Kind::Call && e.builtin != BuiltinId::Coalesce);
  if (!propagates || e.type.isNullLiteral())
    return false;
  for (const auto &c : e.children)
    if (c->isConst() && c->type.isNullLiteral())
      return true;
  return false;
}

Val ExprCodeGen::emit(const PlanExpr &e) {
  if (appliedToNullLiteral(e)) {
    PlanExpr null(PlanExpr::Kind::Const, e.type, e.range);
    null.value = Value::null(e.type);
    return constant(null);
  }
  switch (e.kind) {
  case PlanExpr::Kind::Const:
    return constant(e);
  case PlanExpr::Kind::Field:
    return loadField(env_.record, *env_.layout, *env_.type, e.index);
  case PlanExpr::Kind::Param: {
    if (env_.params) { // a built executable: the value set at start-up
      auto [value, null] = env_.params->at(e.param);
      llvm::Type *ty = e.type.kind == TypeKind::Bool ? rt_.i8 : rt_.valueType(e.type.kind);
      llvm::Value *v = b_.CreateLoad(ty, value);
      if (e.type.kind == TypeKind::Bool)
        v = b_.CreateTrunc(v, rt_.i1);
      return {v, b_.CreateICmpNE(b_.CreateLoad(rt_.i8, null), b_.getInt8(0))};
    }
    // Under the JIT params were inlined as constants; any left are constant.
    auto it = plan_.paramValues.find(e.param);
    PlanExpr c(PlanExpr::Kind::Const, e.type, e.range);
    if (it != plan_.paramValues.end())
      c.value = it->second;
    else
      c.value = Value::null(e.type);
    return constant(c);
  }
  case PlanExpr::Kind::FnArg:
    return (*env_.fnArgs)[e.index];
  case PlanExpr::Kind::Unary:
    return unary(e);
  case PlanExpr::Kind::Binary:
    return e.binaryOp == BinaryOp::And || e.binaryOp == BinaryOp::Or ? logical(e) : binary(e);
  case PlanExpr::Kind::IsNull: {
    Val v = emit(*e.children[0]);
    return {e.negated ? b_.CreateNot(v.null) : v.null, b_.getFalse()};
  }
  case PlanExpr::Kind::If:
    return ifExpr(e);
  case PlanExpr::Kind::In:
    return in(e);
  case PlanExpr::Kind::Call:
    return e.builtin == BuiltinId::Coalesce ? coalesce(e) : call(e);
  case PlanExpr::Kind::FnCall:
    return fnCall(e);
  case PlanExpr::Kind::AggRef:
    return (*env_.aggregates)[e.index];
  case PlanExpr::Kind::OtherField: // a join's other side
    return loadField(env_.other, *env_.otherLayout, *env_.otherType, e.index);
  case PlanExpr::Kind::Member: { // a field of a nested record: null with it
    Val record = emit(*e.children[0]);
    const RecordType &type = *e.children[0]->type.record;
    Val f = loadField(record.v, RecordLayout::of(type), type, e.index);
    return {f.v, b_.CreateOr(record.null, f.null)};
  }
  }
  return {zero(e.type.kind), b_.getTrue()};
}

Val ExprCodeGen::constant(const PlanExpr &e) {
  const Value &v = e.value;
  TypeKind kind = e.type.kind;
  if (v.isNull())
    return {zero(kind), b_.getTrue()};
  switch (v.type.kind) {
  case TypeKind::Bool:
    return {b_.getInt1(v.asBool()), b_.getFalse()};
  case TypeKind::F64:
    return {llvm::ConstantFP::get(rt_.f64, v.asDouble()), b_.getFalse()};
  case TypeKind::String: {
    llvm::Constant *s = rt_.cstring(v.asString());
    llvm::Constant *str = llvm::ConstantStruct::get(
        rt_.strTy, {s, b_.getInt64(static_cast<int64_t>(v.asString().size()))});
    return {str, b_.getFalse()};
  }
  default:
    return {b_.getInt64(v.asInt()), b_.getFalse()};
  }
}

Val ExprCodeGen::unary(const PlanExpr &e) {
  Val a = emit(*e.children[0]);
  if (e.unaryOp == UnaryOp::Not)
    return {b_.CreateNot(a.v), a.null};
  if (e.type.kind == TypeKind::F64)
    return {b_.CreateFNeg(a.v), a.null};
  return {overflowChecked(llvm::Intrinsic::ssub_with_overflow, b_.getInt64(0), a.v, a.null,
                          overflowReason(e.type.kind, "negation")),
          a.null};
}

llvm::Value *ExprCodeGen::equalsLiteral(llvm::Value *str, const std::string &literal) {
  auto size = static_cast<int64_t>(literal.size());
  llvm::Value *sameLength = b_.CreateICmpEQ(lenOf(str), b_.getInt64(size));
  if (size == 0)
    return sameLength;
  auto *compareBytes = block("str.cmp");
  auto *done = block("str.eq");
  llvm::BasicBlock *from = b_.GetInsertBlock();
  b_.CreateCondBr(sameLength, compareBytes, done);
  b_.SetInsertPoint(compareBytes);
  llvm::Value *diff = b_.CreateCall(rt_.libcFn("bcmp", rt_.i32, {rt_.ptr, rt_.ptr, rt_.i64}),
                                    {ptrOf(str), rt_.cstring(literal), b_.getInt64(size)});
  llvm::Value *same = b_.CreateICmpEQ(diff, b_.getInt32(0));
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto *phi = b_.CreatePHI(rt_.i1, 2);
  phi->addIncoming(b_.getFalse(), from);
  phi->addIncoming(same, compareBytes);
  return phi;
}

Val ExprCodeGen::equalTo(Val x, const PlanExpr &item, TypeKind kind) {
  // A string literal: a length check and a fixed-size compare LLVM expands
  // into a few loads, no call.
  if (kind == TypeKind::String && x.v->getType() == rt_.strTy && item.isConst() &&
      !item.value.isNull())
    return {equalsLiteral(x.v, item.value.asString()), x.null};
  return compare(BinaryOp::Eq, x, emit(item), kind);
}

Val ExprCodeGen::binary(const PlanExpr &e) {
  BinaryOp op = e.binaryOp;
  TypeKind operand = e.children[0]->type.kind;
  if (operand == TypeKind::Null)
    operand = e.children[1]->type.kind;
  if ((op == BinaryOp::Eq || op == BinaryOp::Ne) && operand == TypeKind::String) {
    // A literal operand goes second, where equalTo compares it inline.
    int literal = e.children[0]->isConst() ? 0 : 1;
    Val eq = equalTo(emit(*e.children[1 - literal]), *e.children[literal], operand);
    return op == BinaryOp::Eq ? eq : Val{b_.CreateNot(eq.v), eq.null};
  }
  Val a = emit(*e.children[0]);
  Val b = emit(*e.children[1]);
  if (op >= BinaryOp::Eq && op <= BinaryOp::Ge)
    return compare(op, a, b, operand);
  llvm::Value *null = anyNull({a, b});
  TypeKind kind = e.type.kind;
  if (kind == TypeKind::String) // concatenation
    return callStr(Abi::srt_str_concat, {env_.ctx, ptrOf(a.v), lenOf(a.v), ptrOf(b.v), lenOf(b.v)},
                   null);
  if (kind == TypeKind::F64) {
    // Operands are finite; a result that is not (overflow) rejects the
    // record, and so does division by zero, for floats too (§2, §9).
    llvm::Value *r;
    switch (op) {
    case BinaryOp::Add:
      r = b_.CreateFAdd(a.v, b.v);
      break;
    case BinaryOp::Sub:
      r = b_.CreateFSub(a.v, b.v);
      break;
    case BinaryOp::Mul:
      r = b_.CreateFMul(a.v, b.v);
      break;
    default: {
      llvm::Value *byZero = b_.CreateAnd(
          b_.CreateNot(null), b_.CreateFCmpOEQ(b.v, llvm::ConstantFP::get(rt_.f64, 0.0)));
      rejectIf(byZero, op == BinaryOp::Div ? "division by zero" : "modulo by zero");
      r = op == BinaryOp::Div ? b_.CreateFDiv(a.v, b.v) : b_.CreateFRem(a.v, b.v);
      break;
    }
    }
    return {finiteChecked(r, null, overflowReason(kind, operationName(op))), null};
  }
  // i64, durations, timestamps (milliseconds): overflow rejects the record.
  switch (op) {
  case BinaryOp::Add:
    return {overflowChecked(llvm::Intrinsic::sadd_with_overflow, a.v, b.v, null,
                            overflowReason(kind, operationName(op))),
            null};
  case BinaryOp::Sub:
    return {overflowChecked(llvm::Intrinsic::ssub_with_overflow, a.v, b.v, null,
                            overflowReason(kind, operationName(op))),
            null};
  case BinaryOp::Mul:
    return {overflowChecked(llvm::Intrinsic::smul_with_overflow, a.v, b.v, null,
                            overflowReason(kind, operationName(op))),
            null};
  default: {
    // Division by zero is an error for the record (when neither side is
    // null); so is INT64_MIN / -1, which has no i64 result.
    llvm::Value *byZero = b_.CreateAnd(b_.CreateNot(null), b_.CreateICmpEQ(b.v, b_.getInt64(0)));
    rejectIf(byZero, op == BinaryOp::Div ? "division by zero" : "modulo by zero");
    llvm::Value *overflow =
        b_.CreateAnd(b_.CreateNot(null), b_.CreateAnd(b_.CreateICmpEQ(a.v, b_.getInt64(INT64_MIN)),
                                                      b_.CreateICmpEQ(b.v, b_.getInt64(-1))));
    rejectIf(overflow, overflowReason(kind, operationName(op)));
    // A null operand may hold 0: divide by 1 instead, the result is null.
    llvm::Value *divisor = b_.CreateSelect(null, b_.getInt64(1), b.v);
    return {op == BinaryOp::Div ? b_.CreateSDiv(a.v, divisor) : b_.CreateSRem(a.v, divisor), null};
  }
  }
}

Val ExprCodeGen::compare(BinaryOp op, Val a, Val b, TypeKind kind) {
  llvm::Value *null = anyNull({a, b});
  llvm::Value *r;
  if (kind == TypeKind::F64) {
    llvm::CmpInst::Predicate p = op == BinaryOp::Eq   ? llvm::CmpInst::FCMP_OEQ
                                 : op == BinaryOp::Ne ? llvm::CmpInst::FCMP_UNE
                                 : op == BinaryOp::Lt ? llvm::CmpInst::FCMP_OLT
                                 : op == BinaryOp::Le ? llvm::CmpInst::FCMP_OLE
                                 : op == BinaryOp::Gt ? llvm::CmpInst::FCMP_OGT
                                                      : llvm::CmpInst::FCMP_OGE;
    r = b_.CreateFCmp(p, a.v, b.v);
  } else {
    llvm::Value *x = a.v, *y = b.v;
    if (kind == TypeKind::String) {
      x = strCompare(a.v, b.v);
      y = b_.getInt32(0);
    }
    bool isUnsigned = kind == TypeKind::Bool; // false < true
    llvm::CmpInst::Predicate p =
        op == BinaryOp::Eq   ? llvm::CmpInst::ICMP_EQ
        : op == BinaryOp::Ne ? llvm::CmpInst::ICMP_NE
        : op == BinaryOp::Lt ? (isUnsigned ? llvm::CmpInst::ICMP_ULT : llvm::CmpInst::ICMP_SLT)
        : op == BinaryOp::Le ? (isUnsigned ? llvm::CmpInst::ICMP_ULE : llvm::CmpInst::ICMP_SLE)
        : op == BinaryOp::Gt ? (isUnsigned ? llvm::CmpInst::ICMP_UGT : llvm::CmpInst::ICMP_SGT)
                             : (isUnsigned ? llvm::CmpInst::ICMP_UGE : llvm::CmpInst::ICMP_SGE);
    r = b_.CreateICmp(p, x, y);
  }
  return {r, null};
}

Val ExprCodeGen::logical(const PlanExpr &e) {
  // Three-valued logic: false and x = false, true or x = true; otherwise
  // null when either side is null.
  Val a = emit(*e.children[0]);
  Val b = emit(*e.children[1]);
  bool isAnd = e.binaryOp == BinaryOp::And;
  llvm::Value *aKnown = b_.CreateNot(a.null), *bKnown = b_.CreateNot(b.null);
  llvm::Value *decides; // a side that decides the result on its own
  if (isAnd)
    decides = b_.CreateOr(b_.CreateAnd(aKnown, b_.CreateNot(a.v)),
                          b_.CreateAnd(bKnown, b_.CreateNot(b.v)));
  else
    decides = b_.CreateOr(b_.CreateAnd(aKnown, a.v), b_.CreateAnd(bKnown, b.v));
  llvm::Value *null = b_.CreateAnd(b_.CreateOr(a.null, b.null), b_.CreateNot(decides));
  llvm::Value *v = isAnd ? b_.CreateAnd(a.v, b.v) : b_.CreateOr(a.v, b.v);
  // When decided by one side, the value is that decision.
  v = isAnd ? b_.CreateAnd(v, b_.CreateNot(decides)) : b_.CreateOr(v, decides);
  return {v, null};
}

Val ExprCodeGen::ifExpr(const PlanExpr &e) {
  // Branches, not a select: only the taken branch may reject the record.
  Val c = emit(*e.children[0]);
  llvm::Value *take = b_.CreateAnd(b_.CreateNot(c.null), c.v);
  auto *thenB = block("then"), *elseB = block("else"), *join = block("endif");
  b_.CreateCondBr(take, thenB, elseB);
  b_.SetInsertPoint(thenB);
  Val t = emit(*e.children[1]);
  llvm::BasicBlock *thenEnd = b_.GetInsertBlock();
  b_.CreateBr(join);
  b_.SetInsertPoint(elseB);
  Val f = emit(*e.children[2]);
  llvm::BasicBlock *elseEnd = b_.GetInsertBlock();
  b_.CreateBr(join);
  b_.SetInsertPoint(join);
  llvm::Type *ty = rt_.valueType(e.type.kind);
  auto fix = [&](llvm::Value *v, llvm::BasicBlock *at) {
    if (v->getType() == ty)
      return v;
    (void)at;
    return static_cast<llvm::Value *>(llvm::Constant::getNullValue(ty));
  };
  auto *v = b_.CreatePHI(ty, 2);
  v->addIncoming(fix(t.v, thenEnd), thenEnd);
  v->addIncoming(fix(f.v, elseEnd), elseEnd);
  auto *n = b_.CreatePHI(rt_.i1, 2);
  n->addIncoming(t.null, thenEnd);
  n->addIncoming(f.null, elseEnd);
  return {v, n};
}

Val ExprCodeGen::in(const PlanExpr &e) {
  // `x in [a, b]` is `x == a or x == b` with three-valued logic.
  Val x = emit(*e.children[0]);
  TypeKind kind = e.children[0]->type.kind;
  llvm::Value *found = b_.getFalse(), *sawNull = b_.getFalse();
  for (size_t i = 1; i < e.children.size(); ++i) {
    Val eq = equalTo(x, *e.children[i], kind == TypeKind::Null ? e.children[i]->type.kind : kind);
    found = b_.CreateOr(found, b_.CreateAnd(b_.CreateNot(eq.null), eq.v));
    sawNull = b_.CreateOr(sawNull, eq.null);
  }
  llvm::Value *null = b_.CreateAnd(sawNull, b_.CreateNot(found));
  llvm::Value *v = e.negated ? b_.CreateNot(found) : found;
  return {v, null};
}

Val ExprCodeGen::coalesce(const PlanExpr &e) {
  // The first non-null argument; later arguments are evaluated only if
  // needed.
  llvm::Type *ty = rt_.valueType(e.type.kind);
  auto *join = block("coalesce");
  std::vector<std::pair<Val, llvm::BasicBlock *>> incoming;
  for (size_t i = 0; i < e.children.size(); ++i) {
    Val a = emit(*e.children[i]);
    if (a.v->getType() != ty)
      a.v = llvm::Constant::getNullValue(ty);
    if (i + 1 == e.children.size()) {
      incoming.push_back({a, b_.GetInsertBlock()});
      b_.CreateBr(join);
      break;
    }
    auto *next = block("coalesce.next");
    incoming.push_back({a, b_.GetInsertBlock()});
    b_.CreateCondBr(a.null, next, join);
    b_.SetInsertPoint(next);
  }
  b_.SetInsertPoint(join);
  auto *v = b_.CreatePHI(ty, static_cast<unsigned>(incoming.size()));
  auto *n = b_.CreatePHI(rt_.i1, static_cast<unsigned>(incoming.size()));
  for (auto &[val, from] : incoming) {
    v->addIncoming(val.v, from);
    n->addIncoming(val.null, from);
  }
  return {v, n};
}

Val ExprCodeGen::fnCall(const PlanExpr &e) {
  // Only reached with --disable-pass=inline: the body is generated here,
  // with the arguments as its environment.
  std::vector<Val> args;
  for (const auto &c : e.children)
    args.push_back(emit(*c));
  Env saved = env_;
  env_.fnArgs = &args;
  Val r = emit(*plan_.functions.at(e.fn));
  env_ = saved;
  return r;
}

Val ExprCodeGen::numericCall(const PlanExpr &e, const std::vector<Val> &a, llvm::Value *null) {
  llvm::Module *m = fn_->getParent();
  auto intrinsic = [&](llvm::Intrinsic::ID id, std::vector<llvm::Value *> args) {
    return b_.CreateCall(llvm::Intrinsic::getDeclaration(m, id, {rt_.f64}), args);
  };
  switch (e.builtin) {
  case BuiltinId::Abs:
    if (e.type.kind == TypeKind::F64)
      return {intrinsic(llvm::Intrinsic::fabs, {a[0].v}), null};
    rejectIf(b_.CreateAnd(b_.CreateNot(null), b_.CreateICmpEQ(a[0].v, b_.getInt64(INT64_MIN))),
             overflowReason(e.type.kind, "abs"));
    return {b_.CreateSelect(b_.CreateICmpSLT(a[0].v, b_.getInt64(0)), b_.CreateNeg(a[0].v), a[0].v),
            null};
  case BuiltinId::Sqrt:
    return {finiteChecked(intrinsic(llvm::Intrinsic::sqrt, {a[0].v}), null,
                          nonFiniteReason(e.builtin)),
            null};
  case BuiltinId::Exp:
    return {finiteChecked(intrinsic(llvm::Intrinsic::exp, {a[0].v}), null,
                          nonFiniteReason(e.builtin)),
            null};
  case BuiltinId::Ln:
    return {finiteChecked(intrinsic(llvm::Intrinsic::log, {a[0].v}), null,
                          nonFiniteReason(e.builtin)),
            null};
  case BuiltinId::Log10:
    return {finiteChecked(intrinsic(llvm::Intrinsic::log10, {a[0].v}), null,
                          nonFiniteReason(e.builtin)),
            null};
  case BuiltinId::Pow:
    return {finiteChecked(intrinsic(llvm::Intrinsic::pow, {a[0].v, a[1].v}), null,
                          nonFiniteReason(e.builtin)),
            null};
  case BuiltinId::Floor:
  case BuiltinId::Ceil:
    if (e.type.kind == TypeKind::I64)
      return a[0];
    return {
        intrinsic(e.builtin == BuiltinId::Floor ? llvm::Intrinsic::floor : llvm::Intrinsic::ceil,
                  {a[0].v}),
        null};
  case BuiltinId::Round:
    if (a.size() == 1)
      return {intrinsic(llvm::Intrinsic::round, {a[0].v}), null};
    return {finiteChecked(rt_.call(b_, Abi::srt_round, {a[0].v, a[1].v}), null,
                          nonFiniteReason(e.builtin)),
            null};
  case BuiltinId::Min:
  case BuiltinId::Max: {
    BinaryOp keepFirst = e.builtin == BuiltinId::Min ? BinaryOp::Le : BinaryOp::Ge;
    llvm::Value *pickFirst = compare(keepFirst, a[0], a[1], e.type.kind).v;
    return {b_.CreateSelect(pickFirst, a[0].v, a[1].v), null};
  }
  default:
    assert(false && "not a numeric built-in");
    return {zero(e.type.kind), b_.getTrue()};
  }
}

Val ExprCodeGen::call(const PlanExpr &e) {
  std::vector<Val> a;
  for (const auto &c : e.children)
    a.push_back(emit(*c));
  llvm::Value *null = b_.getFalse();
  for (const Val &v : a)
    null = b_.CreateOr(null, v.null);
  auto argKind = [&](size_t i) { return e.children[i]->type.kind; };
  switch (e.builtin) {
  case BuiltinId::Abs:
  case BuiltinId::Sqrt:
  case BuiltinId::Exp:
  case BuiltinId::Ln:
  case BuiltinId::Log10:
  case BuiltinId::Pow:
  case BuiltinId::Floor:
  case BuiltinId::Ceil:
  case BuiltinId::Round:
  case BuiltinId::Min:
  case BuiltinId::Max:
    return numericCall(e, a, null);
  case BuiltinId::Len:
    return {lenOf(a[0].v), null};
  case BuiltinId::Lower:
  case BuiltinId::Upper:
    return callStr(e.builtin == BuiltinId::Lower ? Abi::srt_str_lower : Abi::srt_str_upper,
                   {env_.ctx, ptrOf(a[0].v), lenOf(a[0].v)}, null);
  case BuiltinId::Trim:
    return callStr(Abi::srt_str_trim, {ptrOf(a[0].v), lenOf(a[0].v)}, null);
  case BuiltinId::Substr:
    return callStr(Abi::srt_str_substr,
                   {ptrOf(a[0].v), lenOf(a[0].v), a[1].v,
                    a.size() > 2 ? a[2].v : b_.getInt64(INT64_MAX)}, // default: to the end
                   null);
  case BuiltinId::Replace:
    return callStr(Abi::srt_str_replace,
                   {env_.ctx, ptrOf(a[0].v), lenOf(a[0].v), ptrOf(a[1].v), lenOf(a[1].v),
                    ptrOf(a[2].v), lenOf(a[2].v)},
                   null);
  case BuiltinId::Contains: {
    llvm::Value *r = rt_.call(b_, Abi::srt_str_find,
                              {ptrOf(a[0].v), lenOf(a[0].v), ptrOf(a[1].v), lenOf(a[1].v)});
    return {b_.CreateICmpNE(r, b_.getInt64(0)), null};
  }
  case BuiltinId::StrPos:
    return {rt_.call(b_, Abi::srt_str_find,
                     {ptrOf(a[0].v), lenOf(a[0].v), ptrOf(a[1].v), lenOf(a[1].v)}),
            null};
  case BuiltinId::RegexpLike:
  case BuiltinId::RegexpExtract:
  case BuiltinId::RegexpReplace:
    return regexCall(e, a, null);
  case BuiltinId::SplitPart:
    return callStr(Abi::srt_str_split_part,
                   {ptrOf(a[0].v), lenOf(a[0].v), ptrOf(a[1].v), lenOf(a[1].v), a[2].v}, null);
  case BuiltinId::StartsWith:
  case BuiltinId::EndsWith: {
    // The string is at least as long as the part, and its first (or last)
    // bytes compare equal to it.
    llvm::Value *s = a[0].v, *p = a[1].v;
    llvm::Value *fits = b_.CreateICmpSGE(lenOf(s), lenOf(p));
    llvm::Value *start =
        e.builtin == BuiltinId::StartsWith
            ? ptrOf(s)
            : b_.CreateInBoundsGEP(
                  rt_.i8, ptrOf(s),
                  b_.CreateSelect(fits, b_.CreateSub(lenOf(s), lenOf(p)), b_.getInt64(0)));
    llvm::Value *len = b_.CreateSelect(fits, lenOf(p), b_.getInt64(0));
    llvm::Value *cmp = rt_.call(b_, Abi::srt_str_compare, {start, len, ptrOf(p), len});
    return {b_.CreateAnd(fits, b_.CreateICmpEQ(cmp, b_.getInt32(0))), null};
  }
  case BuiltinId::ToI64:
    switch (argKind(0)) {
    case TypeKind::F64: {
      // In range exactly when -2^63 <= x < 2^63 (as sema's fitsInI64).
      llvm::Value *fits =
          b_.CreateAnd(b_.CreateFCmpOGE(a[0].v, llvm::ConstantFP::get(rt_.f64, -0x1p63)),
                       b_.CreateFCmpOLT(a[0].v, llvm::ConstantFP::get(rt_.f64, 0x1p63)));
      rejectIf(b_.CreateAnd(b_.CreateNot(null), b_.CreateNot(fits)), kNotAnI64);
      return {b_.CreateIntrinsic(rt_.i64, llvm::Intrinsic::fptosi_sat, {a[0].v}), null};
    }
    case TypeKind::Bool:
      return {b_.CreateZExt(a[0].v, rt_.i64), null};
    case TypeKind::String:
      return parseString(Abi::srt_str_to_i64, rt_.i64, a[0], null);
    default:
      return {a[0].v, null};
    }
  case BuiltinId::ToF64:
    switch (argKind(0)) {
    case TypeKind::I64:
      return {b_.CreateSIToFP(a[0].v, rt_.f64), null};
    case TypeKind::Bool:
      return {b_.CreateUIToFP(a[0].v, rt_.f64), null};
    case TypeKind::Duration:
      return {b_.CreateSIToFP(a[0].v, rt_.f64), null};
    case TypeKind::String:
      return parseString(Abi::srt_str_to_f64, rt_.f64, a[0], null);
    default:
      return {a[0].v, null};
    }
  case BuiltinId::ToString:
    switch (argKind(0)) {
    case TypeKind::String:
      return a[0];
    case TypeKind::Bool: {
      llvm::Constant *t = rt_.cstring("true"), *f = rt_.cstring("false");
      llvm::Value *p = b_.CreateSelect(a[0].v, t, f);
      llvm::Value *n = b_.CreateSelect(a[0].v, b_.getInt64(4), b_.getInt64(5));
      llvm::Value *s =
          b_.CreateInsertValue(b_.CreateInsertValue(llvm::UndefValue::get(rt_.strTy), p, 0), n, 1);
      return {s, null};
    }
    case TypeKind::F64:
      return callStr(Abi::srt_f64_to_str, {env_.ctx, a[0].v}, null);
    case TypeKind::Timestamp:
      return callStr(Abi::srt_ts_to_str, {env_.ctx, a[0].v}, null);
    default: // i64 and durations (milliseconds)
      return callStr(Abi::srt_i64_to_str, {env_.ctx, a[0].v}, null);
    }
  case BuiltinId::Now:
    return {rt_.call(b_, Abi::srt_now, {env_.ctx}), b_.getFalse()};
  case BuiltinId::FloorTime: {
    llvm::Value *unit = a[1].v;
    rejectIf(b_.CreateAnd(b_.CreateNot(null), b_.CreateICmpSLE(unit, b_.getInt64(0))),
             "floor_time needs a positive duration");
    llvm::Value *safe = b_.CreateSelect(null, b_.getInt64(1), unit);
    // Floor division, also for times before 1970.
    llvm::Value *rem = b_.CreateSRem(a[0].v, safe);
    llvm::Value *adj =
        b_.CreateSelect(b_.CreateICmpSLT(rem, b_.getInt64(0)), b_.CreateAdd(rem, safe), rem);
    return {overflowChecked(llvm::Intrinsic::ssub_with_overflow, a[0].v, adj, null,
                            overflowReason(TypeKind::Timestamp, "floor_time")),
            null};
  }
  case BuiltinId::Year:
  case BuiltinId::Month:
  case BuiltinId::Day:
  case BuiltinId::Hour:
  case BuiltinId::Minute:
  case BuiltinId::Second: {
    int part = static_cast<int>(e.builtin) - static_cast<int>(BuiltinId::Year);
    return {rt_.call(b_, Abi::srt_ts_part, {a[0].v, b_.getInt32(part)}), null};
  }
  case BuiltinId::ParseTimestamp:
    return parseString(Abi::srt_str_to_ts, rt_.i64, a[0], null);
  default:
    break; // aggregates never reach here
  }
  return {zero(e.type.kind), b_.getTrue()};
}

} // namespace streamc
