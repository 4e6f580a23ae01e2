#include "jit/RuntimeSymbols.h"

#include <srt/abi.h>

#include <initializer_list>
#include <type_traits>

namespace streamc {
namespace {

/// The LLVM kinds abi.def uses, as C++ tags, so the list's two halves can be
/// compared at compile time.
enum class Kind { void_, i32, i64, f64, ptr };

template <typename T> constexpr Kind kindOf() {
  if constexpr (std::is_void_v<T>)
    return Kind::void_;
  else if constexpr (std::is_pointer_v<T>)
    return Kind::ptr;
  else if constexpr (std::is_same_v<T, double>)
    return Kind::f64;
  else if constexpr (std::is_integral_v<T> && sizeof(T) == 8)
    return Kind::i64;
  else {
    static_assert(std::is_integral_v<T> && sizeof(T) == 4, "type without an abi.def kind");
    return Kind::i32;
  }
}

/// Whether the C function type \p F has the return and parameter kinds
/// \p kinds (return first).
template <typename F> struct Sig;
template <typename R, typename... A> struct Sig<R (*)(A...)> {
  static constexpr bool matches(std::initializer_list<Kind> kinds) {
    constexpr Kind actual[] = {kindOf<R>(), kindOf<A>()...};
    if (kinds.size() != sizeof...(A) + 1)
      return false;
    size_t i = 0;
    for (Kind k : kinds)
      if (actual[i++] != k)
        return false;
    return true;
  }
};

constexpr Kind void_ = Kind::void_, i32 = Kind::i32, i64 = Kind::i64, f64 = Kind::f64,
               ptr = Kind::ptr;

#define SRT_UNPACK(...) __VA_ARGS__
#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params)                                      \
  static_assert(Sig<decltype(&name)>::matches({llvm_ret, SRT_UNPACK llvm_params}),                 \
                "abi.def: the LLVM kinds of " #name " disagree with its C types");
#include <srt/abi.def>
#undef SRT_UNPACK

} // namespace

const std::vector<std::pair<const char *, void *>> &runtimeSymbols() {
  static const std::vector<std::pair<const char *, void *>> symbols = {
#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params)                                      \
  {#name, reinterpret_cast<void *>(&name)},
#include <srt/abi.def>
  };
  return symbols;
}

} // namespace streamc
