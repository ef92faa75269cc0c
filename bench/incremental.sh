#!/usr/bin/env bash
# The incremental benchmark: how much each tool stores per backup of a
# controller-shaped DB after an hour of edits. A 512 MiB ziti-shaped DB
# (boltgen gen), backed up once, then changed twice (`boltgen change`: 1 %
# of the records, then 0.1 %, a few per transaction as the controller
# commits them) and backed up after each change, by restic and borg with
# their defaults (encrypted, compressed where they compress), each into its
# own repository. Prints the growth of each repository per backup, every
# command it ran, and the pages that actually differ between our scrubbed
# snapshots (raw and zstd -3): the floor a page-level increment can reach.
# `ziti-backup backup --incremental` joins the table when it exists.
#   bench/incremental.sh [SIZE]     default 512MiB
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-512MiB}
zb=${ZB:-$PWD/build/src/cli/ziti-backup}
peer=${PEER:-$PWD/build/bin/boltgen}
[[ -x $zb && -x $peer ]] || scripts/build.sh
command -v restic >/dev/null || { apt-get update -qq && apt-get install -y -qq restic >/dev/null; }
command -v borg >/dev/null || { apt-get update -qq && apt-get install -y -qq borgbackup >/dev/null; }
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
work=$(realpath -m "${BENCH_DIR:-bench/out}")/incremental
rm -rf "$work"
mkdir -p "$work"
# The repositories' passphrase: made here, in a 0600 file, never on a command line.
umask 077
head -c 32 /dev/urandom | base64 >"$work/passphrase"
export RESTIC_PASSWORD_FILE=$work/passphrase BORG_PASSCOMMAND="cat $work/passphrase"
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes

db=$work/ctrl.db
"$peer" gen --out "$db" --size "$size" --seed 1 --shape ziti >/dev/null
table=$(mktemp)
log() { echo "+ $*" >&2; "$@"; }
repo_bytes() { du -sb "$1" | cut -f1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

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
prev_restic=0 prev_borg=0
"$zb" snapshot --method cold "$db" "$work/snap-0.db" >/dev/null
for i in 0 1 2; do
  if [[ -n ${fractions[$i]} ]]; then
    log "$peer" change --db "$db" --fraction "${fractions[$i]}" --seed "$((i + 1))" >&2
    "$zb" snapshot --method cold "$db" "$work/snap-$i.db" >/dev/null
  fi
  log restic -q -r "$work/restic" backup "$db" >/dev/null
  log borg create "$work/borg::b$i" "$db"
  r=$(repo_bytes "$work/restic") b=$(repo_bytes "$work/borg")
  pages="-"
  if ((i > 0)); then
    read -r raw zst < <(diff_pages "$work/snap-$((i - 1)).db" "$work/snap-$i.db")
    pages="$(mib "$raw") ($(mib "$zst") with zstd -3)"
  fi
  echo "| ${steps[$i]} | $(mib $((r - prev_restic))) | $(mib $((b - prev_borg))) | $pages |" >>"$table"
  prev_restic=$r prev_borg=$b
done

{
  echo "$size ziti-shaped DB ($(stat -c %s "$db") bytes), restic $(restic version | cut -d' ' -f2)," \
    "borg $(borg --version | cut -d' ' -f2), $(date -u +%Y-%m-%d)"
  echo
  echo "| stored per backup, MiB | restic | borg | pages that differ, MiB |"
  echo "|---|---|---|---|"
  cat "$table"
} | tee "$work/result.md"
rm -f "$table"
