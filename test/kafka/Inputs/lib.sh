# Shared by the tests in test/kafka (sourced by bash): topics, producing and
# consuming with kcat, and configs. with-kafka.py provides KAFKA_BROKERS and
# TOPIC_PREFIX; the test passes %kafka-tool and %streamc as $1 and $2.
set -euo pipefail
KAFKA_TOOL=$1
STREAMC=$2
WORK=$3 # a scratch directory (%t)
rm -rf "$WORK" && mkdir -p "$WORK"

# Programs started in the background with `start` are killed when the test
# ends, however it ends (else lit would wait for them).
BACKGROUND=()
trap 'for p in "${BACKGROUND[@]}"; do kill -9 "$p" 2>/dev/null || true; done' EXIT
# start LOG CMD...: runs CMD in the background, stderr to LOG; sets $!.
start() {
  local log=$1
  shift
  "$@" 2>"$log" &
  BACKGROUND+=($!)
}

# create_topic NAME PARTITIONS
create_topic() {
  "$KAFKA_TOOL" create-topic --brokers "$KAFKA_BROKERS" --topic "$TOPIC_PREFIX$1" --partitions "$2"
}

# produce NAME: key:value lines on stdin become keyed messages.
produce() { kcat -b "$KAFKA_BROKERS" -P -t "$TOPIC_PREFIX$1" -K: ; }

# consume NAME [FORMAT]: every message now in the topic, sorted.
consume() {
  kcat -b "$KAFKA_BROKERS" -X fetch.wait.max.ms=10 -C -t "$TOPIC_PREFIX$1" -q -e -o beginning -f "${2:-%k %s\n}" | sort
}

# wait_for NAME COUNT: waits (up to 60 s) until the topic holds COUNT messages.
wait_for() {
  timeout 60 kcat -b "$KAFKA_BROKERS" -C -t "$TOPIC_PREFIX$1" -q -o beginning -c "$2" -f '.' >/dev/null
}

# wait_line FILE PATTERN: waits (up to 60 s) until FILE has a line matching.
wait_line() {
  for _ in $(seq 600); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2
  cat "$1" >&2
  return 1
}

# config FILE GROUP [RUNTIME] [SOURCE/SINK TOPIC]...: a config naming the
# brokers and group, `runtime: { RUNTIME }`, and topics per source or sink
# (`sources.clicks=in` / `sinks.out=out`, prefixed). The mock cluster keeps a
# member that left until its session times out, so sessions are short (6 s,
# the smallest a real broker allows by default).
config() {
  local file=$1 group=$2 runtime=$3
  shift 3
  {
    echo "kafka:"
    echo "  brokers: $KAFKA_BROKERS"
    echo "  group: $TOPIC_PREFIX$group"
    echo "  properties: { session.timeout.ms: 6000${KAFKA_DEBUG:+, debug: $KAFKA_DEBUG} }"
    echo "runtime: { $runtime }"
    local section
    for section in sources sinks; do
      local printed=0 arg
      for arg in "$@"; do
        if [[ $arg == $section.* ]]; then
          [[ $printed == 1 ]] || echo "$section:"
          printed=1
          local name=${arg#$section.}
          echo "  ${name%%=*}: { topic: $TOPIC_PREFIX${name#*=} }"
        fi
      done
    done
  } >"$file"
}

# refuse_commits N: the mock cluster answers the next N offset commits (of
# any consumer) with "Group rebalance in progress" (needs the mock cluster).
refuse_commits() {
  "$KAFKA_TOOL" refuse-commits --brokers "$KAFKA_BROKERS" --count "$1"
}
