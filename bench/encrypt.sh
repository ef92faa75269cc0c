#!/usr/bin/env bash
# The encryption benchmark: `ziti-backup backup --age-recipient` end to end
# (cold snapshot, structural check, SHA-256 of the plain bytes, zstd -3 on
# every core, age v1 to an X25519 recipient, SHA-256 of the stored bytes,
# store with fsync) against the shell pipeline `cp DB x && zstd -3 -T0 x &&
# age -r R x.zst > x.zst.age && sha256sum x x.zst.age && sync x.zst.age`,
# with the unencrypted backup beside it for context; `restore` of the
# encrypted snapshot against `age -d | zstd -d` (+ sha256sum + fsync); and
# the age CLI encrypting the compressed stream, to set against the time the
# encryption adds to backup. All round-robin in one run, a fresh target each
# run. Prints medians, ratios and peak RSS, then the encryption throughput
# (the age CLI's measured, ziti-backup's derived from the difference of two
# medians), and appends it all to docs/benchmarks.md.
#   bench/encrypt.sh [RUNS] [SIZES...]     defaults: 5 runs, 64MiB 1GiB
# ZB and PEER name other ziti-backup and boltgen binaries (default: build/).
# The key pair is made at run time in the output directory and deleted at
# the end; it is never anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
sizes=("${@:-64MiB 1GiB}"); read -r -a sizes <<<"${sizes[*]}"
zb=${ZB:-$PWD/build/src/cli/ziti-backup}
peer=${PEER:-$PWD/build/bin/boltgen}
[[ -x $zb && -x $peer ]] || scripts/build.sh
command -v age >/dev/null && command -v zstd >/dev/null ||
  { apt-get update -qq && apt-get install -y -qq age zstd >/dev/null; }
