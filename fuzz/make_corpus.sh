#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/<target>/ from the real
# producers of each input: bbolt files from the Go peer (tests/boltgen),
# manifests from `ziti-backup backup`, zstd frames from the zstd CLI, age
# files from the age CLI, and hand-written cron expressions, crontabs, YAML
# configs and target URLs. Deterministic: the same tools give the same files
# (the manifests' time, host and duration are set to fixed values), but for
# the age files, which age encrypts under a fresh random file key each time.
# Kept small (each bbolt file is cut at its high-water mark) so the whole
# corpus stays well under 1 MB.
#   fuzz/make_corpus.sh BUILD_DIR     (a normal build: ziti-backup, boltgen)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: fuzz/make_corpus.sh BUILD_DIR}
bin=$build/src/cli/ziti-backup
boltgen=$build/bin/boltgen
out=fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A bbolt file cut at its high-water mark: the pages after it are zero and
# only make mutations slower.
cut_at_high_water() {
  python3 - "$1" <<'PY'
import struct, sys
p = sys.argv[1]
b = open(p, 'rb').read()
ps = struct.unpack_from('<I', b, 24)[0]
best = None
for slot in (0, 1):
    magic, _, _, _, _, _, _, pgid, txid = struct.unpack_from('<IIIIQQQQQ', b, slot * ps + 16)
    if magic == 0xED0CDAED and (best is None or txid > best[0]):
        best = (txid, pgid)
open(p, 'wb').write(b[:best[1] * ps])
PY
}

rm -rf "$out"
mkdir -p "$out"/{bolt_check,manifest,cron,ctrl_config,target_url,stored_object,age_decrypt}

# bolt_check: the shapes boltgen makes, small ones (1 KiB pages where it
# can; the deep shape needs 128 pages, which would slow every execution).
# Nesting deeper than the seeds is what the fuzzer builds itself.
gen() {  # name, then boltgen gen flags
  local name=$1
  shift
  "$boltgen" gen --out "$out/bolt_check/$name.db" "$@" >/dev/null
  cut_at_high_water "$out/bolt_check/$name.db"
}
gen ziti-4k --shape ziti --size 32KiB --page-size 4096
gen ziti-1k --shape ziti --size 8KiB --page-size 1024
gen ziti-churn-4k --shape ziti --size 32KiB --page-size 4096 --churn
gen ziti-no-freelist-1k --shape ziti --size 8KiB --page-size 1024 --no-freelist-sync
gen inline-4k --shape inline --size 16KiB --page-size 4096
gen overflow-4k --shape overflow --size 32KiB --page-size 4096
gen wide-1k --shape wide --size 8KiB --page-size 1024
# An odd size makes the target fix both meta checksums before the check
# (see fuzz/bolt_check.cc); this seed starts the fuzzer on that path.
cp "$out/bolt_check/ziti-1k.db" "$out/bolt_check/ziti-1k-odd.db"
printf '\0' >>"$out/bolt_check/ziti-1k-odd.db"

# manifest: what `backup` writes, plain and compressed, with fixed
# time, host, duration, checksums and stored size (bbolt lays pages out in
# another order on each run) so the files do not change from run to run.
"$boltgen" gen --out "$tmp/ctrl.db" --size 64KiB --page-size 4096 >/dev/null
for compress in zstd none; do
  "$bin" backup --db "$tmp/ctrl.db" --target "file://$tmp/t-$compress" --compress "$compress" \
    >/dev/null 2>&1
  for m in "$tmp/t-$compress"/*.json; do
    sed -E -e 's/[0-9]{8}T[0-9]{6}Z/20260625T000436Z/g' \
      -e 's/"created": *"[^"]*"/"created": "2026-06-25T00:04:36Z"/' \
      -e 's/"host": *"[^"]*"/"host": "ctrl1"/' \
      -e 's/"duration_seconds": *[0-9.e+-]*/"duration_seconds": 0.25/' \
      -e 's/"sha256": "[0-9a-f]{64}"/"sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"/' \
      -e '/"stored"/,/}/s/"size": [0-9]+/"size": 206011/' \
      -e "s|$tmp|/var/lib/ziti-controller|g" "$m" >"$out/manifest/backup-$compress.json"
  done
done
# And an incremental snapshot's (a base and a pack), its chain tag fixed too.
for i in 1 2; do
  "$boltgen" change --db "$tmp/ctrl.db" --fraction 0.2 --seed "$i" >/dev/null
  "$bin" backup --db "$tmp/ctrl.db" --target "file://$tmp/t-inc" --incremental \
    --state-dir "$tmp/state" >/dev/null 2>&1
