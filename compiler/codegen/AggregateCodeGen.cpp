#include "codegen/AggregateCodeGen.h"

#include "codegen/KeyCodeGen.h"

#include "sema/Evaluate.h"

#include <srt/types.h>

#include <llvm/IR/Intrinsics.h>

#include <cstddef>

namespace streamc {

namespace {

/// The argument's type kind (count() has none).
TypeKind argKind(const LogicalWindowAggregate::Aggregate &a) {
  return a.args.empty() ? TypeKind::I64 : a.args[0]->type.kind;
}

uint32_t aggKind(const LogicalWindowAggregate::Aggregate &a) {
  TypeKind k = argKind(a);
  bool str = k == TypeKind::String, f64 = k == TypeKind::F64;
  switch (a.fn) {
  case BuiltinId::Count:
    return SRT_AGG_COUNT;
  case BuiltinId::Sum:
    return f64 ? SRT_AGG_SUM_F64 : SRT_AGG_SUM_I64;
  case BuiltinId::Avg:
    return SRT_AGG_SUM_F64;
  case BuiltinId::AggMin:
    return str ? SRT_AGG_MIN_STR : f64 ? SRT_AGG_MIN_F64 : SRT_AGG_MIN_I64;
  case BuiltinId::AggMax:
    return str ? SRT_AGG_MAX_STR : f64 ? SRT_AGG_MAX_F64 : SRT_AGG_MAX_I64;
  case BuiltinId::First:
    return str ? SRT_AGG_FIRST_STR : SRT_AGG_FIRST;
  case BuiltinId::Last:
    return str ? SRT_AGG_LAST_STR : SRT_AGG_LAST;
  case BuiltinId::Stddev:
  case BuiltinId::Variance:
    return SRT_AGG_MOMENTS;
  case BuiltinId::CountDistinct:
    return SRT_AGG_DISTINCT;
  case BuiltinId::ApproxCountDistinct:
    return SRT_AGG_HLL;
  default: // percentile, median
    return SRT_AGG_DIGEST;
  }
}

uint32_t slotSize(uint32_t kind) {
  switch (kind) {
  case SRT_AGG_MIN_STR:
  case SRT_AGG_MAX_STR:
  case SRT_AGG_FIRST_STR:
  case SRT_AGG_LAST_STR:
    return sizeof(srt_agg_string);
  case SRT_AGG_MOMENTS:
    return sizeof(srt_agg_moments);
  case SRT_AGG_DISTINCT:
  case SRT_AGG_HLL:
  case SRT_AGG_DIGEST:
    return sizeof(void *);
  default:
    return sizeof(srt_agg_value);
  }
}

// Field offsets within the slots (srt/types.h).
constexpr uint32_t kValue = offsetof(srt_agg_value, v), kN = offsetof(srt_agg_value, n),
                   kSeq = offsetof(srt_agg_value, seq);
constexpr uint32_t kStrPtr = offsetof(srt_agg_string, ptr), kStrLen = offsetof(srt_agg_string, len),
                   kStrN = offsetof(srt_agg_string, n), kStrSeq = offsetof(srt_agg_string, seq);
constexpr uint32_t kMomN = offsetof(srt_agg_moments, n),
                   kMomMean = offsetof(srt_agg_moments, mean),
                   kMomM2 = offsetof(srt_agg_moments, m2);

} // namespace

AggregateLayout AggregateLayout::of(const LogicalWindowAggregate &window) {
  AggregateLayout layout;
  for (const auto &a : window.aggregates) {
    uint32_t kind = aggKind(a);
    layout.kinds.push_back(kind);
    layout.offsets.push_back(layout.size);
    layout.size += slotSize(kind);
  }
  if (layout.size == 0)
    layout.size = 8;
  return layout;
}

llvm::Value *AggregateCodeGen::slotAddr(llvm::Value *state, size_t i, uint32_t field) {
  return b_.CreateConstInBoundsGEP1_64(rt_.i8, state, layout_.offsets[i] + field);
}

llvm::Value *AggregateCodeGen::asF64(Val v, TypeKind kind) {
  return kind == TypeKind::F64 ? v.v : b_.CreateSIToFP(v.v, rt_.f64);
}

llvm::Value *AggregateCodeGen::asI64(Val v, TypeKind kind) {
  if (kind == TypeKind::Bool)
    return b_.CreateZExt(v.v, rt_.i64);
  if (kind == TypeKind::F64)
    return b_.CreateBitCast(v.v, rt_.i64);
  return v.v;
}

llvm::Value *AggregateCodeGen::canonicalBits(llvm::Value *x) {
  return KeyCodeGen::canonicalBits(b_, x);
}

template <typename F> void AggregateCodeGen::when(llvm::Value *cond, F &&body) {
  auto *then = llvm::BasicBlock::Create(b_.getContext(), "agg.then", fn_);
  auto *done = llvm::BasicBlock::Create(b_.getContext(), "agg.done", fn_);
  b_.CreateCondBr(cond, then, done);
  b_.SetInsertPoint(then);
  body();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

std::pair<llvm::Value *, llvm::Value *> AggregateCodeGen::valueBytes(Val v, TypeKind kind) {
  if (kind == TypeKind::String)
    return {b_.CreateExtractValue(v.v, 0), b_.CreateExtractValue(v.v, 1)};
  llvm::Value *bits = kind == TypeKind::F64 ? canonicalBits(v.v) : asI64(v, kind);
  llvm::IRBuilder<> eb(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
  llvm::AllocaInst *tmp = eb.CreateAlloca(rt_.i64, nullptr, "agg.bytes");
  b_.CreateStore(bits, tmp);
  return {tmp, b_.getInt64(8)};
}

std::vector<Val> AggregateCodeGen::emitArguments(ExprCodeGen &exprs) {
  std::vector<Val> args;
  for (const auto &a : window_.aggregates)
    args.push_back(a.args.empty() ? Val{} : exprs.emit(*a.args[0]));
  return args;
}

AggregateCodeGen::CheckedUpdates
AggregateCodeGen::emitCheckedUpdates(ExprCodeGen &exprs, const std::vector<Val> &args,
                                     llvm::Value *state) {
  CheckedUpdates next;
  next.sums.resize(window_.aggregates.size());
  next.moments.resize(window_.aggregates.size());
  for (size_t i = 0; i < window_.aggregates.size(); ++i) {
    const auto &a = window_.aggregates[i];
    uint32_t kind = layout_.kinds[i];
    TypeKind k = argKind(a);
    const Val &x = args[i];
    if (kind != SRT_AGG_SUM_I64 && kind != SRT_AGG_SUM_F64 && kind != SRT_AGG_MOMENTS)
      continue;
    const char *what = a.fn == BuiltinId::Avg      ? "avg"
                       : a.fn == BuiltinId::Sum    ? "sum"
                       : a.fn == BuiltinId::Stddev ? "stddev"
                                                   : "variance";
    if (kind == SRT_AGG_SUM_I64) {
      next.sums[i] = exprs.overflowChecked(llvm::Intrinsic::sadd_with_overflow,
                                           b_.CreateLoad(rt_.i64, slotAddr(state, i, kValue)),
                                           x.v, x.null, overflowReason(a.type.kind, what));
    } else if (kind == SRT_AGG_SUM_F64) {
      next.sums[i] = exprs.finiteChecked(
          b_.CreateFAdd(b_.CreateLoad(rt_.f64, slotAddr(state, i, kValue)), asF64(x, k)), x.null,
          overflowReason(TypeKind::F64, what));
    } else {
      // Welford: n += 1; d = x - mean; mean += d / n; m2 += d * (x - mean).
      llvm::Value *n = b_.CreateAdd(b_.CreateLoad(rt_.i64, slotAddr(state, i, kMomN)),
                                    b_.getInt64(1));
      llvm::Value *xf = asF64(x, k);
      llvm::Value *mean = b_.CreateLoad(rt_.f64, slotAddr(state, i, kMomMean));
      llvm::Value *d = b_.CreateFSub(xf, mean);
      llvm::Value *newMean = b_.CreateFAdd(mean, b_.CreateFDiv(d, b_.CreateSIToFP(n, rt_.f64)));
      llvm::Value *m2 = b_.CreateFAdd(b_.CreateLoad(rt_.f64, slotAddr(state, i, kMomM2)),
                                      b_.CreateFMul(d, b_.CreateFSub(xf, newMean)));
      std::string why = overflowReason(TypeKind::F64, what);
      next.moments[i] = {exprs.finiteChecked(newMean, x.null, why),
                         exprs.finiteChecked(m2, x.null, why)};
    }
  }
  return next;
}

void AggregateCodeGen::emitUpdate(ExprCodeGen &exprs, const std::vector<Val> &args,
                                  llvm::Value *state, llvm::Value *seq) {
  // First every check that can reject the record, then the stores.
  CheckedUpdates next = emitCheckedUpdates(exprs, args, state);
  for (size_t i = 0; i < window_.aggregates.size(); ++i) {
    const auto &a = window_.aggregates[i];
    uint32_t kind = layout_.kinds[i];
    TypeKind k = argKind(a);
    const Val &x = args[i];
    llvm::Value *present = a.args.empty() ? b_.getTrue() : b_.CreateNot(x.null);
    auto count = [&](uint32_t at) {
      llvm::Value *n = slotAddr(state, i, at);
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(rt_.i64, n), b_.CreateZExt(present, rt_.i64)), n);
    };
    switch (kind) {
    case SRT_AGG_COUNT:
      count(kN);
      break;
    case SRT_AGG_SUM_I64:
    case SRT_AGG_SUM_F64: {
      llvm::Value *v = slotAddr(state, i, kValue);
      llvm::Value *old = b_.CreateLoad(kind == SRT_AGG_SUM_I64 ? rt_.i64 : rt_.f64, v);
      b_.CreateStore(b_.CreateSelect(present, next.sums[i], old), v);
      count(kN);
      break;
    }
    case SRT_AGG_MIN_I64:
    case SRT_AGG_MAX_I64:
    case SRT_AGG_MIN_F64:
    case SRT_AGG_MAX_F64:
    case SRT_AGG_FIRST:
    case SRT_AGG_LAST: {
      bool f64 = kind == SRT_AGG_MIN_F64 || kind == SRT_AGG_MAX_F64;
      llvm::Value *vAddr = slotAddr(state, i, kValue), *nAddr = slotAddr(state, i, kN);
      llvm::Value *empty = b_.CreateICmpEQ(b_.CreateLoad(rt_.i64, nAddr), b_.getInt64(0));
      // Values are kept as i64 bits (bools widened, f64 as their bits) but
      // compared as what they are.
      llvm::Value *val = f64 ? x.v : asI64(x, k);
      llvm::Type *ty = f64 ? rt_.f64 : rt_.i64;
      llvm::Value *old = b_.CreateLoad(ty, vAddr);
      llvm::Value *better;
      switch (kind) {
      case SRT_AGG_MIN_I64:
        better = b_.CreateICmpSLT(val, old);
        break;
      case SRT_AGG_MAX_I64:
        better = b_.CreateICmpSGT(val, old);
        break;
      case SRT_AGG_MIN_F64:
        better = b_.CreateFCmpOLT(val, old);
        break;
      case SRT_AGG_MAX_F64:
        better = b_.CreateFCmpOGT(val, old);
        break;
      case SRT_AGG_FIRST:
        better = b_.getFalse();
        break;
      default: // last
        better = b_.getTrue();
        break;
      }
      llvm::Value *take = b_.CreateAnd(present, b_.CreateOr(empty, better));
      b_.CreateStore(b_.CreateSelect(take, val, old), vAddr);
      if (kind == SRT_AGG_FIRST || kind == SRT_AGG_LAST) { // merged by arrival
        llvm::Value *seqAddr = slotAddr(state, i, kSeq);
        b_.CreateStore(b_.CreateSelect(take, seq, b_.CreateLoad(rt_.i64, seqAddr)), seqAddr);
      }
      count(kN);
      break;
    }
    case SRT_AGG_MIN_STR:
    case SRT_AGG_MAX_STR:
    case SRT_AGG_FIRST_STR:
    case SRT_AGG_LAST_STR: {
      llvm::Value *slot = slotAddr(state, i);
      llvm::Value *empty =
          b_.CreateICmpEQ(b_.CreateLoad(rt_.i64, slotAddr(state, i, kStrN)), b_.getInt64(0));
      llvm::Value *ptr = b_.CreateExtractValue(x.v, 0), *len = b_.CreateExtractValue(x.v, 1);
      llvm::Value *better = kind == SRT_AGG_LAST_STR ? b_.getTrue() : b_.getFalse();
      if (kind == SRT_AGG_MIN_STR || kind == SRT_AGG_MAX_STR) {
        // Compare only when there is a value to compare with.
        auto *cmpBlock = llvm::BasicBlock::Create(b_.getContext(), "agg.cmp", fn_);
        auto *after = llvm::BasicBlock::Create(b_.getContext(), "agg.cmped", fn_);
        llvm::BasicBlock *from = b_.GetInsertBlock();
        b_.CreateCondBr(b_.CreateAnd(present, b_.CreateNot(empty)), cmpBlock, after);
        b_.SetInsertPoint(cmpBlock);
        llvm::Value *c = rt_.call(b_, Abi::srt_str_compare,
                                  {ptr, len, b_.CreateLoad(rt_.ptr, slotAddr(state, i, kStrPtr)),
                                   b_.CreateLoad(rt_.i64, slotAddr(state, i, kStrLen))});
        llvm::Value *cb = kind == SRT_AGG_MIN_STR ? b_.CreateICmpSLT(c, b_.getInt32(0))
                                                  : b_.CreateICmpSGT(c, b_.getInt32(0));
        b_.CreateBr(after);
        b_.SetInsertPoint(after);
        auto *phi = b_.CreatePHI(rt_.i1, 2);
        phi->addIncoming(b_.getFalse(), from);
        phi->addIncoming(cb, cmpBlock);
        better = phi;
      }
      llvm::Value *take = b_.CreateAnd(present, b_.CreateOr(empty, better));
      when(take, [&] {
        rt_.call(b_, Abi::srt_agg_string_set, {slot, ptr, len});
        if (kind == SRT_AGG_FIRST_STR || kind == SRT_AGG_LAST_STR)
          b_.CreateStore(seq, slotAddr(state, i, kStrSeq));
      });
      count(kStrN);
      break;
    }
    case SRT_AGG_MOMENTS:
      when(present, [&] {
        llvm::Value *nAddr = slotAddr(state, i, kMomN);
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(rt_.i64, nAddr), b_.getInt64(1)), nAddr);
        b_.CreateStore(next.moments[i].first, slotAddr(state, i, kMomMean));
        b_.CreateStore(next.moments[i].second, slotAddr(state, i, kMomM2));
      });
      break;
    case SRT_AGG_DISTINCT:
    case SRT_AGG_HLL:
      when(present, [&] {
        auto [ptr, len] = valueBytes(x, k);
        rt_.call(b_, kind == SRT_AGG_DISTINCT ? Abi::srt_distinct_add : Abi::srt_hll_add,
                 {slotAddr(state, i), ptr, len});
      });
      break;
    case SRT_AGG_DIGEST:
      when(present, [&] { rt_.call(b_, Abi::srt_digest_add, {slotAddr(state, i), asF64(x, k)}); });
      break;
    default:
      break;
    }
  }
}

