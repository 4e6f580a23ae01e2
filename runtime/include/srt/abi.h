/* srt/abi.h - declarations of the functions generated code calls, produced
 * from srt/abi.def. Included by srt/runtime.h after the types they use. */
#ifndef SRT_ABI_H
#define SRT_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

#define SRT_ABI(name, llvm_ret, llvm_params, c_ret, c_params) c_ret name c_params;
#include "srt/abi.def"

#ifdef __cplusplus
}
#endif

#endif /* SRT_ABI_H */