done
m=$(ls "$tmp"/t-inc/*.json | sort | tail -1)
sed -E -e 's/[0-9]{8}T[0-9]{6}Z/20260625T000436Z/g' \
  -e 's/"created": *"[^"]*"/"created": "2026-06-25T00:04:36Z"/' \
  -e 's/"host": *"[^"]*"/"host": "ctrl1"/' \
  -e 's/"duration_seconds": *[0-9.e+-]*/"duration_seconds": 0.25/' \
  -e 's/"(stored_)?sha256": "[0-9a-f]{64}"/"\1sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"/' \
  -e 's/-[0-9a-f]{16}\./-0123456789abcdef./g' -e 's/"chain": "[0-9a-f]{16}"/"chain": "0123456789abcdef"/' \
  -e "s|$tmp|/var/lib/ziti-controller|g" "$m" >"$out/manifest/incremental.json"

# stored_object: frames as the zstd CLI writes them (what restore must read
# besides our own), one of them a DB; two frames; a skippable frame.
cp "$out/bolt_check/ziti-1k.db" "$tmp/plain"
zstd -q -19 -c "$tmp/plain" >"$out/stored_object/db-19.zst"
zstd -q -1 --no-check -c "$tmp/plain" >"$out/stored_object/db-1-nocheck.zst"
printf 'hello ' | zstd -q -c >"$out/stored_object/two-frames.zst"
printf 'world\n' | zstd -q -c >>"$out/stored_object/two-frames.zst"
printf '' | zstd -q -c >"$out/stored_object/empty.zst"
head -c 20000 /dev/zero | zstd -q -c >"$out/stored_object/zeroes.zst"
printf '\x50\x2a\x4d\x18\x04\x00\x00\x00skip' >"$out/stored_object/skippable.zst"
printf 'x' | zstd -q -c >>"$out/stored_object/skippable.zst"

# age_decrypt: files the age CLI writes to the fuzz target's fixed test
# identity (fuzz/age_decrypt.cc; its secret is the bytes 1..32): empty, a
# line, two chunks (the second short), to it and another recipient (a
# stanza it cannot open first), armored, and to another recipient only.
fuzz_id=AGE-SECRET-KEY-1QYPQXPQ9QCRSSZG2PVXQ6RS0ZQG3YYC5Z5TPWXQERGD3C8G7RUSQGPQYEE
echo "$fuzz_id" >"$tmp/fuzz-key.txt"
fuzz_r=$(age-keygen -y "$tmp/fuzz-key.txt")
age-keygen -o "$tmp/other-key.txt" 2>/dev/null
other_r=$(age-keygen -y "$tmp/other-key.txt")
printf '' | age -r "$fuzz_r" >"$out/age_decrypt/empty.age"
printf 'the controller database\n' | age -r "$fuzz_r" >"$out/age_decrypt/line.age"
head -c 65600 /dev/zero | age -r "$fuzz_r" >"$out/age_decrypt/two-chunks.age"
printf 'two recipients\n' | age -r "$other_r" -r "$fuzz_r" >"$out/age_decrypt/second-stanza.age"
printf 'armored\n' | age -a -r "$fuzz_r" >"$out/age_decrypt/armored.age"
printf 'not for us\n' | age -r "$other_r" >"$out/age_decrypt/no-match.age"
for f in empty line two-chunks second-stanza; do
  age -d -i "$tmp/fuzz-key.txt" "$out/age_decrypt/$f.age" >/dev/null
done

# cron: schedules as --schedule takes them, and crontabs.
i=0
while IFS= read -r line; do
  i=$((i + 1))
  printf '%s' "$line" >"$out/cron/schedule-$i"
done <<'CRON'
*/15 * * * *
0 2 * * *
0 0 1,15 * 5
0 9-17/4 * * mon-fri
30 2 * DEC sun
0 0 29 2 *
@daily
@every 90s
@every 1h30m
CRON_TZ=Europe/Berlin 0 3 * * *
CRON
cat >"$out/cron/crontab-1" <<'CRONTAB'
# backups of the controller

ZITI_CTRL_BACKUP_KEEP_LAST = 5
  0 * * * *   /ziti-backup/backup.bash
CRON_TZ=Europe/Berlin
ZITI_CTRL_BACKUP_TARGETS="file:///backups/daily file:///mnt/offsite"
30 2 * * sun backup.bash --keep-last 2 && echo '%done'
@every 90s backup.bash
CRONTAB
printf '@daily a b\n@hourly\tc\n*/15 1-3 1,15 jan-jun mon-fri d e f\n' >"$out/cron/crontab-2"

# ctrl_config: the controller's config.yml (HA, non-HA) and our --config.
cat >"$out/ctrl_config/controller-ha.yml" <<'YAML'
v: 3
db: ./old.db
cluster:
  dataDir: ${ZITI_HOME}/raft/
identity:
  cert: "${ZITI_HOME}/pki/ctrl/certs/client.cert"
  key: "${ZITI_HOME}/pki/ctrl/keys/server.key"
ctrl:
  listener: tls:0.0.0.0:1280
web:
  - name: client-management
    bindPoints:
      - interface: 0.0.0.0:1280
        address: ctrl1.example.org:1280
    apis:
      - binding: edge-management
      - binding: edge-client
YAML
printf 'v: 3\ndb: "$ZITI_HOME/db/ctrl.db"\nctrl:\n  listener: tls:0.0.0.0:6262\n' \
  >"$out/ctrl_config/controller.yml"
printf 'v: 3\ncluster:\n  dataDir: ./db\n' >"$out/ctrl_config/controller-relative.yml"
cat >"$out/ctrl_config/ziti-backup.yml" <<'YAML'
targets: [file:///var/backups/ziti, file:///mnt/offsite]
keep_daily: 14
keep_within: 36h
tz: Europe/Berlin
schedule: "0 */6 * * *"
compress: zstd
zstd_level: 19
YAML

# target_url: what --target takes and what it refuses.
i=0
while IFS= read -r line; do
  i=$((i + 1))
  printf '%s' "$line" >"$out/target_url/url-$i"
done <<'URLS'
file:///var/backups/ziti
file:///var/backups/ziti/
file://localhost/var/backups/ziti%20x
file://relative/dir
mem://
s3://bucket/prefix?region=eu-central-1
azblob://acct1/backups/ziti%20x/ctrl1
azblob://devstoreaccount1/c-1?endpoint=http://127.0.0.1:10000/devstoreaccount1&ca-bundle=/ca.pem
URLS
