#pragma once
/// \file
/// srt/abi.h - the declarations of the functions generated code calls, one
/// per entry of srt/abi.def, after the types they use (srt/types.h): only
/// what generated code calls. Included by the runtime files that define
/// those functions (so a definition that disagrees with the list is a compile
/// error) or call them, by compiler/jit/RuntimeSymbols.cpp (the JIT's symbol
/// table takes their addresses) and by the runtime's unit tests. Codegen
/// includes srt/abi.def itself, for the LLVM types, and srt/types.h.
///
/// Conventions of the entries abi.def lists without a comment of their own:
/// the string functions that build a string (srt_str_*) write it to `out`,
/// where it lives until the next record, as do conversions to text
/// (srt_*_to_str); conversions from text (srt_str_to_*) return 1 and set
/// `out`, or 0 (the value is null). srt_ts_part gives a calendar part of a
/// timestamp (UTC, proleptic Gregorian, any int64): 0 year (year 0 is 1 BC;
/// -292275055 to 292278994), 1 month, 2 day, 3 hour, 4 minute, 5 second.

#include "srt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params) c_ret name c_params;
#include "srt/abi.def"

#ifdef __cplusplus
}
#endif
