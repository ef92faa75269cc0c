#!/usr/bin/env bash
# The container deployment with a real engine (podman, rootful, runc, vfs
# storage, no network). No registry is reachable, so the controller image
# is stood in for by a minimal root file system made from this machine's
# bash and glibc, imported with `podman import`: its /entrypoint.bash (as
# the real image's) records how it was started and execs the live bbolt
# writer, which holds the DB's lock as the controller does, as uid 2171.
# deploy/Dockerfile's final stage is built on top of it with the static
# release binary in place of its build stage (which needs Debian's image).
#
#   tests/deploy/container.sh [STATIC_BINARY]   default build-release/src/cli/ziti-backup
#
# Checks: with ZITI_CTRL_BACKUP=true and "@every 2s", at least 3 snapshots
# appear on the volume within 15 s, owned by 2171, mode 0600 in a 0700
# directory, and `verify --all` passes; the HEALTHCHECK is healthy (and
# `status` with a tiny max age is not); the controller is PID 1 with the
# original arguments and the daemon its child; `podman stop` ends both
# within the grace period and leaves no temp file, also when it cuts a
# backup short; without ZITI_CTRL_BACKUP no daemon runs; an invalid
# schedule stops the container with a message naming the variable.
set -euo pipefail
cd "$(dirname "$0")/../.."
static=${1:-build-release/src/cli/ziti-backup}
zb=$PWD/build/src/cli/ziti-backup
[[ -x $static && -x $zb ]] || { echo "build first: scripts/build.sh and the static release build" >&2; exit 2; }
export PATH=/usr/local/go/bin:$PATH

. tests/deploy/lib.sh

echo "== the controller stand-in image (bash + glibc from this machine, the live bbolt writer)"
make_standin_image "$static"

echo "== deploy/Dockerfile's final stage on top of it"
ctx=$work/context
mkdir -p "$ctx"
cp -r deploy "$ctx/"
cp "$static" "$ctx/ziti-backup"
{
  echo 'ARG CONTROLLER_IMAGE'
  echo 'FROM scratch AS build'
  echo 'COPY ziti-backup /build/src/cli/ziti-backup'
  sed -n '/^FROM \${CONTROLLER_IMAGE}/,$p' deploy/Dockerfile
} >"$ctx/Containerfile"
grep -q '^FROM \${CONTROLLER_IMAGE}' "$ctx/Containerfile" || fail "deploy/Dockerfile has no 'FROM \${CONTROLLER_IMAGE}' stage"
pm build -q --format docker --network none --build-arg CONTROLLER_IMAGE=localhost/ziti-controller-standin \
  -f "$ctx/Containerfile" -t localhost/ziti-controller-backup "$ctx" >/dev/null
ok "image built"

echo "== ZITI_CTRL_BACKUP=true, @every 2s"
vol=$(new_volume on)
pm run -d --name zb-on "${run_flags[@]}" -v "$vol:/ziti-controller" --stop-timeout 40 \
  -e ZITI_CTRL_BACKUP=true -e 'ZITI_CTRL_BACKUP_SCHEDULE=@every 2s' -e ZITI_CTRL_BACKUP_KEEP_LAST=100 \
  localhost/ziti-controller-backup >/dev/null 2>>"$work/podman.log"
# (Bounds on waits here only end a test that would never get there; a
# loaded machine may take long.)
start=$(date +%s)
while (($(snapshots "$vol") < 3)); do
  if (($(date +%s) - start > 300)); then
    pm logs zb-on >&2 || true
    fail "$(snapshots "$vol") snapshots after 300 s, want at least 3"
  fi
  sleep 0.2
done
ok "$(snapshots "$vol") snapshots within $(($(date +%s) - start)) s"

pid1=$(pm inspect -f '{{.State.Pid}}' zb-on)
[[ $(tr '\0' ' ' <"/proc/$pid1/cmdline") == "/usr/local/bin/boltgen writer "* ]] ||
  fail "PID 1 is not the controller: $(tr '\0' ' ' <"/proc/$pid1/cmdline")"
grep -qx 'pid=1 uid=2171 args=run config.yml' "$vol"/standin-1.txt ||
  fail "the controller was not exec'd as PID 1 with the original arguments: $(cat "$vol"/standin-*.txt)"
daemon=$(pgrep -P "$pid1" -f 'ziti-backup daemon') || fail "no ziti-backup daemon under the controller"
[[ $(stat -c %u "/proc/$daemon") == 2171 ]] || fail "the daemon does not run as 2171"
ok "controller is PID 1 (run config.yml, uid 2171), the daemon its child"

bad=$(find "$vol/backups" -mindepth 1 \( ! -user 2171 -o \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \) \) -printf '%M %u %P\n')
[[ -z $bad ]] || fail "files not 2171/0600: $bad"
[[ $(stat -c '%u %a' "$vol/backups") == "2171 700" ]] || fail "backups/ is $(stat -c '%u %a' "$vol/backups")"
ok "snapshots owned by 2171, files 0600, directory 0700"

pm healthcheck run zb-on >/dev/null || fail "the HEALTHCHECK says unhealthy with fresh snapshots"
set +e
health=$(pm exec zb-on /usr/local/bin/ziti-backup status --max-age 1ms 2>&1)
code=$?
set -e
((code == 1)) && [[ $health == *"unhealthy (max age 1ms)"* ]] ||
  fail "status --max-age 1ms: exit $code: $health"
ok "HEALTHCHECK healthy; status with a 1ms max age: exit 1, unhealthy"

