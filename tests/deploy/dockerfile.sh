#!/usr/bin/env bash
# deploy/Dockerfile built whole, both stages, as an operator builds it:
#   podman build --format docker -f deploy/Dockerfile -t ziti-controller-backup .
# No registry is reachable here, so its two base images are made locally:
# Debian 12 for the build stage by debootstrap from Debian's mirror, imported
# as docker.io/library/debian:bookworm, and the controller stand-in of
# lib.sh. The build stage installs its packages from Debian's mirror,
# compiles the static binary and checks its portability; the image then
# takes backups and they verify. About 5 minutes on 2 cores (measured: 3.2
# of them for the build stage's packages and compile).
#   tests/deploy/dockerfile.sh [MIRROR]     default: the machine's apt mirror
set -euo pipefail
cd "$(dirname "$0")/../.."
zb=$PWD/build/src/cli/ziti-backup
[[ -x $zb ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
export PATH=/usr/local/go/bin:$PATH
command -v debootstrap >/dev/null || { echo "debootstrap is missing: run scripts/install-deps.sh" >&2; exit 2; }
mirror=${1:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 || true)}
mirror=${mirror:-http://deb.debian.org/debian}

. tests/deploy/lib.sh

echo "== base images: the controller stand-in, and Debian 12 from $mirror"
make_standin_image "$zb"
debootstrap --variant=minbase bookworm "$work/debian" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
tar -C "$work/debian" --numeric-owner -cf - . |
  pm import - docker.io/library/debian:bookworm >/dev/null 2>>"$work/podman.log"
rm -rf "$work/debian"

echo "== podman build -f deploy/Dockerfile . (the build stage compiles ziti-backup)"
start=$(date +%s)
if ! pm build --format docker --network host \
  --build-arg CONTROLLER_IMAGE=localhost/ziti-controller-standin \
  -f deploy/Dockerfile -t localhost/ziti-controller-backup . >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  fail "podman build of deploy/Dockerfile"
fi
grep -q "needs glibc <= " "$work/build.log" || fail "the build stage did not run the portability check"
ok "built in $(($(date +%s) - start)) s: $(grep -m1 'needs glibc <= ' "$work/build.log")"

echo "== the image takes backups"
vol=$(new_volume built)
pm run -d --name zb-built "${run_flags[@]}" -v "$vol:/ziti-controller" \
  -e ZITI_CTRL_BACKUP=true -e 'ZITI_CTRL_BACKUP_SCHEDULE=@every 2s' -e ZITI_CTRL_BACKUP_KEEP_LAST=100 \
  localhost/ziti-controller-backup >/dev/null 2>>"$work/podman.log"
start=$(date +%s)
while (($(snapshots "$vol") < 2)); do
  (($(date +%s) - start < 300)) || { pm logs zb-built >&2; fail "$(snapshots "$vol") snapshots after 300 s"; }
  sleep 0.2
done
pm stop -t 40 zb-built >/dev/null 2>>"$work/podman.log"
[[ -z $(leftovers "$vol") ]] || fail "temp files after podman stop: $(leftovers "$vol")"
out=$("$zb" verify --all --target "file://$vol/backups" 2>&1) || fail "verify --all: $out"
ok "$(snapshots "$vol") snapshots, verify --all passes"
echo "dockerfile test passed"
