#!/usr/bin/env bash
# The backup benchmark: `ziti-backup backup` end to end (cold
# snapshot, structural check, zstd -3, SHA-256 of plain and stored bytes,
# store with fsync) against the shell pipeline `cp DB x && zstd -3 -T0 x &&
# sha256sum` (its output fsynced too) and against `restic backup` of the
# same file, into a fresh target each run, round-robin in one run. Prints
# medians, ratios against the shell pipeline and peak RSS, and appends the
# table to docs/benchmarks.md.
#   bench/backup.sh [RUNS] [SIZES...]     defaults: 5 runs, 64MiB 1GiB
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
sizes=("${@:-64MiB 1GiB}"); read -r -a sizes <<<"${sizes[*]}"
[[ -x build/src/cli/ziti-backup && -x build/bin/boltgen ]] || scripts/build.sh
command -v restic >/dev/null || { apt-get update -qq && apt-get install -y -qq restic >/dev/null; }
zb=$PWD/build/src/cli/ziti-backup
peer=$PWD/build/bin/boltgen
work=$(realpath -m "${BENCH_DIR:-bench/out}")  # absolute: commands run from other directories
mkdir -p "$work"
. bench/lib.sh
export RESTIC_PASSWORD=bench-only-not-a-secret
# restic's key derivation on init is not what is measured: init once, copy.
rm -rf "$work/restic-empty"
restic init -q -r "$work/restic-empty" >/dev/null
table=$(mktemp)

for size in "${sizes[@]}"; do
  db=$work/bench-$size.db
  [[ -s $db ]] || "$peer" gen --out "$db" --size "$size" --seed 1 --churn >/dev/null
  cat "$db" >/dev/null
  bytes=$(stat -c %s "$db")
  names=("cp + zstd -3 -T0 + sha256sum (+ fsync)" "ziti-backup backup (cold)" "restic backup (new repo)")
  prep=("rm -rf $work/pipe && mkdir -p $work/pipe"
        "rm -rf $work/zb"
        "rm -rf $work/restic && cp -r $work/restic-empty $work/restic")
  cmds=("cp $db $work/pipe/x && zstd -q -3 -T0 $work/pipe/x -o $work/pipe/x.zst && sha256sum $work/pipe/x $work/pipe/x.zst && sync $work/pipe/x.zst"
        "$zb backup --db $db --target file://$work/zb --method cold"
        "restic -q -r $work/restic backup $db")
  run_rounds "$runs"
  stored_zb=$(du -sb "$work/zb" | cut -f1); stored_restic=$(du -sb "$work/restic" | cut -f1)
  echo "| $size DB ($bytes bytes), $runs rounds | median s | ratio | peak RSS MiB |" | tee -a "$table"
  echo "|---|---|---|---|" | tee -a "$table"
  base=(0 0 0)  # every ratio against the shell pipeline
  print_rows
  rm -f "${results[@]}"
  echo "stored: ziti-backup $stored_zb bytes, restic $stored_restic bytes" | tee -a "$table"
  echo | tee -a "$table"
done
rm -rf "$work/pipe" "$work/zb" "$work/restic" "$work/restic-empty" "$work/time.out" "$work/err.out"

{
  echo
  echo "## Backup"
  echo
  echo "Produced by \`bench/backup.sh $runs ${sizes[*]}\` on $(date -u +%Y-%m-%d), $(nproc) cores, warm"
  echo "page cache, tools round-robin, a fresh target each run. Ratios against the shell pipeline."
  echo
  cat "$table"
} >>docs/benchmarks.md
rm -f "$table"
echo "appended to docs/benchmarks.md"
