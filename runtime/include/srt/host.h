#pragma once
/// \file
/// srt/host.h - the runtime functions the host side calls and generated code
/// never does (none of them is in srt/abi.def): creating, configuring,
/// stopping and reporting a run, record contexts, configuration files,
/// memory readers and writers, the REPL's hooks, `streamc gen`, and the
/// value parsing and formatting the compiler shares with the runtime so that
/// both agree. Included by the driver, the JIT host, the REPL, the compiler's
/// sema and support code that uses those helpers, the runtime files that
/// define or call them (run/Main.cpp: srt_aot_main, a built executable's
/// `main`, runs its program through them) and the runtime's unit tests.

#include "srt/types.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --------------------------------------------------------------- runs */

srt_run *srt_run_create(void);
void srt_run_destroy(srt_run *run);
/** The last fatal error, or NULL. */
const char *srt_run_error(const srt_run *run);
/* --------------------------------------------------- regular expressions */

/** Checks `pattern` as srt_regex_compile compiles it: its number of
 * capturing groups, or -1 with RE2's reason in `why` (NUL-terminated, cut to
 * `size` bytes). */
int32_t srt_regex_check(const char *pattern, int64_t len, char *why, size_t size);
/** Checks a regexp_replace replacement for `pattern` (a valid one): 1, or 0
 * with the reason in `why`. */
int32_t srt_regex_check_rewrite(const char *pattern, int64_t len, const char *rewrite,
                                int64_t rewrite_len, char *why, size_t size);

/* -------------------------------------------------------------- formats */

/** What a connector needs of a format (flags). */
enum { SRT_FORMAT_READ = 1, SRT_FORMAT_WRITE = 2, SRT_FORMAT_MESSAGE = 4 };

/** A record format (LANGUAGE.md §4): the one list of them (formats/
 * Formats.cpp), which the compiler's checks, the readers and writers and
 * the config check all consult. */
typedef struct srt_format_info {
  const char *name;               /* "csv" */
  int code;                       /* enum srt_format */
  uint8_t readable;               /* a source can read it */
  uint8_t writable;               /* a sink can write it */
  uint8_t message;                /* a Kafka message can carry one record of it */
  uint8_t one_header;             /* every record written has the same fields */
  uint8_t is_default;             /* the format of a connector that names none */
  uint8_t one_string;             /* a record is exactly one string field (text) */
  const char *const *extensions;  /* NULL-terminated: ".csv", ... */
} srt_format_info;
/** Every format, in the order messages list them. */
const srt_format_info *srt_formats(uint32_t *count);
/** The format of a connector that names none (and whose path tells none). */
const srt_format_info *srt_format_default(void);
/** The format called `name`, or NULL. */
const srt_format_info *srt_format_find(const char *name, int64_t len);
/** Whether format `f` serves every use in `uses` (SRT_FORMAT_READ, ...). */
int srt_format_serves(const srt_format_info *f, unsigned uses);
/* ----------------------------------------------------------- connectors */

/** A connector (LANGUAGE.md §4): the one list of them (io/Connectors.cpp),
 * which the compiler's checks and the config check consult. */