t0=$(date +%s%N)
pm stop -t 40 zb-on >/dev/null 2>>"$work/podman.log"
took_ms=$((($(date +%s%N) - t0) / 1000000))
for p in "$pid1" "$daemon"; do ! kill -0 "$p" 2>/dev/null || fail "process $p still runs after podman stop"; done
# Under the stop timeout (40 s) means podman did not have to kill it.
((took_ms < 40000)) || fail "podman stop took ${took_ms} ms: the container had to be killed"
ok "podman stop ended the controller and the daemon in ${took_ms} ms"
pm logs zb-on >"$work/on.log" 2>&1

[[ -z $(leftovers "$vol") ]] || fail "temp files after podman stop: $(leftovers "$vol")"
out=$("$zb" verify --all --target "file://$vol/backups" 2>&1) || fail "verify --all: $out"
ok "no temp files; verify --all: $(echo "$out" | tail -1)"
grep -q 'daemon.start mode=schedule schedule="@every 2s"' "$work/on.log" || fail "no daemon.start in the log"
! grep -q 'backup.fail' "$work/on.log" || fail "a backup failed: $(grep backup.fail "$work/on.log")"

echo "== podman stop in the middle of a slow backup (zstd -19 of 48 MiB)"
# The controller is PID 1: when it exits, the kernel ends the daemon at once,
# whatever it is doing. The cut run must leave no temp file (its files have
# no name until committed) and the snapshot stored before must verify.
vol=$(new_volume slow)
build/bin/boltgen gen --out "$vol/db/ctrl-ha.db" --size 48MiB --seed 3 >/dev/null
"$zb" backup --db "$vol/db/ctrl-ha.db" --target "file://$vol/backups" --zstd-level 1 >/dev/null 2>&1
chown -R 2171:2171 "$vol"
pm run -d --name zb-slow "${run_flags[@]}" -v "$vol:/ziti-controller" --stop-timeout 40 \
  -e ZITI_CTRL_BACKUP=true -e 'ZITI_CTRL_BACKUP_SCHEDULE=@every 1s' -e ZITI_CTRL_BACKUP_ZSTD_LEVEL=19 \
  localhost/ziti-controller-backup >/dev/null 2>>"$work/podman.log"
start=$(date +%s)
until grep -q ' snapshot.ok ' <<<"$(pm logs zb-slow 2>&1)"; do
  (($(date +%s) - start < 300)) || { pm logs zb-slow >&2; fail "no backup started"; }
  sleep 0.1
done
pm stop -t 40 zb-slow >/dev/null 2>>"$work/podman.log"
pm logs zb-slow >"$work/slow.log" 2>&1
! grep -q ' store.ok ' "$work/slow.log" || fail "the backup finished before the stop; the test needs a slower one"
[[ -z $(leftovers "$vol") ]] || fail "the cut backup left: $(leftovers "$vol")"
out=$("$zb" verify --all --target "file://$vol/backups" 2>&1) || fail "verify --all after the cut: $out"
[[ $(snapshots "$vol") == 1 ]] || fail "want the 1 snapshot from before, have $(snapshots "$vol")"
[[ $(find "$vol/backups" -type f ! -name .ziti-backup.lock | wc -l) == 2 ]] ||
  fail "want the old data and manifest only: $(ls -A "$vol/backups")"
ok "the cut backup left nothing; the snapshot from before verifies"

echo "== ZITI_CTRL_BACKUP unset: the controller alone"
vol=$(new_volume off)
pm run -d --name zb-off "${run_flags[@]}" -v "$vol:/ziti-controller" localhost/ziti-controller-backup >/dev/null 2>>"$work/podman.log"
start=$(date +%s)
until compgen -G "$vol/standin-*.txt" >/dev/null; do
  (($(date +%s) - start < 300)) || fail "the controller did not start"
  sleep 0.2
done
sleep 3
pid1=$(pm inspect -f '{{.State.Pid}}' zb-off)
[[ -z $(pgrep -P "$pid1" || true) ]] || fail "a child runs beside the controller: $(pgrep -a -P "$pid1")"
[[ ! -e $vol/backups ]] || fail "backups were made with ZITI_CTRL_BACKUP unset"
grep -qx 'pid=1 uid=2171 args=run config.yml' "$vol"/standin-1.txt || fail "controller not exec'd directly"
pm healthcheck run zb-off >/dev/null || fail "the HEALTHCHECK fails with backups off"
pm stop -t 10 zb-off >/dev/null 2>>"$work/podman.log"
ok "no daemon, no backups; the controller ran as PID 1"

echo "== an invalid schedule stops the container, naming the variable"
vol=$(new_volume bad)
set +e
pm run --name zb-bad "${run_flags[@]}" -v "$vol:/ziti-controller" \
  -e ZITI_CTRL_BACKUP=true -e 'ZITI_CTRL_BACKUP_SCHEDULE=*/0 * * * *' \
  localhost/ziti-controller-backup >"$work/bad.log" 2>&1
code=$?
set -e
((code != 0)) || fail "the container exited 0 with an invalid schedule"
grep -q 'ZITI_CTRL_BACKUP_SCHEDULE' "$work/bad.log" || fail "the message does not name the variable: $(cat "$work/bad.log")"
grep -q 'not starting the controller' "$work/bad.log" || fail "no 'not starting the controller': $(cat "$work/bad.log")"
! compgen -G "$vol/standin-*.txt" >/dev/null || fail "the controller started despite the invalid schedule"
ok "exit $code: $(grep -m1 ZITI_CTRL_BACKUP_SCHEDULE "$work/bad.log")"
echo "container tests passed"
