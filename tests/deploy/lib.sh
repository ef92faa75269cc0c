# Shared by the container tests (sourced, from the repository root): podman
# as these machines run it (rootful, runc, cgroupfs, vfs storage, no default
# ulimits) with all its state under one temp dir that is removed on exit;
# the stand-in for the openziti/ziti-controller image (container.sh), and
# Debian 12 with the real controller on it (dockerfile.sh).

for p in podman runc; do
  command -v $p >/dev/null || { echo "$p is missing: run scripts/install-deps.sh" >&2; exit 2; }
done

work=$(mktemp -d /tmp/zb-container.XXXXXX)
printf '[containers]\ndefault_ulimits = []\n' >"$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf
# Detached runs and stops write podman's own complaints (no systemd here for
# health check timers) to $work/podman.log; `podman healthcheck run` works
# without those timers.
pm() {
  podman --root "$work/storage" --runroot "$work/run" --storage-driver vfs \
    --runtime runc --cgroup-manager cgroupfs --events-backend file "$@"
}
run_flags=(--network none --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
cleanup() {
  pm rm -a -f -t 0 >/dev/null 2>&1 || true
  pm rmi -a -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# make_standin_image STATIC_BINARY: localhost/ziti-controller-standin, a root
# file system of this machine's bash, dash, env and glibc (all the static
# binary needs), whose /entrypoint.bash (as the real image's) records how it
# was started and execs the live bbolt writer, which holds the DB's lock as
# the controller does; user 2171, working directory /ziti-controller.
make_standin_image() {
  local static=$1 root=$work/rootfs lib f
  mkdir -p "$root"/{bin,usr/bin,usr/local/bin,etc,tmp,proc,sys,dev,ziti-controller}
  chmod 1777 "$root/tmp"
  for f in /bin/bash /usr/bin/env /bin/dash "$static"; do
    [[ $f == "$static" ]] || cp -L "$f" "$root$f"
    for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+'); do
      [[ -e $root$lib ]] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
    done
  done
  ln -s dash "$root/bin/sh"
  (cd tests/boltgen && CGO_ENABLED=0 go build -trimpath -o "$root/usr/local/bin/boltgen" .)
  printf 'root:x:0:0::/root:/bin/bash\nziggy:x:2171:2171::/ziti-controller:/bin/bash\n' \
    >"$root/etc/passwd"
  printf 'root:x:0:\nziggy:x:2171:\n' >"$root/etc/group"
  printf '%s\n' '#!/bin/bash' \
    '# Stand-in for the controller image'"'"'s entrypoint: note how it was started,' \
    '# then become the "controller", the live bbolt writer holding the DB'"'"'s lock.' \
    'echo "pid=$$ uid=$UID args=$*" >"$ZITI_HOME/standin-$$.txt"' \
    'exec /usr/local/bin/boltgen writer --db "$ZITI_HOME/db/ctrl-ha.db" --rate 50 --log /dev/null' \
    >"$root/entrypoint.bash"
  chmod 0755 "$root/entrypoint.bash"
  chown 2171:2171 "$root/ziti-controller"
  tar -C "$root" --numeric-owner -cf - . | pm import \
    --change 'ENTRYPOINT ["/entrypoint.bash"]' --change 'USER 2171' \
    --change 'WORKDIR /ziti-controller' --change 'ENV ZITI_HOME=/ziti-controller' \
    - localhost/ziti-controller-standin >/dev/null 2>>"$work/podman.log"
}

# new_volume NAME: a volume as the controller's: its config (an HA
# controller: the DB is cluster.dataDir/ctrl-ha.db) and a DB written by real
# bbolt, owned by 2171. Prints its path.
new_volume() {
  local vol=$work/vol-$1
  mkdir -p "$vol/db"
  printf 'v: 3\ncluster:\n  dataDir: ./db\n' >"$vol/config.yml"
  build/bin/boltgen gen --out "$vol/db/ctrl-ha.db" --size 2MiB --churn >/dev/null
  chown -R 2171:2171 "$vol"
  chmod 0700 "$vol" "$vol/db"
  echo "$vol"
}

# Files a run has only while it is going (staged snapshots, temp files).
leftovers() { find "$1" -name '.*' ! -name .ziti-backup.lock -printf '%P\n' | sort; }
snapshots() { find "$1/backups" -maxdepth 1 -name '*.json' 2>/dev/null | wc -l; }

# make_debian_image MIRROR: Debian 12 (minbase) by debootstrap from MIRROR,
# imported as docker.io/library/debian:bookworm, the name deploy/Dockerfile's
# build stage asks for.
make_debian_image() {
  local mirror=$1
  debootstrap --variant=minbase bookworm "$work/debian" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  tar -C "$work/debian" --numeric-owner -cf - . |
    pm import - docker.io/library/debian:bookworm >/dev/null 2>>"$work/podman.log"
  rm -rf "$work/debian"
}

# make_controller_image ZITI_BINARY: localhost/ziti-controller, the real
# controller in an image laid out as openziti/ziti-controller (see
# tests/deploy/ziti-controller/Containerfile), on the Debian image of
# make_debian_image.
make_controller_image() {
  local ctx=$work/ctrl-context
  mkdir -p "$ctx"
  cp tests/deploy/ziti-controller/Containerfile tests/deploy/ziti-controller/entrypoint.bash "$ctx/"
  cp "$1" "$ctx/ziti"
  pm build -q --format docker --network none --layers=false -f "$ctx/Containerfile" \
    -t localhost/ziti-controller "$ctx" >/dev/null 2>"$work/ctrl-build.log" ||
    { cat "$work/ctrl-build.log" >&2; fail "podman build of the controller image"; }
  rm -rf "$ctx"
}

# ctrl_login CONTAINER PASSWORD: waits until the controller in CONTAINER
# answers and logs its CLI in as admin (the session stays in the
# container's $HOME for later `ziti edge` commands).
ctrl_login() {
  local start out
  start=$(date +%s)
  until out=$(pm exec "$1" ziti edge login localhost:1280 -u admin -p "$2" -y 2>&1); do
    if (($(date +%s) - start > 300)); then
      pm logs --tail 30 "$1" >&2 || true
      fail "no login to the controller in $1 after 300 s: $out"
    fi
    sleep 1
  done
}

# ctrl_identities CONTAINER: the names of all identities the controller
# serves, sorted, one a line.
ctrl_identities() {
  pm exec "$1" ziti edge list identities 'limit none' -j |
    tr -d '\n' | grep -o '"name": *"[^"]*", *"roleAttributes"' | sed 's/^"name": *"\([^"]*\)".*/\1/' | sort
}