typedef enum srt_connector_kind {
  SRT_CONNECTOR_FILE = 1,
  SRT_CONNECTOR_STDIN = 2,
  SRT_CONNECTOR_STDOUT = 3,
  SRT_CONNECTOR_KAFKA = 4,
  SRT_CONNECTOR_GENERATE = 5,
  SRT_CONNECTOR_NULL = 6,
} srt_connector_kind;
/** The roles a connector or an argument plays (flags). */
enum { SRT_ROLE_SOURCE = 1, SRT_ROLE_TABLE = 2, SRT_ROLE_SINK = 4 };
/** What an argument's value must be. */
typedef enum srt_arg_kind {
  SRT_ARG_STRING = 1,      /* a constant string */
  SRT_ARG_INT = 2,         /* a constant i64 */
  SRT_ARG_NUMBER = 3,      /* a constant i64 or f64 */
  SRT_ARG_RECORD_EXPR = 4, /* an expression over each record (a Kafka sink's key) */
} srt_arg_kind;
typedef struct srt_connector_arg {
  const char *name;
  srt_arg_kind kind;
  uint8_t required;   /* in the program */
  uint8_t positional; /* may be written without its name (the first argument) */
  uint8_t program;    /* the roles in which a program may give it (0: config only) */
  uint8_t config;     /* the roles in which a config may override it */
} srt_connector_arg;
/** Capabilities (flags). */
enum {
  SRT_CAN_BE_BOUNDED = 1, /* its input may end (a file; a pipe does only when closed) */
  SRT_KEYED = 2,          /* its records carry a key (a Kafka message's) */
  SRT_NEEDS_GROUP = 4,    /* a source reads as a member of a consumer group */
};
typedef struct srt_connector_info {
  const char *name;
  srt_connector_kind kind;
  uint8_t roles;           /* SRT_ROLE_* flags */
  uint8_t source_formats;  /* what a source needs of its format (SRT_FORMAT_READ, ...) */
  uint8_t sink_formats;    /* and a sink */
  uint8_t capabilities;    /* SRT_CAN_BE_BOUNDED, ... */
  const srt_connector_arg *args;
  uint32_t nargs;
} srt_connector_info;
/** Every connector, in the order messages list them. */
const srt_connector_info *srt_connectors(uint32_t *count);
/** The connector called `name`, or NULL. */
const srt_connector_info *srt_connector_find(const char *name);
/** The connector of kind `kind` (every kind has one). */
const srt_connector_info *srt_connector_of_kind(srt_connector_kind kind);

/** The format a file's extension tells ("csv" for .csv; "json" for .json,
 * .jsonl, .ndjson), or NULL. The compiler uses it too, so both agree. */
const char *srt_format_of_path(const char *path, int64_t len);
/** Writes the end-of-run summary (records in/out, skipped records with the
 * first occurrence of each source) to stderr. Nothing when all is clean
 * unless `verbose`. */
void srt_run_report(const srt_run *run, int verbose);
/** Records skipped as malformed, over all sources. */
int64_t srt_run_skipped(const srt_run *run);
/** The program's name (a path's file name without `.stream`): Kafka
 * sources without a configured group join `streamc.<name>.<source>`. */
void srt_run_set_name(srt_run *run, const char *name);
/** `--kafka-brokers`: the brokers of every Kafka source and sink (wins over
 * the config). */
void srt_run_set_kafka_brokers(srt_run *run, const char *brokers);
/** -v: Kafka partition assignments and revocations are reported on stderr. */
void srt_run_set_verbose(srt_run *run, int verbose);
/**
 * Stops a run (SIGINT, SIGTERM): readers report the end of their input and
 * the program finishes, flushing its sinks and committing Kafka offsets;
 * windows fed by a Kafka source keep their open windows (their records are
 * read again after a restart) instead of emitting partial results. Only
 * atomic stores: safe in a signal handler.
 */
void srt_run_stop(srt_run *run);
/** Makes SIGINT and SIGTERM call srt_run_stop(run) (a second one ends the
 * process at once); NULL restores the default handlers. */
void srt_run_stop_on_signals(srt_run *run);

/* ------------------------------------------------------------ readers */

/** `streamc gen KIND`: writes `events` records of generator `kind` (all its
 * fields), or with kind "ysb-campaigns" the YSB ad -> campaign table, to
 * standard output in `format` ("json" or "csv"). Returns 0, or 2 after a
 * message on stderr. */
int srt_gen_main(const char *kind, int64_t events, int64_t seed, const char *format);
/** Opens a reader over a memory buffer (tests, the REPL); the buffer must
 * outlive the reader. */
srt_reader *srt_reader_open_memory(srt_run *run, const char *source, const char *data, size_t len,
                                   int format, const srt_layout *layout);
/** For tests: the read buffer's size in bytes, how often it grew, and the
 * bytes record framing examined so far, of a file, stdin or memory reader
 * (zeros for others). */
void srt_reader_input_stats(const srt_reader *reader, int64_t *buffer_bytes, int64_t *grows,
                            int64_t *framed_bytes);

/* ------------------------------------------------------------ writers */

/** Opens a writer that appends to a memory buffer, read with
 * srt_writer_contents() (tests, the REPL). */
srt_writer *srt_writer_open_memory(srt_run *run, const char *sink, int format,
                                   const srt_layout *layout);
