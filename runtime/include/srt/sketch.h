/*
 * The streamc runtime: state of windowed aggregates that the runtime owns.
 *
 * Each sketch is reached through a `void *` slot of a zero-initialised
 * aggregate state: a null slot is an empty sketch. The add and merge
 * functions allocate the sketch on first use; *_free releases it (NULL is
 * fine). Merging copies what it needs from `src`: the two never share memory.
 *
 * Values of count_distinct and approx_count_distinct are byte strings: the
 * caller passes 8 bytes for numbers, timestamps and bools (already
 * normalised) or a string's bytes.
 */
#ifndef SRT_SKETCH_H
#define SRT_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------- exact distinct values */

/** Adds `len` bytes at `bytes` to the exact distinct-value set `*set`. */
void srt_distinct_add(void **set, const void *bytes, int64_t len);
/** The number of distinct values in `set` (NULL: 0). */
int64_t srt_distinct_count(const void *set);
/** `*dst` becomes the union of `*dst` and `src` (NULL: nothing to add). */
void srt_distinct_merge(void **dst, const void *src);
void srt_distinct_free(void *set);

/* ------------------------------------------------------ HyperLogLog */

/**
 * Adds a value to the HyperLogLog `*hll` (approx_count_distinct). Up to 256
 * distinct values are counted exactly; beyond, 16 KB of registers give a
 * relative standard error of 0.81% (about 99% of counts within 2%).
 */
void srt_hll_add(void **hll, const void *bytes, int64_t len);
/** The estimated number of distinct values (NULL: 0). */
int64_t srt_hll_count(const void *hll);
/** `*dst` becomes the sketch of the union of `*dst` and `src`. */
void srt_hll_merge(void **dst, const void *src);
void srt_hll_free(void *hll);

/* -------------------------------------------------------- quantiles */

/** Adds `x` to the quantile sketch `*digest` (a t-digest). NaN is ignored. */
void srt_digest_add(void **digest, double x);
/**
 * The q-quantile (q in [0, 1]) with linear interpolation between the closest
 * ranks (PostgreSQL percentile_cont): exact while the digest holds at most
 * 300 values (and for data of few distinct values), within 1% of rank
 * beyond; q = 0 and q = 1 give the exact minimum and maximum. May compress
 * the digest in place. The caller guarantees a non-empty digest (NULL or
 * empty: NaN).
 */
double srt_digest_quantile(void *digest, double q);
/** `*dst` becomes the digest of the values of `*dst` and `src`. */
void srt_digest_merge(void **dst, const void *src);
void srt_digest_free(void *digest);

#ifdef __cplusplus
}
#endif

#endif /* SRT_SKETCH_H */
