#pragma once
/// \file
/// srt/types.h - the C types both sides of the runtime interface share:
/// values and record layouts, the opaque handles (run, context, readers,
/// writers, tables, windows, the scheduler), the window and aggregate state
/// generated code lays out, and a built program's descriptor. Included by
/// srt/abi.h and srt/host.h, and directly by the compiler's codegen (which
/// lays records and states out to match) and by runtime/src headers that
/// need only types. It declares no functions.
///
/// Records are plain structs whose layout the compiler chooses; the runtime
/// learns it from an srt_layout (field names, types, offsets, null flags, and
/// which fields the program reads). Readers parse only the read fields,
/// straight into the record; string values are views into the reader's
/// buffer, valid until the next srt_reader_next() on that reader.
///
/// This header never includes compiler headers, and the runtime never calls
/// into the compiler.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ values */

/** A string value: a view of `len` bytes (not NUL-terminated). */
typedef struct srt_str {
  const char *ptr;
  int64_t len;
} srt_str;

/** Field types. timestamp: epoch milliseconds (UTC); duration: milliseconds. */
enum srt_type {
  SRT_BOOL = 1,      /* stored as uint8_t (0 or 1) */
  SRT_I64 = 2,       /* int64_t */
  SRT_F64 = 3,       /* double */
  SRT_STRING = 4,    /* srt_str */
  SRT_TIMESTAMP = 5, /* int64_t */
  SRT_DURATION = 6,  /* int64_t */
  SRT_RECORD = 7,    /* a nested record: no value of its own (its null flag only);
                        its fields are the `nested` entries after it */
};

/** One field of a record layout. */
typedef struct srt_field {
  const char *name;
  uint32_t type;       /* enum srt_type */
  uint32_t offset;     /* byte offset of the value in the record */
  int32_t null_offset; /* byte offset of a uint8_t null flag (1 = null); -1: never null */
  uint32_t read;       /* readers: 0 = the program never reads this field */
  uint32_t nested;     /* SRT_RECORD: how many entries after this one are its fields
                          (at any depth), named by their dotted path ("geo.city");
                          0 otherwise */
} srt_field;

/** The layout of one record type. */
typedef struct srt_layout {
  uint32_t nfields;
  uint32_t size; /* bytes of one record */
  const srt_field *fields;
} srt_layout;

/** Data formats. */
enum srt_format {
  SRT_FORMAT_CSV = 1,
  SRT_FORMAT_JSON = 2,
  SRT_FORMAT_TABLE = 3, /* sinks only: aligned columns */
  SRT_FORMAT_TEXT = 4,  /* one string field per line */
};

/* --------------------------------------------------------------- runs */

/**
 * A run: statistics, the first malformed record of each source, and the
 * last fatal error (a missing file, an unwritable sink).
 */
typedef struct srt_run srt_run;

/* ------------------------------------------------------------ readers */

typedef struct srt_reader srt_reader;

/** The scheduler that drives a program's sources (srt_sched_* in abi.def). */
typedef struct srt_sched srt_sched;

/** How a step of one source ended (srt_sched_done). */
enum srt_step_status {
  SRT_STEP_END = 0,  /* the source has ended */
  SRT_STEP_MORE = 1, /* the batch is full: more may be ready */
  SRT_STEP_WAIT = 2, /* nothing more without waiting */
};

/* ------------------------------------------------------------ writers */

typedef struct srt_writer srt_writer;

/* ------------------------------------------------- generated-code helpers */

/**
 * The context generated code runs in: the run, and a scratch arena for the
 * strings expressions build while one record is processed (reset by
 * srt_record_begin, so nothing is allocated per record once it has grown).
 */
typedef struct srt_ctx srt_ctx;

/** A compiled regular expression (RE2): compiled once at start-up by
 * srt_regex_compile, owned by the run, shared by every record. */
typedef struct srt_regex srt_regex;

/* ------------------------------------------------------------- tables */

/** A table (`table t: S = file(...) key k`): loaded fully before streaming
 * starts, keyed by one field, probed per record by `lookup`. */
typedef struct srt_table srt_table;

/* ------------------------------------------------------------ windows */

/**
 * Windowed aggregation (`window ... aggregate {...}`). The compiler lays out
 * each window's aggregate state as a fixed-size struct (of the srt_agg_*
 * slots below, among others), zeroed when created, updates it inline and
 * generates the functions that merge and free it (srt_window_desc). The
 * runtime keeps one state per key and window (slice, for sliding windows) in
 * an open-addressing hash table keyed by the key's bytes (hashed once, with
 * XXH3), fires windows as the watermark passes their end, and frees their
 * state when they have fired.
 */