work=$(realpath -m "${BENCH_DIR:-bench/out}")  # absolute: commands run from other directories
mkdir -p "$work"
. bench/lib.sh
key=$work/bench-age.key
rm -f "$key"
recipient=$("$zb" keygen --output "$key")
[[ $recipient == age1* ]] || { echo "bench: keygen printed no recipient" >&2; exit 1; }
table=$(mktemp)
# rate BYTES SECONDS: "N MB/s (S s)", or no rate when S is not above 0.
rate() {
  awk -v b="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f MB/s (%.2f s)", b / t / 1e6, t;
                                   else printf "no rate (%.2f s)", t }'
}
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "$("$zb" --version), age $(age --version), $(zstd --version | sed 's/^\*\*\* //; s/ \*\*\*$//')" | tee -a "$table"
echo | tee -a "$table"
derived=()
for size in "${sizes[@]}"; do
  db=$work/bench-$size.db
  [[ -s $db ]] || "$peer" gen --out "$db" --size "$size" --seed 1 --churn >/dev/null
  cat "$db" >/dev/null  # warm page cache
  bytes=$(stat -c %s "$db")
  # Sources for the restore and age CLI rows, made once and untimed.
  rm -rf "$work/src-pipe" "$work/src-zb" && mkdir -p "$work/src-pipe"
  zstd -q -3 -T0 "$db" -o "$work/src-pipe/x.zst"
  age -r "$recipient" "$work/src-pipe/x.zst" >"$work/src-pipe/x.zst.age"
  "$zb" backup --db "$db" --target "file://$work/src-zb" --method cold \
    --age-recipient "$recipient" >/dev/null 2>&1
  names=("cp + zstd -3 -T0 + age -r + sha256sum (+ fsync)"
         "ziti-backup backup (cold, age)"
         "ziti-backup backup (cold, no encryption)"
         "ziti-backup backup --compress none (cold, age)"
         "ziti-backup backup --compress none (cold, no encryption)"
         "age -r < x.zst > /dev/null (age CLI, the compressed stream)"
         "age -d -i K x.zst.age \\| zstd -d (+ sha256sum + fsync)"
         "ziti-backup restore latest --identity K")
  prep=("rm -rf $work/pipe && mkdir -p $work/pipe"
        "rm -rf $work/zb" "rm -rf $work/zb" "rm -rf $work/zb" "rm -rf $work/zb"
        "cat $work/src-pipe/x.zst >/dev/null"
        "rm -rf $work/restore && mkdir -p $work/restore && cat $work/src-pipe/x.zst.age >/dev/null"
        "rm -rf $work/restore && mkdir -p $work/restore && cat $work/src-zb/*.age >/dev/null")
  cmds=("cp $db $work/pipe/x && zstd -q -3 -T0 $work/pipe/x -o $work/pipe/x.zst && age -r $recipient $work/pipe/x.zst > $work/pipe/x.zst.age && sha256sum $work/pipe/x $work/pipe/x.zst.age && sync $work/pipe/x.zst.age"
        "$zb backup --db $db --target file://$work/zb --method cold --age-recipient $recipient"
        "$zb backup --db $db --target file://$work/zb --method cold"
        "$zb backup --db $db --target file://$work/zb --method cold --compress none --age-recipient $recipient"
        "$zb backup --db $db --target file://$work/zb --method cold --compress none"
        "age -r $recipient < $work/src-pipe/x.zst > /dev/null"
        "age -d -i $key $work/src-pipe/x.zst.age | zstd -q -d -o $work/restore/x && sha256sum $work/restore/x && sync $work/restore/x"
        "$zb restore latest --to $work/restore/restored.db --target file://$work/src-zb --identity $key")
  base=(0 0 0 0 0 -1 -1 6)  # ratio against: row 0 (the backup pipeline) or row 6 (the restore one)
  load_before=$(load)
  run_rounds "$runs"
  load_after=$(load)
  stored_zst=$(stat -c %s "$work/src-pipe/x.zst")
  stored_age=$(stat -c %s "$work/src-pipe/x.zst.age")
  stored_zb=$(stat -c %s "$work"/src-zb/*.db.zst.age)
  echo "| $size DB ($bytes bytes), $runs rounds | median s | ratio | peak RSS MiB |" | tee -a "$table"
  echo "|---|---|---|---|" | tee -a "$table"
  cpus=()
  for i in "${!cmds[@]}"; do cpus+=("$(median_cpu "${results[$i]}")"); done
  print_rows
  rm -f "${results[@]}"
  echo "stored: zstd $stored_zst bytes, age CLI $stored_age bytes, ziti-backup $stored_zb bytes;" \
    "load average (1/5/15 min) $load_before before, $load_after after" | tee -a "$table"
  echo | tee -a "$table"
  # Encryption throughput: the age CLI measured (row 5); ours derived, as
  # the bytes encrypted over the time age adds to backup (row 1 - row 2 on
  # its own compressed stream, which is smaller than zstd's of the same DB
  # as free pages are zeroed; row 3 - row 4 on the plain DB), by the wall clock
  # and by CPU time.
  line="$size: age CLI on the compressed stream ($stored_zst bytes) $(rate "$stored_zst" "${medians[5]}") wall,"
  line+=" $(rate "$stored_zst" "${cpus[5]}") CPU; ziti-backup (derived) with zstd ($stored_zb bytes)"
  line+=" $(rate "$stored_zb" "$(minus "${medians[1]}" "${medians[2]}")") wall,"
  line+=" $(rate "$stored_zb" "$(minus "${cpus[1]}" "${cpus[2]}")") CPU;"
  line+=" with --compress none ($bytes bytes) $(rate "$bytes" "$(minus "${medians[3]}" "${medians[4]}")") wall,"
  line+=" $(rate "$bytes" "$(minus "${cpus[3]}" "${cpus[4]}")") CPU"
  derived+=("$line")
done

# The age CLI on 1 GiB of random bytes from the page cache (no DB, no zstd).
rand=$work/random-1GiB
[[ -s $rand ]] || head -c 1073741824 /dev/urandom >"$rand"
cat "$rand" >/dev/null
results=$(mktemp)
for ((r = 0; r < runs; r++)); do
  run_once true "age -r $recipient < $rand > /dev/null" "$results"
done
read -r t rss < <(summarize "$results")
cpu=$(median_cpu "$results")
rm -f "$results"
{
  echo "Encryption throughput (MB = 10^6 bytes; medians of wall clock and of user + system CPU"
  echo "time). The age CLI's is measured. ziti-backup's is derived: bytes encrypted / (median"
  echo "with --age-recipient - median without), so it is only as good as the difference of two"
  echo "medians, and on the wall clock it also counts waiting for a busy machine's cores."
  echo
  echo "- age CLI, 1 GiB of random bytes, $runs runs: $(rate 1073741824 "$t") wall, $(rate 1073741824 "$cpu") CPU, peak RSS $(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}') MiB"
  for line in "${derived[@]}"; do echo "- $line"; done
  echo
} | tee -a "$table"
rm -rf "$work/pipe" "$work/zb" "$work/restore" "$work/src-pipe" "$work/src-zb" \
  "$work/time.out" "$work/err.out" "$key" "$rand"

{
  echo
  echo "## Encrypted backup (age)"
  echo
  echo "Produced by \`bench/encrypt.sh $runs ${sizes[*]}\` on $(date -u +%Y-%m-%d), $(nproc) cores, warm"
  echo "page cache, tools round-robin, a fresh target each run. Backup ratios against the shell"
  echo "pipeline (row 1), the restore ratio against \`age -d | zstd -d\` (+ sha256sum + fsync)."
  echo "Targets: encrypted backup ≤ 1.0× the pipeline's wall time, ≤ 64 MiB peak RSS."
  echo
  cat "$table"
} >>docs/benchmarks.md
rm -f "$table"
echo "appended to docs/benchmarks.md"
