#!/usr/bin/env bash
# The object storage benchmark: uploading a 1 GiB backup to a local Ceph RGW
# (tests/servers/rgw.sh, started here and stopped at the end), side by side
# in one run with `aws s3 cp` and `rclone copy` of the same file to the
# same server: `ziti-backup backup --compress none` (cold snapshot,
# structural check, SHA-256, multipart upload of signed 8 MiB parts, four
# at a time, the manifest), a script's backup (`cp` of the DB, then
# `aws s3 cp` of the copy: not consistent under a writer, but what a script
# does), and `ziti-backup copy` of an already stored 1 GiB snapshot from a
# local target (streamed and checked on the way).
# Each run starts from an empty prefix. Prints medians, ratios against
# `aws s3 cp` and peak RSS, and appends them to docs/benchmarks.md.
#   bench/upload.sh [RUNS] [SIZE]     defaults: 3 runs, 1GiB (RGW then holds
#                                     about 3 GiB in RAM: see memstore below)
# The server's keys live in its 0600 env file and reach the tools through
# their environment, never their command lines.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
size=${2:-1GiB}
zb=${ZB:-$PWD/build/src/cli/ziti-backup}
peer=${PEER:-$PWD/build/bin/boltgen}
[[ -x $zb && -x $peer ]] || scripts/build.sh
command -v rclone >/dev/null || { apt-get update -qq && apt-get install -y -qq rclone >/dev/null; }
command -v aws >/dev/null || { apt-get update -qq && apt-get install -y -qq awscli >/dev/null; }
work=$(realpath -m "${BENCH_DIR:-bench/out}")
mkdir -p "$work"
. bench/lib.sh
table=$(mktemp)

rgw=$work/rgw
db=$work/bench-$size.db
[[ -s $db ]] || "$peer" gen --out "$db" --size "$size" --seed 1 --churn >/dev/null
# RGW frees a deleted object's space only at its garbage collection (hours
# later by default) and its memstore counts (and holds in RAM) about 2.5
# bytes per byte stored, so every run's prep deletes the last upload and
# runs the collection at once: memstore then holds one upload at a time
# (at most twice its size with the delete still in flight, plus room).
memstore=$(( $(stat -c %s "$db") * 4 + (1 << 30) ))
RGW_MEMSTORE_BYTES=$memstore bash tests/servers/rgw.sh start "$rgw" >/dev/null
trap 'bash tests/servers/rgw.sh stop "$rgw" >/dev/null 2>&1 || true' EXIT
set -a
. "$rgw/env"
set +a
unset AWS_CA_BUNDLE AWS_PROFILE  # plain HTTP to the local server; the machine's own settings do not apply
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
export AWS_REGION=$S3_REGION AWS_DEFAULT_REGION=$S3_REGION AWS_ENDPOINT_URL=$S3_ENDPOINT
export RCLONE_CONFIG_RGW_TYPE=s3 RCLONE_CONFIG_RGW_PROVIDER=Ceph
export RCLONE_CONFIG_RGW_ENDPOINT=$S3_ENDPOINT RCLONE_CONFIG_RGW_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID
export RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
aws="aws --endpoint-url $S3_ENDPOINT"
$aws s3 mb s3://bench >/dev/null

bytes=$(stat -c %s "$db")
rm -rf "$work/src-zb"
"$zb" backup --db "$db" --target "file://$work/src-zb" --method cold --compress none >/dev/null 2>&1
cat "$db" "$work"/src-zb/*.db >/dev/null  # warm page cache

# Before each run: an empty bucket (the last run's upload deleted and
# collected), then the page cache warmed again.
empty="$aws s3 rm --recursive --quiet s3://bench/ &&
  radosgw-admin -c $rgw/ceph.conf gc process --include-all && cat $db >/dev/null"
names=("aws s3 cp (aws CLI $(aws --version 2>&1 | cut -d' ' -f1 | cut -d/ -f2))"
       "rclone copy ($(rclone version 2>/dev/null | head -1 | cut -d' ' -f2))"
       "a script's backup: cp, then aws s3 cp of the copy"
       "ziti-backup backup --compress none (cold; ratio to the script)"
       "ziti-backup copy (a stored snapshot, file:// to s3://)")
prep=("$empty" "$empty" "$empty" "$empty" "$empty")
cmds=("$aws s3 cp --quiet $db s3://bench/aws/x.db"
      "rclone copy $db rgw:bench/rclone/"
      "cp $db $work/script.db && $aws s3 cp --quiet $work/script.db s3://bench/script/x.db && rm $work/script.db"
      "$zb backup --db $db --target s3://bench/zb --method cold --compress none"
      "$zb copy --from file://$work/src-zb --to s3://bench/zbcopy --all")
base=(0 0 0 2 0)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_rounds "$runs"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$("$zb" --version), Ceph RGW $(radosgw --version | cut -d' ' -f3) (memstore) on 127.0.0.1" | tee -a "$table"
echo | tee -a "$table"
echo "| $size DB ($bytes bytes), $runs rounds | median s | ratio to aws s3 cp | peak RSS MiB |" | tee -a "$table"
echo "|---|---|---|---|" | tee -a "$table"
print_rows
ratio() { awk -v a="${medians[$1]}" -v b="${medians[$2]}" 'BEGIN { printf "%.2f", a / b }'; }
echo "against rclone copy: backup $(ratio 3 1)x, copy $(ratio 4 1)x; against aws s3 cp: backup" \
  "$(ratio 3 0)x; load average (1/5/15 min) $load_before before, $load_after after" | tee -a "$table"
rm -f "${results[@]}"
rm -rf "$work/src-zb" "$work/time.out" "$work/err.out"

{
  echo
  echo "## Upload to object storage (S3)"
  echo
  echo "Produced by \`bench/upload.sh $runs $size\` on $(date -u +%Y-%m-%d), $(nproc) cores, warm"
  echo "page cache, tools round-robin, an empty prefix each run, all uploading to one local Ceph"
  echo "RGW (which runs on the same cores). Ratios against \`aws s3 cp\`, and for \`backup\` against"
  echo "what a script would do (copy the DB, upload the copy), which is not a consistent snapshot."
  echo "Target: ≤ 1.0× their wall time, ≤ 64 MiB peak RSS."
  echo
  cat "$table"
} >>docs/benchmarks.md
rm -f "$table"
