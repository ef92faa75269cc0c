#!/usr/bin/env bash
# Two ziti-backup binaries side by side (e.g. the last release and this
# build) on `check` and `backup` of the same DB, in interleaved rounds so a
# drifting disk or a busy neighbour slows both alike. Prints medians, the
# new/old ratio and peak RSS: the check that a change kept the speed.
#   bench/compare.sh OLD_BINARY NEW_BINARY [RUNS] [SIZE]   defaults: 9 runs, 1GiB
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 2 ]] || { echo "usage: bench/compare.sh OLD_BINARY NEW_BINARY [RUNS] [SIZE]" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2") runs=${3:-9} size=${4:-1GiB}
[[ -x build/bin/boltgen ]] || scripts/build.sh
peer=$PWD/build/bin/boltgen
work=$(realpath -m "${BENCH_DIR:-bench/out}")  # absolute: commands run from other directories
mkdir -p "$work"
. bench/lib.sh

db=$work/bench-$size.db
[[ -s $db ]] || "$peer" gen --out "$db" --size "$size" --seed 1 --churn >/dev/null
cat "$db" >/dev/null  # warm page cache

printf '| %s DB, %s rounds | old median s | new median s | new/old | old / new peak RSS MiB |\n|---|---|---|---|---|\n' \
  "$size" "$runs"
for job in check backup; do
  rm -f "$work/old.$job" "$work/new.$job"
  for ((i = 0; i < runs; i++)); do
    # Alternate which binary goes first.
    order=(old new)
    ((i % 2)) && order=(new old)
    for which in "${order[@]}"; do
      bin=$old
      [[ $which == new ]] && bin=$new
      case $job in
        check) run_once true "$bin check $db" "$work/$which.$job" ;;
        backup)
          run_once "rm -rf $work/cmp-target && mkdir -m 0700 $work/cmp-target" \
            "$bin backup --db $db --target file://$work/cmp-target --method cold" \
            "$work/$which.$job" ;;
      esac
    done
  done
  read -r to ro < <(summarize "$work/old.$job")
  read -r tn rn < <(summarize "$work/new.$job")
  awk -v j="$job" -v to="$to" -v tn="$tn" -v ro="$ro" -v rn="$rn" \
    'BEGIN { printf "| %s | %.3f | %.3f | %.3f | %.1f / %.1f |\n", j, to, tn, tn / to, ro / 1024, rn / 1024 }'
done
rm -rf "$work/cmp-target"
