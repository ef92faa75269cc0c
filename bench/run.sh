#!/usr/bin/env bash
# Side-by-side benchmark, one run: ziti-backup snapshot (cold, hot) against
# `cp` + `sync` and bbolt's own CopyFile/WriteTo (Go peer) + `sync`, and
# ziti-backup check against bbolt's Tx.Check, on generated 64 MiB and 1 GiB
# DBs with a warm page cache. Prints medians, ratios and peak RSS, and writes
# the table to docs/benchmarks.md.
#   bench/run.sh [RUNS] [SIZES...]     defaults: 5 runs, 64MiB 1GiB
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
sizes=("${@:-64MiB 1GiB}"); read -r -a sizes <<<"${sizes[*]}"
[[ -x build/src/cli/ziti-backup && -x build/bin/boltgen ]] || scripts/build.sh
zb=$PWD/build/src/cli/ziti-backup
peer=$PWD/build/bin/boltgen
work=${BENCH_DIR:-bench/out}
mkdir -p "$work"
table=$(mktemp)

# Runs a command $runs times; prints "median_seconds max_rss_kib". Wall
# time from the clock in nanoseconds (time's %e has only centiseconds);
# peak RSS from GNU time's report, written to a file of its own.
measure() {
  local times=() rss=0 t0 t1 k report=$work/time.out
  for ((i = 0; i < runs; i++)); do
    rm -f "$work/copy.db"
    t0=$(date +%s%N)
    if ! /usr/bin/time -o "$report" -f '%M' bash -c "$1" >/dev/null 2>"$work/err.out"; then
      echo "bench: failed: $1" >&2
      cat "$work/err.out" >&2
      exit 1
    fi
    t1=$(date +%s%N)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    k=$(tail -1 "$report")
    ((k > rss)) && rss=$k
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v rss="$rss" '{a[NR]=$1} END {printf "%s %s\n", a[int((NR+1)/2)], rss}'
}

row() {  # name, command, baseline_seconds
  read -r t rss < <(measure "$2")
  ratio=$(awk -v t="$t" -v b="$3" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), t / b }')
  printf '| %s | %s | %s | %.1f |\n' "$1" "$t" "$ratio" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" | tee -a "$table"
  last=$t
}

for size in "${sizes[@]}"; do
  db=$work/bench-$size.db
  [[ -s $db ]] || "$peer" gen --out "$db" --size "$size" --seed 1 --churn >/dev/null
  cat "$db" >/dev/null  # warm page cache
  bytes=$(stat -c %s "$db")
  echo "| $size DB ($bytes bytes), $runs runs | median s | ratio | peak RSS MiB |" | tee -a "$table"
  echo "|---|---|---|---|" | tee -a "$table"
  row "cp + sync" "cp $db $work/copy.db && sync" 0; base=$last
  row "ziti-backup snapshot --method cold" "$zb snapshot --method cold $db $work/copy.db" "$base"
  row "ziti-backup snapshot --method hot" "$zb snapshot --method hot $db $work/copy.db" "$base"
  row "bbolt Tx.CopyFile (Go) + sync" "$peer copy --mode copyfile $db $work/copy.db && sync" "$base"
  row "bbolt Tx.WriteTo (Go) + fsync" "$peer copy --mode writeto $db $work/copy.db" "$base"
  row "bbolt Tx.Check (Go)" "$peer checkonly $db" 0; gobase=$last
  row "ziti-backup check" "$zb check $db" "$gobase"
  echo | tee -a "$table"
done
rm -f "$work/copy.db" "$work/time.out" "$work/err.out"

{
  echo "# Benchmarks"
  echo
  echo "Produced by \`bench/run.sh $runs ${sizes[*]}\` on $(date -u +%Y-%m-%d), $(nproc) cores,"
  echo "$(uname -r), warm page cache. Ratios: snapshot rows against \`cp\` + \`sync\`;"
  echo "\`ziti-backup check\` against bbolt's Tx.Check (lower is better)."
  echo
  cat "$table"
} >docs/benchmarks.md
rm -f "$table"
echo "wrote docs/benchmarks.md"