typedef struct srt_window srt_window;
typedef struct srt_join srt_join;
/** The state of a `distinct` stage (runtime/src/dedup/Dedup.cpp). */
typedef struct srt_dedup srt_dedup;
/** The state of a `top` stage (runtime/src/top/Top.cpp). */
typedef struct srt_top srt_top;
/** The state of an `extend over` stage and one key's frame
 * (runtime/src/frame/Frame.cpp). */
typedef struct srt_frame srt_frame;
typedef struct srt_frame_key srt_frame_key;
enum srt_frame_kind {
  SRT_FRAME_ROWS = 1,
  SRT_FRAME_RANGE = 2,
  SRT_FRAME_UNBOUNDED = 3,
};

enum srt_window_kind {
  SRT_WINDOW_TUMBLING = 1,
  SRT_WINDOW_SLIDING = 2,
  SRT_WINDOW_SESSION = 3,
  SRT_WINDOW_COUNT = 4,
  SRT_WINDOW_ALL = 5, /* one window per key, fired at the end of the input */
};

/** A number-valued aggregate slot; n counts the values it has seen. */
typedef struct srt_agg_value {
  union {
    int64_t i;
    double f;
  } v;
  int64_t n;
  int64_t seq;
} srt_agg_value;

/** A string-valued aggregate slot: an owned copy (cap bytes allocated). */
typedef struct srt_agg_string {
  char *ptr;
  int64_t len;
  int64_t cap;
  int64_t n;
  int64_t seq;
} srt_agg_string;

/** Sample moments (Welford): n, mean, and the sum of squared deviations. */
typedef struct srt_agg_moments {
  int64_t n;
  double mean;
  double m2;
} srt_agg_moments;

/** Co-moments of pairs (y, x) (Welford): n, the means, the sums of squared
 * deviations and the sum of co-deviations; regr_*, corr and covar_*. */
typedef struct srt_agg_comoments {
  int64_t n;
  double mean_x, mean_y;
  double m2_x, m2_y;
  double c_xy;
} srt_agg_comoments;

/** The learning functions of `extend over` (LANGUAGE.md §6.2) take up to
 * SRT_LEARN_MAX_FEATURES features x1..xk. */
#define SRT_LEARN_MAX_FEATURES 8
/** kmeans_assign's largest k. */
#define SRT_KMEANS_MAX_CLUSTERS 64

/** linreg_predict: the running means and co-moments (Welford) of
 * (x1..xk, y), the matrix row-major over k + 1 variables. */
typedef struct srt_linreg {
  int64_t n;
  double mean[SRT_LEARN_MAX_FEATURES + 1];
  double c[(SRT_LEARN_MAX_FEATURES + 1) * (SRT_LEARN_MAX_FEATURES + 1)];
} srt_linreg;

/** logreg_predict: the weights, w[0] the intercept. */
typedef struct srt_logreg {
  double w[SRT_LEARN_MAX_FEATURES + 1];
} srt_logreg;

/** kmeans_assign: the centroids founded so far, each with its count. */
typedef struct srt_kmeans {
  int64_t clusters;
  int64_t n[SRT_KMEANS_MAX_CLUSTERS];
  double c[SRT_KMEANS_MAX_CLUSTERS * SRT_LEARN_MAX_FEATURES];
} srt_kmeans;

/** The statistics of co-moments (srt_agg_comoments_result). */
enum srt_comoment {
  SRT_REGR_SLOPE = 1,
  SRT_REGR_INTERCEPT = 2,
  SRT_REGR_R2 = 3,
  SRT_CORR = 4,
  SRT_COVAR_SAMP = 5,
  SRT_COVAR_POP = 6,
};

/** Folds the aggregate state `src` into `dst` (the slices of a sliding
 * window, sessions that merge); generated per window by the compiler. */
typedef void (*srt_state_merge_fn)(void *dst, const void *src);
/** Frees what an aggregate state owns (string copies, sketches). */
typedef void (*srt_state_free_fn)(void *state);

