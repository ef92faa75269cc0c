#!/usr/bin/env bash
# The incremental benchmark: how much each tool stores per backup of a
# controller-shaped DB after an hour of edits, side by side in one run.
# A ziti-shaped DB (boltgen gen, 512 MiB by default) is backed up once,
# then changed (`boltgen change`: 1 % of the records, then 0.1 %, a few per
# transaction as the controller commits them) and backed up after each
# change, by `ziti-backup backup --incremental`, a full `ziti-backup
# backup`, restic and borg with their defaults (encrypted, compressed where
# they compress), each into its own repository. Then 21 more rounds of 1 %
# (24 "hours" in all) and a prune to the newest 12 in each tool. Prints:
#   - the growth of each repository per backup, and the pages that really
#     differ between our scrubbed snapshots (raw and zstd -3): the floor;
#   - each repository's size after 24 rounds and after the prune, and ours
#     against its first base plus the sum of its packs;
#   - restoring the newest snapshot: ours from its chain against ours from
#     a full snapshot of the same DB (and restic's, borg's), medians;
#   - one incremental and one full backup of the same change, wall time and
#     peak RSS, at this size and again at 1 GiB.
# Every command is printed as it runs.
#   bench/incremental.sh [SIZE] [RUNS]     default 512MiB, 3
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-512MiB}
runs=${2:-3}
zb=${ZB:-$PWD/build/src/cli/ziti-backup}
peer=${PEER:-$PWD/build/bin/boltgen}
[[ -x $zb && -x $peer ]] || scripts/build.sh
command -v restic >/dev/null || { apt-get update -qq && apt-get install -y -qq restic >/dev/null; }
command -v borg >/dev/null || { apt-get update -qq && apt-get install -y -qq borgbackup >/dev/null; }
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
work=$(realpath -m "${BENCH_DIR:-bench/out}")/incremental
rm -rf "$work"
mkdir -p "$work"
source bench/lib.sh
# The repositories' passphrase: made here, in a 0600 file, never on a command line.
umask 077
head -c 32 /dev/urandom | base64 >"$work/passphrase"
export RESTIC_PASSWORD_FILE=$work/passphrase BORG_PASSCOMMAND="cat $work/passphrase"
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes

