#pragma once
/// \file
/// The byte encoding of a key (a window's `by` keys, a join's equality
/// keys, a distinct's, a top's `per` and a frame's keys) that the runtime hashes and compares:
/// fixed-size parts first (a null byte per nullable part, 8 bytes per number, 4 per string length,
/// a byte per bool), then the strings' bytes. A null part is all zeros, so nulls group together;
/// floats are canonical (-0.0 is 0.0), so equal values have equal bytes.

#include "codegen/ExprCodeGen.h"

#include <functional>

namespace streamc {

class KeyCodeGen {
public:
  KeyCodeGen(llvm::IRBuilder<> &b, RuntimeDecls &rt, llvm::Function *fn, std::vector<Type> parts)
      : b_(b), rt_(rt), fn_(fn), parts_(std::move(parts)) {}

  /// Bytes of the fixed-size parts.
  uint32_t fixedSize() const;

  /// Encodes \p values (one per part): returns the key's bytes and length.
  /// \p buffer has room for \p inlineSize bytes; a longer key goes to the
  /// buffer \p longBuffer returns for its length (a runtime call).
  std::pair<llvm::Value *, llvm::Value *>
  encode(const std::vector<Val> &values, llvm::Value *buffer, uint32_t inlineSize,
         const std::function<llvm::Value *(llvm::Value *len)> &longBuffer);

  /// The key of the record \p exprs reads: \p keys evaluated and encoded
  /// (null values are one key), a long one in the buffer the runtime
  /// function \p longBuffer(handle, len) gives (a window's, a distinct's, a
  /// top's, a frame's).
  static std::pair<llvm::Value *, llvm::Value *>
  encodeRecordKey(llvm::IRBuilder<> &b, RuntimeDecls &rt, llvm::Function *fn, ExprCodeGen &exprs,
                  const std::vector<PlanExprPtr> &keys, llvm::Value *buffer, uint32_t inlineSize,
                  Abi longBuffer, llvm::Value *handle);

  /// Decodes key bytes into field \p firstField onwards of \p record
  /// (strings are views into the bytes).
  void decode(ExprCodeGen &exprs, llvm::Value *bytes, llvm::Value *record,
              const RecordType &type, const RecordLayout &layout, int firstField = 0);

  /// An f64's bits with -0.0 made 0.0 and every NaN one NaN.
  static llvm::Value *canonicalBits(llvm::IRBuilder<> &b, llvm::Value *x);

private:
  llvm::IRBuilder<> &b_;
  RuntimeDecls &rt_;
  llvm::Function *fn_;
  std::vector<Type> parts_;
};

} // namespace streamc
