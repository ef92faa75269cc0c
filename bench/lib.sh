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