typedef struct srt_window_desc {
  const char *where; /* "app.stream:12:3", for the run summary */
  uint32_t kind;     /* enum srt_window_kind */
  int64_t size;      /* tumbling and sliding size, session gap (ms) */
  int64_t slide;     /* sliding (ms) */
  int64_t count;     /* count windows */
  uint32_t state_size;
  srt_state_merge_fn merge;
  srt_state_free_fn destroy; /* NULL: the state owns no memory */
  /* The bytes of a key each entry of the window's key tables keeps (a
   * multiple of 8, at least 8; a longer key is kept on the heap): the
   * compiler lays out the entries, SRT_KEY_ENTRY_KEY + key_capacity is
   * where a tumbling or sliding window's state starts. */
  uint32_t key_capacity;
} srt_window_desc;

/** The times generated code reads and writes inline, once per record. */
typedef struct srt_window_clock {
  /** Some window may fire once the watermark reaches this (INT64_MAX: none
   * is open; INT64_MIN: a count window is full). */
  int64_t fire_at;
  /** The window's input watermark, which decides lateness; generated code
   * stores the new value after each record's windows have fired. */
  int64_t watermark;
} srt_window_clock;

/**
 * The slice of a tumbling or sliding window the last record went to, as
 * generated code probes it inline (srt_window_hot_of): a record with
 * `start <= time < end`, not late (`last_end` beyond both the window's
 * watermark and the record's late bound), and a key of at most 16 bytes
 * finds its state here without a call; any other record, or a key not yet
 * in the table, calls srt_window_state, which inserts it and refreshes this
 * view. `start == end`: no slice. The table (runtime/src/window/KeyTable.h):
 * `index[h >> shift]`, linear probing (`& mask`), holds 0 (empty) or an
 * entry number + 1, where h is the key's srt_key_hash; entry n is at
 * `entries + n * stride`, laid out as the SRT_KEY_ENTRY_* offsets say, and
 * `stride` is SRT_KEY_ENTRY_KEY + srt_window_desc.key_capacity + the state
 * size rounded up to 8 bytes, which the compiler knows.
 */
typedef struct srt_window_hot {
  int64_t start;
  int64_t end;
  int64_t last_end;
  uint64_t mask;
  uint64_t shift;
  const uint32_t *index;
  char *entries;
} srt_window_hot;

/** Where an entry of a window's key table keeps its key's hash (u64), its
 * length (u32) and its bytes (srt_window_desc.key_capacity of them,
 * zero-padded); the aggregate state follows them. */
enum {
  SRT_KEY_ENTRY_HASH = 0,
  SRT_KEY_ENTRY_LEN = 8,
  SRT_KEY_ENTRY_KEY = 16,
};
/** srt_key_hash of a key of at most SRT_KEY_INLINE_MAX (40) bytes: its
 * bytes zero-padded to five little-endian words w0..w4, then
 * (w0 + len) * K0 ^ w1 * K1 ^ w2 * K2 ^ w3 * K3 ^ w4 * K4, whose top bits
 * pick the slot (longer keys: XXH3). Generated code computes it inline. */
#define SRT_KEY_INLINE_MAX 40
#define SRT_KEY_HASH_K0 0x9E3779B97F4A7C15ull
#define SRT_KEY_HASH_K1 0xC2B2AE3D27D4EB4Full
#define SRT_KEY_HASH_K2 0x165667B19E3779F9ull
#define SRT_KEY_HASH_K3 0x85EBCA77C2B2AE63ull
#define SRT_KEY_HASH_K4 0x9E3779B185EBCA87ull

/** One result a fired window yields. */
typedef struct srt_window_row {
  const void *key; /* the key's bytes, as given to srt_window_state */
  int64_t key_len;
  int64_t start;
  int64_t end;
} srt_window_row;

/* ------------------------------------------------ standalone executables */

/** A param of a built program: its current value lives in `value` (the
 * type's C representation) and `null` (1 = null). */
typedef struct srt_param {
  const char *name;
  uint32_t type; /* enum srt_type */
  uint32_t nullable;
  void *value;
  uint8_t *null;
  uint32_t has_value; /* 0: no default; must be given */
  uint8_t *given;     /* set to 1 when --param or the config gives the value */
} srt_param;

/** What `main` of a built executable needs to know about its program. */
typedef struct srt_program {
  const char *name;
  const char *help; /* the program's sources, sinks and params, for --help */
  srt_param *params;
  uint32_t nparams;
  int32_t (*run)(srt_run *run, srt_ctx *ctx);
  const char *const *sources; /* names, for checking a config */
  uint32_t nsources;
  const char *const *sinks;
  uint32_t nsinks;
} srt_program;

#ifdef __cplusplus
}
#endif
