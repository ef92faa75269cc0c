#!/usr/bin/env bash
# azurite.sh start DIR | stop DIR
#
# Azurite, Microsoft's Azure Storage emulator, blob service only, for the
# tests: one process on plain HTTP and one on HTTPS (Azurite serves one or
# the other per process, so they are two independent stores), both on
# 127.0.0.1 at ports picked free at start, data in memory (capped at
# 512 MiB each), telemetry off. Azurite comes from the build tree (npm ci of
# tests/servers/azurite/package-lock.json); AZURITE_MODULES names its
# node_modules (default: build/azurite/node_modules in this checkout).
#
# `start` returns when a SharedKey-signed List Containers answers on both.
# It writes DIR/env (mode 0600), KEY=VALUE lines:
#   AZURE_BLOB_ENDPOINT=http://127.0.0.1:PORT/devstoreaccount1,
#   AZURE_BLOB_TLS_ENDPOINT=https://127.0.0.1:PORT/devstoreaccount1,
#   AZURE_CA_BUNDLE, AZURE_STORAGE_ACCOUNT=devstoreaccount1,
#   AZURE_STORAGE_KEY (the emulator's published key, the same everywhere),
#   AZURITE_PIDS (comma-separated). Values are not quoted.
# `stop` SIGKILLs both and waits until they are gone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/servers/lib.sh
source "$here/lib.sh"

usage() { die "usage: $0 start|stop DIR"; }
(($# == 2)) || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
marker=$dir/.zb-azurite

stop() {
  [[ -e $marker ]] || return 0
  kill_pids "$dir" "$dir"/*.pid
}

case $cmd in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *) usage ;;
esac

modules=${AZURITE_MODULES:-$here/../../build/azurite/node_modules}
main=$modules/azurite/dist/src/blob/main.js
[[ -f $main ]] || die "no Azurite at $main: build first (cmake installs it with npm ci), or set AZURITE_MODULES"
main=$(cd "$(dirname "$main")" && pwd)/main.js  # node runs in another directory

if [[ -n $(ls -A "$dir") && ! -e $marker ]]; then
  die "$dir is not empty and was not made by $0; refusing to wipe it"
fi
stop
rm -rf "${dir:?}"/* "$dir"/.zb-azurite
chmod 700 "$dir"
touch "$marker"
mkdir -p "$dir"/{http,https,tls}

started=$(date +%s.%N)
trap stop EXIT
mapfile -t ports < <(free_ports 2)
port=${ports[0]} tls_port=${ports[1]}
make_tls "$dir/tls"

# The published emulator account and key (Microsoft's docs, "Use the Azurite
# emulator"): not a secret, identical in every Azurite.
account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

azurite() {
  local name=$1
  shift
  # In memory, so no --location (Azurite refuses both); its cwd is its own.
  (cd "$dir/$name" && exec node "$main" --blobHost 127.0.0.1 --inMemoryPersistence \
    --extentMemoryLimit 512 --disableTelemetry --skipApiVersionCheck --silent "$@" \
    >"$dir/$name.log" 2>&1) &
  echo $! >"$dir/$name.pid"
  watch+=("$dir/$name.pid")
}
azurite http --blobPort "$port"
azurite https --blobPort "$tls_port" --cert "$dir/tls/server.pem" --key "$dir/tls/server.key"

export AZURE_STORAGE_ACCOUNT=$account AZURE_STORAGE_KEY=$key
list() { "$PYTHON" "$here/azblob.py" GET "$1/$account?comp=list" "${@:2}"; }
wait_for 120 "Azurite on 127.0.0.1:$port (see $dir/http.log)" list "http://127.0.0.1:$port"
wait_for 120 "Azurite TLS on 127.0.0.1:$tls_port (see $dir/https.log)" \
  list "https://127.0.0.1:$tls_port" --cafile "$dir/tls/ca.pem"

umask 077
cat >"$dir/env.tmp" <<EOF
AZURE_BLOB_ENDPOINT=http://127.0.0.1:$port/$account
AZURE_BLOB_TLS_ENDPOINT=https://127.0.0.1:$tls_port/$account
AZURE_CA_BUNDLE=$dir/tls/ca.pem
AZURE_STORAGE_ACCOUNT=$account
AZURE_STORAGE_KEY=$key
AZURITE_PIDS=$(<"$dir/http.pid"),$(<"$dir/https.pid")
EOF
mv "$dir/env.tmp" "$dir/env"
trap - EXIT
echo "azurite: ready in $(elapsed "$started") s: http://127.0.0.1:$port https://127.0.0.1:$tls_port ($dir/env)"