/** What a memory writer has written (after srt_writer_flush()). */
const char *srt_writer_contents(srt_writer *writer, size_t *len);
/** Writes buffered output. Returns 0, or -1 (with the run's error set). */
int srt_writer_flush(srt_writer *writer);

/* ----------------------------------------------------- record contexts */

/** The context generated code runs in (srt_ctx, srt/types.h), one per run. */
srt_ctx *srt_ctx_create(srt_run *run);
void srt_ctx_destroy(srt_ctx *ctx);

/* ------------------------------------------------------ configuration */

/**
 * A YAML configuration file (`--config app.yaml`):
 *
 *   params:  { threshold: 800 }
 *   sources: { clicks: { path: data/other.csv, format: csv } }
 *   sinks:   { out: { format: table } }
 *
 * Loaded once by `streamc run` or a built executable; readers and writers
 * apply the sources:/sinks: overrides of their connector arguments by name.
 */
typedef struct srt_config srt_config;

enum srt_config_section { SRT_CONFIG_PARAMS = 0, SRT_CONFIG_SOURCES = 1, SRT_CONFIG_SINKS = 2 };

/** Loads and checks a configuration. Returns NULL with srt_run_error() set
 * when the file cannot be read or is not YAML. Otherwise returns the
 * configuration, with every mistake found in it (an unknown or duplicate
 * key, a value of the wrong kind, a second document) listed by
 * srt_config_error(): a configuration with mistakes must not be run. */
srt_config *srt_config_load(srt_run *run, const char *path);
void srt_config_destroy(srt_config *config);
/** The mistakes of a loaded configuration, in the order of the file, each
 * as `FILE:LINE: message`. */
uint32_t srt_config_error_count(const srt_config *config);
const char *srt_config_error(const srt_config *config, uint32_t i);
/** Receives one mistake, as `FILE:LINE: message`. */
typedef void (*srt_config_report)(void *user, const char *message);
/** Checks the names a configuration gives against a program's: every source
 * and sink it overrides must be one of `sources` / `sinks`, and
 * runtime.dead_letter must name one of `sinks` that no pipeline writes to
 * (`written`, the sinks pipelines write to: may be unknown, n = 0). Reports
 * each mistake ("did you mean" included); returns how many. */
uint32_t srt_config_check_names(const srt_config *config, const char *const *sources,
                                uint32_t nsources, const char *const *sinks, uint32_t nsinks,
                                const char *const *written, uint32_t nwritten,
                                srt_config_report report, void *user);
/** Checks the overrides of source or sink `name` (section
 * SRT_CONFIG_SOURCES or SRT_CONFIG_SINKS) against its connector (`file`,
 * `stdin`, `stdout`, `kafka`, `generate` or `null`): each must be an
 * argument that connector takes (a `path` for a stdout() sink is a
 * mistake), and a format one it reads or writes. Reports each mistake;
 * returns how many. */
uint32_t srt_config_check_connector(const srt_config *config, int section, const char *name,
                                    const char *connector, srt_config_report report, void *user);
/** The entries of a section: their count, and each one's name and line. */
uint32_t srt_config_count(const srt_config *config, int section);
const char *srt_config_name(const srt_config *config, int section, uint32_t i, int32_t *line);
/** The text of a param's value, or NULL. */
const char *srt_config_param(const srt_config *config, const char *name);
/** "FILE:LINE" of an entry, for messages. */
const char *srt_config_where(const srt_config *config, int section, uint32_t i);
/** Makes readers and writers of `run` apply the config's overrides (the run
 * does not own the config). */
void srt_run_use_config(srt_run *run, const srt_config *config);
/** `runtime: { read_batch_kb, write_batch_kb }`: bytes a reader asks for per
 * read, and a writer buffers before writing; 0 when not set. */
int64_t srt_config_read_batch(const srt_config *config);
int64_t srt_config_write_batch(const srt_config *config);
/** The configuration file's path. */
const char *srt_config_file(const srt_config *config);
/** The sink named by `runtime: { dead_letter: ... }`, or NULL. */
const char *srt_config_dead_letter(const srt_config *config, int32_t *line);

/* ---------------------------------------------- interactive use (the REPL) */

