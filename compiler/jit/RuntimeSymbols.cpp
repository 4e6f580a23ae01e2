#include "jit/RuntimeSymbols.h"

#include <srt/runtime.h>

namespace streamc {

const std::vector<std::pair<const char *, void *>> &runtimeSymbols() {
#define SRT_SYMBOL(name)                                                                           \
  { #name, reinterpret_cast < void *>(&name) }
  static const std::vector<std::pair<const char *, void *>> symbols = {
      SRT_SYMBOL(srt_reader_open),
      SRT_SYMBOL(srt_reader_open_text),
      SRT_SYMBOL(srt_writer_open_text),
      SRT_SYMBOL(srt_reader_open_generator),
      SRT_SYMBOL(srt_reader_open_kafka),
      SRT_SYMBOL(srt_reader_watermark),
      SRT_SYMBOL(srt_writer_open_kafka),
      SRT_SYMBOL(srt_writer_write_keyed),
      SRT_SYMBOL(srt_writer_write_keyed_i64),
      SRT_SYMBOL(srt_table_load),
      SRT_SYMBOL(srt_table_find_i64),
      SRT_SYMBOL(srt_table_find_str),
      SRT_SYMBOL(srt_table_destroy),
      SRT_SYMBOL(srt_run_declare_sink),
      SRT_SYMBOL(srt_run_count_sink),
      SRT_SYMBOL(srt_run_fail),
      SRT_SYMBOL(srt_run_check_setting),
      SRT_SYMBOL(srt_run_keep_string),
      SRT_SYMBOL(srt_run_check_fraction),
      SRT_SYMBOL(srt_window_create),
      SRT_SYMBOL(srt_window_destroy),
      SRT_SYMBOL(srt_window_clock_of),
      SRT_SYMBOL(srt_window_state),
      SRT_SYMBOL(srt_window_fire),
      SRT_SYMBOL(srt_window_next),
      SRT_SYMBOL(srt_window_key_buffer),
      SRT_SYMBOL(srt_agg_string_set),
      SRT_SYMBOL(srt_clock_ms),
      SRT_SYMBOL(srt_distinct_add),
      SRT_SYMBOL(srt_distinct_count),
      SRT_SYMBOL(srt_hll_add),
      SRT_SYMBOL(srt_hll_count),
      SRT_SYMBOL(srt_digest_add),
      SRT_SYMBOL(srt_digest_quantile),
      SRT_SYMBOL(srt_reader_next),
      SRT_SYMBOL(srt_reader_reject),
      SRT_SYMBOL(srt_reader_close),
      SRT_SYMBOL(srt_writer_open),
      SRT_SYMBOL(srt_writer_write),
      SRT_SYMBOL(srt_writer_write_as),
      SRT_SYMBOL(srt_writer_close),
      SRT_SYMBOL(srt_record_begin),
      SRT_SYMBOL(srt_now),
      SRT_SYMBOL(srt_str_concat),
      SRT_SYMBOL(srt_str_lower),
      SRT_SYMBOL(srt_str_upper),
      SRT_SYMBOL(srt_str_trim),
      SRT_SYMBOL(srt_str_substr),
      SRT_SYMBOL(srt_str_replace),
      SRT_SYMBOL(srt_str_compare),
      SRT_SYMBOL(srt_str_find),
      SRT_SYMBOL(srt_i64_to_str),
      SRT_SYMBOL(srt_f64_to_str),
      SRT_SYMBOL(srt_ts_to_str),
      SRT_SYMBOL(srt_str_to_i64),
      SRT_SYMBOL(srt_str_to_f64),
      SRT_SYMBOL(srt_str_to_ts),
      SRT_SYMBOL(srt_ts_part),
      SRT_SYMBOL(srt_round),
  };
#undef SRT_SYMBOL
  return symbols;
}

} // namespace streamc