std::vector<Val> AggregateCodeGen::emitResults(ExprCodeGen &consts, llvm::Value *state) {
  std::vector<Val> out;
  for (size_t i = 0; i < window_.aggregates.size(); ++i) {
    const auto &a = window_.aggregates[i];
    uint32_t kind = layout_.kinds[i];
    TypeKind result = a.type.kind;
    auto load = [&](llvm::Type *ty, uint32_t at) { return b_.CreateLoad(ty, slotAddr(state, i, at)); };
    auto noValues = [&](uint32_t at) {
      return b_.CreateICmpEQ(load(rt_.i64, at), b_.getInt64(0));
    };
    switch (kind) {
    case SRT_AGG_COUNT:
      out.push_back({load(rt_.i64, kN), b_.getFalse()});
      break;
    case SRT_AGG_SUM_I64:
      out.push_back({load(rt_.i64, kValue), noValues(kN)});
      break;
    case SRT_AGG_SUM_F64:
      if (a.fn == BuiltinId::Avg)
        out.push_back({b_.CreateFDiv(load(rt_.f64, kValue), b_.CreateSIToFP(load(rt_.i64, kN), rt_.f64)),
                       noValues(kN)});
      else
        out.push_back({load(rt_.f64, kValue), noValues(kN)});
      break;
    case SRT_AGG_MIN_I64:
    case SRT_AGG_MAX_I64:
    case SRT_AGG_MIN_F64:
    case SRT_AGG_MAX_F64:
    case SRT_AGG_FIRST:
    case SRT_AGG_LAST: {
      llvm::Value *v = load(rt_.i64, kValue);
      if (result == TypeKind::Bool)
        v = b_.CreateTrunc(v, rt_.i1);
      else if (result == TypeKind::F64)
        v = b_.CreateBitCast(v, rt_.f64);
      out.push_back({v, noValues(kN)});
      break;
    }
    case SRT_AGG_MIN_STR:
    case SRT_AGG_MAX_STR:
    case SRT_AGG_FIRST_STR:
    case SRT_AGG_LAST_STR: {
      llvm::Value *s = llvm::UndefValue::get(rt_.strTy);
      s = b_.CreateInsertValue(s, load(rt_.ptr, kStrPtr), 0);
      s = b_.CreateInsertValue(s, load(rt_.i64, kStrLen), 1);
      out.push_back({s, noValues(kStrN)});
      break;
    }
    case SRT_AGG_MOMENTS: {
      llvm::Value *n = load(rt_.i64, kMomN);
      llvm::Value *var = b_.CreateFDiv(load(rt_.f64, kMomM2),
                                       b_.CreateSIToFP(b_.CreateSub(n, b_.getInt64(1)), rt_.f64));
      // Panes merged by Chan's formula may overflow: such a variance is null,
      // never NaN or infinity (§2). Rounding may leave m2 a hair below zero.
      llvm::Value *infinite = b_.CreateNot(
          b_.CreateFCmpOLT(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, var),
                           llvm::ConstantFP::getInfinity(rt_.f64)));
      llvm::Value *zero = llvm::ConstantFP::get(rt_.f64, 0.0);
      var = b_.CreateSelect(b_.CreateFCmpOLT(var, zero), zero, var);
      if (a.fn == BuiltinId::Stddev)
        var = b_.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, var);
      out.push_back({var, b_.CreateOr(b_.CreateICmpSLT(n, b_.getInt64(2)), infinite)});
      break;
    }
    case SRT_AGG_DISTINCT:
    case SRT_AGG_HLL:
      out.push_back(
          {rt_.call(b_, kind == SRT_AGG_DISTINCT ? Abi::srt_distinct_count : Abi::srt_hll_count,
                    {load(rt_.ptr, 0)}),
           b_.getFalse()});
      break;
    default: { // a quantile: null when every value was null
      llvm::Value *digest = load(rt_.ptr, 0);
      llvm::Value *q = llvm::ConstantFP::get(rt_.f64, 0.5);
      if (a.fn == BuiltinId::Percentile) {
        Val p = consts.emit(*a.args[1]);
        q = p.v->getType() == rt_.f64 ? p.v : b_.CreateSIToFP(p.v, rt_.f64);
      }
      llvm::Value *empty = b_.CreateIsNull(digest);
      auto *compute = llvm::BasicBlock::Create(b_.getContext(), "quantile", fn_);
      auto *done = llvm::BasicBlock::Create(b_.getContext(), "quantile.done", fn_);
      llvm::BasicBlock *from = b_.GetInsertBlock();
      b_.CreateCondBr(empty, done, compute);
      b_.SetInsertPoint(compute);
      llvm::Value *value = rt_.call(b_, Abi::srt_digest_quantile, {digest, q});
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
      auto *phi = b_.CreatePHI(rt_.f64, 2);
      phi->addIncoming(llvm::ConstantFP::get(rt_.f64, 0.0), from);
      phi->addIncoming(value, compute);
      out.push_back({phi, empty});
      break;
    }
    }
  }
  return out;
}

// ---------------------------------------------------------------- keys

std::vector<Type> AggregateCodeGen::keyTypes() const {
  std::vector<Type> types;
  for (const auto &k : window_.keys)
    types.push_back(k->type);
  return types;
}

std::pair<llvm::Value *, llvm::Value *>
AggregateCodeGen::emitKey(ExprCodeGen &exprs, llvm::Value *buffer, uint32_t inlineSize,
                          llvm::Value *window) {
  std::vector<Val> values;
  for (const auto &k : window_.keys)
    values.push_back(exprs.emit(*k));
  return KeyCodeGen(b_, rt_, fn_, keyTypes())
      .encode(values, buffer, inlineSize, [&](llvm::Value *len) {
        return rt_.call(b_, Abi::srt_window_key_buffer, {window, len});
      });
}

void AggregateCodeGen::emitDecodeKey(ExprCodeGen &exprs, llvm::Value *bytes,
                                     llvm::Value *keyRecord, const RecordType &keyType,
                                     const RecordLayout &keyLayout) {
  KeyCodeGen(b_, rt_, fn_, keyTypes()).decode(exprs, bytes, keyRecord, keyType, keyLayout);
}

} // namespace streamc