/**
 * Asks a running program to stop: every reader's next srt_reader_next()
 * reports the end of its input (a blocked read of standard input returns
 * too), so the program finishes as if its sources had ended: open windows
 * fire and sinks are flushed and closed. Only an atomic store: safe to call
 * from a signal handler (the REPL's Ctrl-C).
 */
void srt_run_interrupt(srt_run *run);
/** Whether srt_run_interrupt() was called for this run. */
int srt_run_interrupted(const srt_run *run);

/** Receives each record written to a captured sink, with its layout; the
 * record (and its strings) are valid only during the call. */
typedef void (*srt_capture_fn)(void *user, const srt_layout *layout, const void *record);
/**
 * Records written to the sink named `sink` go to `fn` instead of the sink's
 * connector (the REPL shows the rows of a pipeline without `into`, the sink
 * "<stdout>", as a table). Call before the program opens its sinks.
 */
void srt_run_capture_sink(srt_run *run, const char *sink, srt_capture_fn fn, void *user);
/** Records written so far to the sink named `sink` (its writers, or the count
 * a `null()` sink reported), or -1 when no sink of that name was opened. */
int64_t srt_run_sink_written(const srt_run *run, const char *sink);
/**
 * Formats a field of `record` as table output shows it: `null`, `true`,
 * numbers, RFC 3339 timestamps, strings as they are (not escaped). Returns
 * the text's length and sets `*text` to it: either `buf` (which needs 40
 * bytes) or the string value itself.
 */
size_t srt_format_field(const srt_field *field, const void *record, char *buf, const char **text);
/** Whether field `i` of `layout` is null in `record`: its own null flag, or
 * a nested record holding it is null (LANGUAGE.md §4). */
int srt_field_is_null(const srt_layout *layout, uint32_t i, const void *record);

/** The candidate closest to `name` by edit distance (a transposition is one
 * edit; a prefix of 4 or more characters counts as one), or NULL when none
 * is close enough to be a plausible typo: for "did you mean". */
const char *srt_closest_name(const char *name, const char *const *candidates, uint32_t n);

/* ------------------------------------------------ standalone executables */

/**
 * Parses a command-line value of a param of `type` (`800`, `0.5`, `true`,
 * `5s` or `5000` for durations, RFC 3339 or epoch ms for timestamps, any
 * text for strings, which are not copied) into `out`. Returns 1, or 0 with
 * `*error` set to a static explanation.
 */
int srt_parse_value(uint32_t type, const char *text, void *out, const char **error);

/* ----------------------------------------------------- time and numbers */

/** The longest text srt_format_timestamp writes (INT64_MIN ms is
 * `-292275055-05-16T16:47:04.192Z`); its `out` needs this many bytes. */
#define SRT_TIMESTAMP_MAX_LEN 30

/** Parses RFC 3339 (`2025-01-01T00:00:05.250Z`, offsets allowed, date only
 * allowed), with a year of four digits or, as ISO 8601's expanded form, a
 * sign and six or more (`+010000-01-01`, `-000001-12-31`; not `-000000`), or
 * an integer of epoch milliseconds. Returns 1 on success, 0 for malformed
 * text and for an instant outside the int64 range of milliseconds. */
int srt_parse_timestamp(const char *text, size_t len, int64_t *ms);
/** Writes `ms` (any int64) as RFC 3339 UTC with milliseconds and returns the
 * length: 24 for years 0000-9999 (`2025-01-01T00:00:05.000Z`); other years
 * as JavaScript's Date.toISOString writes them, a sign and at least six
 * digits (`+010000-01-01T00:00:00.000Z`). `out` needs SRT_TIMESTAMP_MAX_LEN
 * bytes; no terminating NUL is written. */
size_t srt_format_timestamp(int64_t ms, char *out);
/** A table cell's text on one line (line breaks, tabs and carriage returns
 * escaped as \n, \t, \r), as table sinks write it. `out` needs 2 * len
 * bytes; returns the length written. */
size_t srt_table_cell(const char *text, size_t len, char *out);
/** The width of `len` bytes of UTF-8 text in a table: its characters, not
 * its bytes (table sinks and the REPL's tables align on it). */
size_t srt_display_width(const char *text, size_t len);
/** Writes the shortest text that reads back as `v`; returns its length.
 * `out` needs 32 bytes. */
size_t srt_format_double(double v, char *out);

#ifdef __cplusplus
}
#endif
