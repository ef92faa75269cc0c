# Shared by the bench/ scripts: timing one command, and the median of runs.
# Sourced; expects $work (a scratch directory).

# run_once PREPARE COMMAND RESULTS: runs PREPARE untimed, then COMMAND
# timed (wall clock in ns; peak RSS and user + system CPU seconds from GNU
# time), and appends "seconds rss_kib cpu_seconds" to RESULTS.
run_once() {
  local t0 t1 report=$work/time.out
  bash -c "$1" >/dev/null 2>&1 || { echo "bench: prepare failed: $1" >&2; exit 1; }
  sync
  t0=$(date +%s%N)
  if ! /usr/bin/time -o "$report" -f '%M %U %S' bash -c "$2" >/dev/null 2>"$work/err.out"; then
    echo "bench: failed: $2" >&2
    cat "$work/err.out" >&2
    exit 1
  fi
  t1=$(date +%s%N)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $(tail -1 "$report" |
    awk '{ printf "%s %.2f", $1, $2 + $3 }')" >>"$3"
}

# "median_seconds max_rss_kib" of a results file.
summarize() {
  sort -n "$1" | awk '{t[NR]=$1; if ($2 > rss) rss=$2} END {printf "%s %s\n", t[int((NR+1)/2)], rss}'
}

# Median user + system CPU seconds of a results file (less disturbed than
# the wall clock by other load on the machine).
median_cpu() {
  sort -n -k3 "$1" | awk '{c[NR]=$3} END {print c[int((NR+1)/2)]}'
}

# run_rounds RUNS: each command of the array `cmds` RUNS times, round-robin
# (one run of each per round, each round starting with the next command, so
# a disk whose speed drifts slows all alike), after its `prep` command of
# the same index, timed into a fresh file; the files are left in `results`.
run_rounds() {
  local r k i n=${#cmds[@]}
  results=()
  for i in "${!cmds[@]}"; do results+=("$(mktemp)"); done
  for ((r = 0; r < $1; r++)); do
    for ((k = 0; k < n; k++)); do
      i=$(((r + k) % n))
      run_once "${prep[$i]}" "${cmds[$i]}" "${results[$i]}"
    done
  done
}

# print_rows: a table row per command (`names`, `results`) to stdout and
# $table: its median, its ratio against the row `base` names (-1 or itself:
# none), its peak RSS; fills `medians`.
print_rows() {
  local i t rss ratio
  medians=()
  for i in "${!results[@]}"; do
    read -r t rss < <(summarize "${results[$i]}")
    medians+=("$t")
    ratio=-
    if ((base[i] >= 0)) && ((i != base[i])); then
      ratio=$(awk -v t="$t" -v b="${medians[${base[$i]}]}" 'BEGIN { printf "%.2f", t / b }')
    fi
    printf '| %s | %s | %s | %.1f |\n' "${names[$i]}" "$t" "$ratio" \
      "$(awk -v k="$rss" 'BEGIN{print k/1024}')" | tee -a "$table"
  done
}
