#!/usr/bin/env bash
# Side-by-side benchmark, one run: ziti-backup snapshot (cold, hot) against
# `cp` + `sync FILE` and bbolt's own CopyFile/WriteTo (Go peer), and
# ziti-backup check against bbolt's Tx.Check, on generated 64 MiB and 1 GiB
# DBs with a warm page cache. Prints medians, ratios and peak RSS, and writes
# the table to docs/benchmarks.md.
#   bench/run.sh [RUNS] [SIZES...]     defaults: 5 runs, 64MiB 1GiB
#
# The tools take turns (round-robin, one run of each per round, each round
# starting with the next tool), so a disk whose speed drifts (as VM disks
# do: the same `cp` + `sync` took 0.8 s and 2.9 s minutes apart here) slows
# all of them alike instead of whichever happened to run at the wrong time.
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

. bench/lib.sh

for size in "${sizes[@]}"; do
  db=$work/bench-$size.db
  [[ -s $db ]] || "$peer" gen --out "$db" --size "$size" --seed 1 --churn >/dev/null
  cat "$db" >/dev/null  # warm page cache
  bytes=$(stat -c %s "$db")
  # `sync FILE` (fsync of the copy) rather than a global `sync`: the same
  # durability ziti-backup gives its output, without also waiting for the
  # rest of the machine's pending writes (a global sync measured 0.8-2.9 s
  # for the same 1 GiB copy here).
  names=("cp + sync FILE" "ziti-backup snapshot --method cold" "ziti-backup snapshot --method hot"
         "bbolt Tx.CopyFile (Go) + sync FILE" "bbolt Tx.WriteTo (Go) + fsync"
         "bbolt Tx.Check (Go)" "ziti-backup check")
  cmds=("cp $db $work/copy.db && sync $work/copy.db"
        "$zb snapshot --method cold $db $work/copy.db"
        "$zb snapshot --method hot $db $work/copy.db"
        "$peer copy --mode copyfile $db $work/copy.db && sync $work/copy.db"
        "$peer copy --mode writeto $db $work/copy.db" "$peer checkonly $db" "$zb check $db")
  base=(0 0 0 0 0 -1 5)  # ratio against: row 0 (cp + sync) or row 5 (Go Check)
  prep=(); for i in "${!cmds[@]}"; do prep+=("rm -f $work/copy.db"); done
  run_rounds "$runs"
  echo "| $size DB ($bytes bytes), $runs rounds | median s | ratio | peak RSS MiB |" | tee -a "$table"
  echo "|---|---|---|---|" | tee -a "$table"
  print_rows
  rm -f "${results[@]}"
  echo | tee -a "$table"
done
rm -f "$work/copy.db" "$work/time.out" "$work/err.out"

{
  echo "# Benchmarks"
  echo
  echo "Produced by \`bench/run.sh $runs ${sizes[*]}\` on $(date -u +%Y-%m-%d), $(nproc) cores,"
  echo "$(uname -r), warm page cache, tools in round-robin. Ratios: snapshot rows against"
  echo "\`cp\` + \`sync FILE\`; \`ziti-backup check\` against bbolt's Tx.Check (lower is better)."
  echo "Wall times include process start (about 3 ms for ziti-backup, more for the Go peer)."
  echo
  cat "$table"
} >docs/benchmarks.md.new
mv docs/benchmarks.md.new docs/benchmarks.md
rm -f "$table"
echo "wrote docs/benchmarks.md"
