# Shared by the bench/*.sh scripts (source it).

# best_of_3 COMMAND...: the best wall-clock seconds of three runs.
best_of_3() {
  local best=999
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $t1 - $t0))")
  done
  echo "$best"
}
