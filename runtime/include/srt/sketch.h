#pragma once
/// \file
/// srt/sketch.h - the runtime's own sketch functions: merging and freeing the
/// state of windowed aggregates that the runtime owns, which window state
/// (runtime/src/window/AggState.cpp) calls and generated code does not.
/// Included by runtime/src/window/AggState.cpp, the sketches in
/// runtime/src/sketch/ and test/unit/SketchTests.cpp. The functions
/// generated code calls (adding values, counting, quantiles) are entries of
/// srt/abi.def, declared by srt/abi.h; what they do is described here.
///
/// Each sketch is reached through a `void *` slot of a zero-initialised
/// aggregate state: a null slot is an empty sketch. The add and merge
/// functions allocate the sketch on first use; *_free releases it (NULL is
/// fine). Merging copies what it needs from `src`: the two never share memory.
///
/// Values of count_distinct and approx_count_distinct are byte strings: the
/// caller passes 8 bytes for numbers, timestamps and bools (already
/// normalised) or a string's bytes.

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------- exact distinct values */

/* srt_distinct_add(set, bytes, len) (abi.def) adds `len` bytes at `bytes` to
 * the exact distinct-value set `*set`; srt_distinct_count(set) (abi.def) is
 * the number of distinct values in `set` (NULL: 0). */

/** `*dst` becomes the union of `*dst` and `src` (NULL: nothing to add). */
void srt_distinct_merge(void **dst, const void *src);
void srt_distinct_free(void *set);

/* ------------------------------------------------------ HyperLogLog */

/* srt_hll_add(hll, bytes, len) (abi.def) adds a value to the HyperLogLog
 * `*hll` (approx_count_distinct). Up to 256 distinct values are counted
 * exactly; beyond, 16 KB of registers give a relative standard error of
 * 0.81% (about 99% of counts within 2%). srt_hll_count(hll) (abi.def) is the
 * estimated number of distinct values (NULL: 0). */

/** `*dst` becomes the sketch of the union of `*dst` and `src`. */
void srt_hll_merge(void **dst, const void *src);
void srt_hll_free(void *hll);

/* -------------------------------------------------------- quantiles */

/* srt_digest_add(digest, x) (abi.def) adds `x` to the quantile sketch
 * `*digest` (a t-digest); NaN is ignored. srt_digest_quantile(digest, q)
 * (abi.def) is the q-quantile (q in [0, 1]) with linear interpolation
 * between the closest ranks (PostgreSQL percentile_cont): exact while the
 * digest holds at most 300 values (and for data of few distinct values),
 * within 1% of rank beyond; q = 0 and q = 1 give the exact minimum and
 * maximum. It may compress the digest in place. The caller guarantees a
 * non-empty digest (NULL or empty: NaN). */

/** `*dst` becomes the digest of the values of `*dst` and `src`. */
void srt_digest_merge(void **dst, const void *src);
void srt_digest_free(void *digest);

#ifdef __cplusplus
}
#endif