db=$work/ctrl.db
"$peer" gen --out "$db" --size "$size" --seed 1 --shape ziti >/dev/null
log() { echo "+ $*" >&2; "$@"; }
logq() { echo "+ $*" >&2; "$@" >/dev/null 2>&1; }
repo_bytes() { du -sb "$1" | cut -f1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# "seconds peak_rss_kib" of one run of a command (its output dropped).
timed() {
  echo "+ $*" >&2
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -o "$work/time.out" -f '%M' "$@" >/dev/null 2>"$work/err.out" ||
    { cat "$work/err.out" >&2; exit 1; }
  t1=$(date +%s%N)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $(tail -1 "$work/time.out")"
}
# Quiet retention for the rounds: every backup kept until the prune.
keep_all=(--keep-last 1000 --keep-hourly 0 --keep-daily 0 --keep-weekly 0 --keep-monthly 0)
keep_12=(--keep-last 12 --keep-hourly 0 --keep-daily 0 --keep-weekly 0 --keep-monthly 0)
zb_inc=("$zb" backup --db "$db" --target "file://$work/zb-inc" --incremental
  --state-dir "$work/state" "${keep_all[@]}")
zb_full=("$zb" backup --db "$db" --target "file://$work/zb-full" "${keep_all[@]}")

# The pages that differ between two scrubbed snapshots, raw and zstd -3.
diff_pages() {
  python3 - "$1" "$2" "$work/changed.bin" <<'EOF'
import sys
a, b = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
ps = int.from_bytes(b[24:28], 'little')  # bbolt meta: page size at offset 16+8
n = len(b) // ps
with open(sys.argv[3], 'wb') as out:
    for i in range(n):
        if a[i * ps:(i + 1) * ps] != b[i * ps:(i + 1) * ps]:
            out.write(b[i * ps:(i + 1) * ps])
EOF
  zstd -q -3 -f "$work/changed.bin" -o "$work/changed.zst"
  echo "$(stat -c %s "$work/changed.bin") $(stat -c %s "$work/changed.zst")"
}

log restic -q init -r "$work/restic" >/dev/null
log borg init -e repokey-blake2 "$work/borg"
steps=("first backup" "after 1% of records changed" "after 0.1% more changed")
fractions=("" 0.01 0.001)
growth=$(mktemp)
declare -A prev=([inc]=0 [full]=0 [restic]=0 [borg]=0)
first_base=0 packs=0
"$zb" snapshot --method cold "$db" "$work/snap-0.db" >/dev/null
backup_all() { # one backup by every tool; $1: the round
  logq "${zb_inc[@]}"
  logq "${zb_full[@]}"
  log restic -q -r "$work/restic" backup "$db" >/dev/null
  log borg create "$work/borg::b$1" "$db"
}
declare -A size_now
measure() {
  size_now=([inc]=$(repo_bytes "$work/zb-inc") [full]=$(repo_bytes "$work/zb-full")
    [restic]=$(repo_bytes "$work/restic") [borg]=$(repo_bytes "$work/borg"))
}
for i in 0 1 2; do
  if [[ -n ${fractions[$i]} ]]; then
    log "$peer" change --db "$db" --fraction "${fractions[$i]}" --seed "$((i + 1))" >&2
    "$zb" snapshot --method cold "$db" "$work/snap-$i.db" >/dev/null
  fi
  backup_all "$i"
  measure
  pages="-"
  if ((i > 0)); then
    read -r raw zst < <(diff_pages "$work/snap-$((i - 1)).db" "$work/snap-$i.db")
    pages="$(mib "$raw") ($(mib "$zst") with zstd -3)"
  fi
  d_inc=$((size_now[inc] - prev[inc]))
  echo "| ${steps[$i]} | $(mib $d_inc) | $(mib $((size_now[full] - prev[full]))) |" \
    "$(mib $((size_now[restic] - prev[restic]))) | $(mib $((size_now[borg] - prev[borg]))) |" \
    "$pages | $(ratio $((size_now[restic] - prev[restic])) "$d_inc") |" >>"$growth"
  for k in inc full restic borg; do prev[$k]=${size_now[$k]}; done
done

# 21 more hours of 1 % each: 24 backups in every repository.
for i in $(seq 3 23); do
  log "$peer" change --db "$db" --fraction 0.01 --seed "$((i + 1))" >&2
  backup_all "$i"
done
measure
declare -A after24
for k in inc full restic borg; do after24[$k]=${size_now[$k]}; done
# Ours against what it had to store: the first base and every pack.
first_base=$(stat -c %s "$(ls "$work"/zb-inc/*.base-* | head -1)")
packs=$(cat "$work"/zb-inc/*.pages-* | wc -c)
bases=$(ls "$work"/zb-inc/*.base-* | wc -l)
newest=$(ls "$work"/zb-inc/*.json | sort | tail -1 | xargs -n1 basename | sed 's/\.json$//')
newest_full=$(ls "$work"/zb-full/*.json | sort | tail -1 | xargs -n1 basename | sed 's/\.json$//')

# The prune: the newest 12 in each.
log "$zb" prune --target "file://$work/zb-inc" "${keep_12[@]}" >/dev/null 2>&1
log "$zb" prune --target "file://$work/zb-full" "${keep_12[@]}" >/dev/null 2>&1
log restic -q -r "$work/restic" forget --keep-last 12 --prune >/dev/null
log borg prune --keep-last 12 "$work/borg"
log borg compact "$work/borg"
measure

# Restores of the newest snapshot, medians of $runs.
rm -f "$work/restored.db"
declare -A restore_s
for what in inc full restic borg; do
  results=$(mktemp)
  for ((r = 0; r < runs; r++)); do
    rm -rf "$work/restored.db" "$work/extract"
    case $what in
    inc) read -r s _ < <(timed "$zb" restore "$newest" --target "file://$work/zb-inc" \
      --to "$work/restored.db") ;;
    full) read -r s _ < <(timed "$zb" restore "$newest_full" --target "file://$work/zb-full" \
      --to "$work/restored.db") ;;
    restic) read -r s _ < <(timed restic -q -r "$work/restic" restore latest \
      --target "$work/extract") ;;
    borg) mkdir -p "$work/extract"
      read -r s _ < <(cd "$work/extract" && timed borg extract "$work/borg::b23") ;;
    esac
    echo "$s" >>"$results"
  done
  restore_s[$what]=$(sort -n "$results" | awk '{t[NR]=$1} END {print t[int((NR+1)/2)]}')
  rm -f "$results"
done
rm -rf "$work/restored.db" "$work/extract"

# Backup time and peak RSS, medians of $runs runs alternating with a full
# backup of the same DB (bench/lib.sh's run_rounds): an incremental run
# after 1 % more changed, each from the same saved chain state so that
# each stores the same pack; at 1 GiB also a base (a new chain each time).
# One line per kind in "$work/times": kind seconds rss_kib.
q() { printf '%q ' "$@"; }
time_rows() { # $1: label prefix; fills "$work/times" from cmds/prep/names
  local c
  for c in "${!cmds[@]}"; do echo "+ ($runs runs, each after: ${prep[$c]}) ${cmds[$c]}" >&2; done
  run_rounds "$runs"
  local i t rss
  for i in "${!results[@]}"; do
    read -r t rss < <(summarize "${results[$i]}")
    echo "$1${names[$i]} $t $rss" >>"$work/times"
    rm -f "${results[$i]}"
  done
}
: >"$work/times"
cp -a "$work/state" "$work/state-saved"
log "$peer" change --db "$db" --fraction 0.01 --seed 99 >&2
names=(inc full)
cmds=("$(q "${zb_inc[@]}")" "$(q "${zb_full[@]}")")
prep=("rm -rf $(q "$work/state") && cp -a $(q "$work/state-saved") $(q "$work/state")" true)
time_rows small-

big=$work/big.db
"$peer" gen --out "$big" --size 1GiB --seed 2 --shape ziti >/dev/null
sync && cat "$big" >/dev/null  # written back and cached, as a DB that has been running is
big_inc=("$zb" backup --db "$big" --target "file://$work/big-inc" --state-dir "$work/big-state"
  "${keep_all[@]}" --incremental)
big_full=("$zb" backup --db "$big" --target "file://$work/big-full" "${keep_all[@]}")
names=(base full)
cmds=("$(q "${big_inc[@]}")" "$(q "${big_full[@]}")")
prep=("rm -rf $(q "$work/big-inc") $(q "$work/big-state")" "rm -rf $(q "$work/big-full")")
time_rows big-
logq "${big_inc[@]}" # the base the packs go on from
cp -a "$work/big-state" "$work/big-state-saved"
log "$peer" change --db "$big" --fraction 0.01 --seed 9 >&2
names=(pack full-changed)
cmds=("$(q "${big_inc[@]}")" "$(q "${big_full[@]}")")
prep=("rm -rf $(q "$work/big-state") && cp -a $(q "$work/big-state-saved") $(q "$work/big-state")" true)
time_rows big-
rm -rf "$big" "$work"/big-*
row() { awk -v k="$1" '$1 == k { print $2, $3 }' "$work/times"; }
read -r inc_s inc_rss < <(row small-inc)
read -r full_s full_rss < <(row small-full)
read -r big_base_s big_base_rss < <(row big-base)
read -r big_full0_s _ < <(row big-full)
read -r big_inc_s big_inc_rss < <(row big-pack)
read -r big_full_s big_full_rss < <(row big-full-changed)

kib_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
{
  echo "$size ziti-shaped DB ($(stat -c %s "$db") bytes), restic $(restic version | cut -d' ' -f2)," \
    "borg $(borg --version | cut -d' ' -f2), $(nproc) cores, $(date -u +%Y-%m-%d)"
  echo
  echo "| stored per backup, MiB | ziti-backup --incremental | ziti-backup (full) | restic | borg | pages that differ | restic / ours |"
  echo "|---|---|---|---|---|---|---|"
  cat "$growth"
  echo
  echo "| repository, MiB | ziti-backup --incremental | ziti-backup (full) | restic | borg |"
  echo "|---|---|---|---|---|"
  echo "| after 24 backups | $(mib "${after24[inc]}") | $(mib "${after24[full]}") | $(mib "${after24[restic]}") | $(mib "${after24[borg]}") |"
  echo "| after a prune to the newest 12 | $(mib "${size_now[inc]}") | $(mib "${size_now[full]}") | $(mib "${size_now[restic]}") | $(mib "${size_now[borg]}") |"
  echo
  echo "Ours against its first base ($(mib "$first_base") MiB) plus the 23 packs ($(mib "$packs") MiB):" \
    "$(ratio "${after24[inc]}" $((first_base + packs)))× after 24 backups," \
    "$(ratio "${size_now[inc]}" $((first_base + packs)))× after the prune; bases stored: $bases."
  echo
  echo "| restore of the newest, median of $runs | s | ratio to ours from a full snapshot |"
  echo "|---|---|---|"
  for what in inc full restic borg; do
    name=$(case $what in inc) echo "ziti-backup, a chain of 24" ;; full) echo "ziti-backup, a full snapshot" ;;
      *) echo "$what" ;; esac)
    echo "| $name | ${restore_s[$what]} | $(ratio "${restore_s[$what]}" "${restore_s[full]}") |"
  done
  echo
  echo "| one backup, median of $runs | s | peak RSS MiB |"
  echo "|---|---|---|"
  echo "| ziti-backup --incremental after 1 % changed, $size | $inc_s ($(ratio "$inc_s" "$full_s")× the full) | $(kib_mib "$inc_rss") |"
  echo "| ziti-backup (full), $size | $full_s | $(kib_mib "$full_rss") |"
  echo "| ziti-backup --incremental, 1 GiB, a base | $big_base_s ($(ratio "$big_base_s" "$big_full0_s")× the full) | $(kib_mib "$big_base_rss") |"
  echo "| ziti-backup --incremental, 1 GiB, after 1 % changed | $big_inc_s ($(ratio "$big_inc_s" "$big_full_s")× the full) | $(kib_mib "$big_inc_rss") |"
  echo "| ziti-backup (full), 1 GiB | $big_full_s | $(kib_mib "$big_full_rss") |"
  echo
  echo "Targets: ≤ 4 MiB per backup after 1 %, ≤ 1 MiB after 0.1 %, ≤ 1.3× after 24 and a prune," \
    "restore ≤ 1.5× a full one's, backup time ≤ a full backup's, ≤ 64 MiB at 1 GiB."
} | tee "$work/result.md"
rm -f "$growth"
