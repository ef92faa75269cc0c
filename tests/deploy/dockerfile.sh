#!/usr/bin/env bash
# deploy/Dockerfile built whole, both stages, as an operator builds it:
#   podman build --format docker -f deploy/Dockerfile -t ziti-controller-backup .
# on a real OpenZiti controller, then a disaster and the restore runbook.
# No registry is reachable, so its two base images are made locally:
# Debian 12 by debootstrap from Debian's mirror, imported as
# docker.io/library/debian:bookworm (the build stage's base), and the
# controller image on top of it: the real `ziti` binary laid out as
# openziti/ziti-controller v1.6 (tests/deploy/ziti-controller/: uid 2171,
# /ziti-controller, config.yml, a standalone DB at /ziti-controller/bbolt.db,
# bootstrapped on the first start).
#
# Checks: the build stage compiles and passes the portability check; with
# ZITI_CTRL_BACKUP=true and "@every 5s", the identities made through the
# controller's CLI are in the scheduled snapshots (their manifests'
# counts), owned by 2171, mode 0600 in a 0700 directory, and `verify --all`
# passes. Disaster: the controller is stopped and its DB deleted; the
# runbook (the image alone: `ziti-backup restore latest` as its entrypoint)
# brings back exactly the identities of the snapshot, and backups go on.
# Rollback: a restore of an older snapshot by id over the live DB (--force)
# brings back exactly that snapshot's identities; the replaced DB is kept.
# Restore before the next start: with ZITI_PWD set, the image's bootstrap
# makes a new, empty DB when it finds none (and the daemon then backs that
# up, so `latest` would be the empty network).
# Measured on 2 cores under a load of ~14: 27 minutes, 23 of them the build
# stage's packages and compile, 3 for the two base images, 1.5 for the
# controller part (the build stage took 3.2 minutes on an idle machine,
# so about 6 in all there).
#
# v2 images bootstrap a clustered controller instead (cluster.dataDir:
# ctrl-ha.db beside raft.db); its runbooks (rollback with --via-agent,
# repair, a lost raft directory) run against a real clustered controller
# in tests/controller/ha.sh.
#   tests/deploy/dockerfile.sh [MIRROR]     default: the machine's apt mirror
#   ZITI_BIN=path/to/ziti                   default: tests/controller/build-ziti.sh's
set -euo pipefail
cd "$(dirname "$0")/../.."
zb=$PWD/build/src/cli/ziti-backup
ziti=${ZITI_BIN:-$(tests/controller/build-ziti.sh | tail -n 1)}
[[ -x $zb ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
[[ -x $ziti ]] || { echo "no ziti binary at $ziti: set ZITI_BIN" >&2; exit 2; }
export PATH=/usr/local/go/bin:$PATH
command -v debootstrap >/dev/null || { echo "debootstrap is missing: run scripts/install-deps.sh" >&2; exit 2; }
mirror=${1:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 || true)}
mirror=${mirror:-http://deb.debian.org/debian}

. tests/deploy/lib.sh

echo "== base images: Debian 12 from $mirror, the controller ($ziti) on it"
start=$(date +%s)
make_debian_image "$mirror"
make_controller_image "$ziti"
ok "made in $(($(date +%s) - start)) s"

echo "== podman build -f deploy/Dockerfile . (the build stage compiles ziti-backup)"
image=localhost/ziti-controller-backup
start=$(date +%s)
# (--layers=false: one commit instead of one per step, a full copy each with
# vfs storage; the image is the same.)
if ! pm build --format docker --network host --layers=false \
  --build-arg CONTROLLER_IMAGE=localhost/ziti-controller \
  -f deploy/Dockerfile -t "$image" . >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  fail "podman build of deploy/Dockerfile"
fi
grep -q "needs glibc <= " "$work/build.log" || fail "the build stage did not run the portability check"
ok "built in $(($(date +%s) - start)) s: $(grep -m1 'needs glibc <= ' "$work/build.log")"

# The volume as a fresh one: empty, the controller's user owns it.
vol=$work/vol-ctrl
mkdir -m 0700 "$vol"
chown 2171:2171 "$vol"
db=/ziti-controller/bbolt.db # where the image's bootstrap puts the DB (ZITI_CTRL_DATABASE_FILE)
hostdb=$vol/bbolt.db
pw=throwaway-test-pw-7        # the admin's, in this test only
ctrl=zb-ctrl
pm create --name "$ctrl" "${run_flags[@]}" -v "$vol:/ziti-controller" --stop-timeout 40 \
  -e ZITI_CTRL_ADVERTISED_ADDRESS=localhost -e ZITI_PWD="$pw" \
  -e ZITI_CTRL_BACKUP=true -e 'ZITI_CTRL_BACKUP_SCHEDULE=@every 5s' -e ZITI_CTRL_BACKUP_KEEP_LAST=1000 \
  "$image" >/dev/null 2>>"$work/podman.log"

# start_ctrl: starts the container and logs the CLI in.
start_ctrl() {
  pm start "$ctrl" >/dev/null 2>>"$work/podman.log"
  ctrl_login "$ctrl" "$pw"
}
# stop_ctrl: stops it; within the grace period nothing is left half done.
stop_ctrl() {
  pm stop -t 40 "$ctrl" >/dev/null 2>>"$work/podman.log"
  [[ -z $(leftovers "$vol") ]] || fail "temp files after podman stop: $(leftovers "$vol")"
}
# create_identities NAME...: made through the controller's CLI.
create_identities() {
  pm exec "$ctrl" bash -c 'for n; do ziti edge create identity "$n" >/dev/null || exit 1; done' _ "$@" ||
    fail "ziti edge create identity"
}
# identities_of ID: the identities count in snapshot ID's manifest.
identities_of() {
  sed -n 's/^ *"identities": \([0-9]*\),\{0,1\}$/\1/p' "$vol/backups/$1.json"
}
# newest: the id of the last snapshot made (the last row of `list`).
newest() {
  "$zb" list --target "file://$vol/backups" | awk 'NR > 2 && NF >= 8 {id = $1} END {print id}'
}
# wait_snapshot N [AFTER_ID]: waits for a snapshot newer than AFTER_ID whose
# DB holds N identities; prints its id.
wait_snapshot() {
  local n=$1 after=${2:-} id start
  start=$(date +%s)
  while :; do
    id=$(newest)
    if [[ -n $id && $id != "$after" && $(identities_of "$id") == "$n" ]]; then
      echo "$id"
      return
    fi
    if (($(date +%s) - start > 300)); then
      pm logs --tail 30 "$ctrl" >&2 || true
      fail "no snapshot with $n identities after 300 s (newest: ${id:-none} with $(identities_of "$id" 2>/dev/null) identities)"
    fi
    sleep 1
  done
}
# check_identities NAME...: the controller serves exactly these identities.
check_identities() {
  local want have
  want=$(printf '%s\n' "Default Admin" "$@" | sort)
  have=$(ctrl_identities "$ctrl") || fail "ziti edge list identities"
  [[ $have == "$want" ]] || fail "identities served: $(diff <(echo "$want") <(echo "$have") | grep '^[<>]' | tr '\n' ' ')"
}
# restore_runbook ID|latest: the restore an operator runs with the image
# alone, with the controller stopped, as the image's user (2171).
restore_runbook() {
  pm run --rm "${run_flags[@]}" -v "$vol:/ziti-controller" --entrypoint /usr/local/bin/ziti-backup \
    "$image" restore "$1" --to "$db" --force >"$work/restore.log" 2>&1 ||
    { cat "$work/restore.log" >&2; fail "restore $1"; }
}

echo "== the controller with ZITI_CTRL_BACKUP=true, @every 5s: first start bootstraps it"
start=$(date +%s)
start_ctrl
[[ -s $vol/config.yml && -s $hostdb ]] || fail "no config.yml and bbolt.db after the bootstrap"
grep -q "^db: *\"$db\"" "$vol/config.yml" || fail "config.yml: $(grep -m1 '^db:\|^cluster:' "$vol/config.yml")"
ok "controller up in $(($(date +%s) - start)) s (db: $db)"

early=()
for i in $(seq -w 1 24); do early+=("zb-id-$i"); done
start=$(date +%s)
create_identities "${early[@]}"
check_identities "${early[@]}"
ok "${#early[@]} identities made in $(($(date +%s) - start)) s"
s1=$(wait_snapshot $((${#early[@]} + 1)))
ok "snapshot $s1 holds them (identities: $(identities_of "$s1"))"

bad=$(find "$vol/backups" -mindepth 1 \( ! -user 2171 -o \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \) \) -printf '%M %u %P\n')
[[ -z $bad ]] || fail "files not 2171/0600: $bad"
[[ $(stat -c '%u %a' "$vol/backups") == "2171 700" ]] || fail "backups/ is $(stat -c '%u %a' "$vol/backups")"
out=$("$zb" verify --all --target "file://$vol/backups" 2>&1) || fail "verify --all: $out"
ok "$(snapshots "$vol") snapshots owned by 2171, files 0600, directory 0700; verify --all passes"

late=(zb-late-1 zb-late-2 zb-late-3 zb-late-4)
create_identities "${late[@]}"
s2=$(wait_snapshot $((${#early[@]} + ${#late[@]} + 1)) "$s1")
ok "4 more identities; snapshot $s2 holds them (identities: $(identities_of "$s2"))"

echo "== disaster: the controller stops and its DB is lost"
stop_ctrl
last=$(newest)
[[ $(identities_of "$last") == $((${#early[@]} + ${#late[@]} + 1)) ]] ||
  fail "the last snapshot $last has $(identities_of "$last") identities"
rm "$hostdb"
ok "stopped; DB deleted; the last snapshot is $last"

echo "== runbook: restore latest --to $db --force, then start the controller"
restore_runbook latest
grep -q "^restore ok: id=$last " "$work/restore.log" || fail "restore latest did not restore $last: $(cat "$work/restore.log")"
[[ $(stat -c '%u %a' "$hostdb") == "2171 600" ]] || fail "the restored DB is $(stat -c '%u %a' "$hostdb")"
start_ctrl
check_identities "${early[@]}" "${late[@]}"
ok "the controller serves exactly the $((${#early[@]} + ${#late[@]} + 1)) identities of $last"
s3=$(wait_snapshot $((${#early[@]} + ${#late[@]} + 1)) "$last")
ok "backups go on: $s3"

echo "== rollback: restore $s1 (before the last 4) over the live DB, then start"
stop_ctrl
restore_runbook "$s1"
grep -q "^restore ok: id=$s1 .* previous=$db.pre-restore-" "$work/restore.log" || fail "restore did not restore $s1: $(cat "$work/restore.log")"
kept=$(find "$vol" -maxdepth 1 -name "${db##*/}.pre-restore-*" | wc -l)
((kept == 1)) || fail "want the replaced DB kept as ${db##*/}.pre-restore-*: $(ls -A "$vol")"
before=$(newest)
start_ctrl
check_identities "${early[@]}"
ok "the controller serves exactly the $((${#early[@]} + 1)) identities of $s1; the replaced DB is kept"
s4=$(wait_snapshot $((${#early[@]} + 1)) "$before")
stop_ctrl
out=$("$zb" verify --all --target "file://$vol/backups" 2>&1) || fail "verify --all: $out"
ok "backups go on ($s4); $(snapshots "$vol") snapshots, verify --all passes"
echo "dockerfile test passed"
