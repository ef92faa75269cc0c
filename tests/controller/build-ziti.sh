#!/usr/bin/env bash
# Builds the real `ziti` CLI (controller, agent and quickstart in one binary)
# from its Go module, for the tests that run a real OpenZiti controller.
#
#   tests/controller/build-ziti.sh      prints the binary's path as its last line
#
# The binary goes to build/ziti/ziti-$ZITI_VERSION and is reused while it
# reports that version. Go's own module and build caches (GOMODCACHE,
# GOCACHE) are used as they are: they survive between runs on a machine, and
# with -trimpath the build cache does not depend on where the sources are,
# so a rebuild with a warm cache only links (1.5-2.5 minutes on 2 busy
# cores). Cold: ~10 minutes on 2 cores, ~1.8 GB of build cache.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The one pinned version: the newest whose dependencies the module proxy
# here serves in full.
ZITI_VERSION=v1.6.0
module=github.com/openziti/ziti

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*" >&2; }

export PATH=/usr/local/go/bin:$PATH
command -v go >/dev/null || fail "go is missing: run scripts/install-deps.sh"
command -v jq >/dev/null || fail "jq is missing: run scripts/install-deps.sh"

dir=$PWD/build/ziti
out=$dir/ziti-$ZITI_VERSION
mkdir -p "$dir"

# `ziti version` prints the version stamped in at link time (v0.0.0 when
# built without it).
if [[ -x $out ]] && [[ $("$out" version 2>/dev/null) == "$ZITI_VERSION" ]]; then
  ok "ziti $ZITI_VERSION already built"
  echo "$out"
  exit 0
fi

start=$(date +%s)
src=$dir/src-$ZITI_VERSION
tmp=$out.tmp-$$
cleanup() { rm -rf "$src" "$tmp"; }
trap cleanup EXIT

# `go install ...@v1.6.0` does not work: the checksum database has no entry
# for this version (so GONOSUMDB) and ziti's go.mod has replace directives
# that only apply when it is the main module. So: download the module, build
# inside a writable copy of it (its go.mod/go.sum pin every dependency).
# Run outside any module so no go.mod of ours is consulted.
info=$(cd / && GONOSUMDB=$module GOFLAGS=-mod=mod go mod download -json "$module@$ZITI_VERSION") ||
  fail "go mod download $module@$ZITI_VERSION: $info"
moddir=$(jq -r .Dir <<<"$info")
revision=$(jq -r '.Origin.Hash // "unknown"' <<<"$info")
# The tag's time from the proxy's .info, in the form ziti's own builds use.
date=$(jq -r '.Time // empty' "$(jq -r .Info <<<"$info")" | sed 's/T/ /; s/Z$//')
[[ -d $moddir && -f $moddir/go.mod ]] || fail "no module directory in: $info"

rm -rf "$src"
cp -r "$moddir" "$src"
chmod -R u+w "$src" # the module cache is read-only

# ziti's go.mod asks for a newer Go than Debian 12's; a Go that is too old
# and set to GOTOOLCHAIN=local could not build it, so let it fetch the
# toolchain go.mod names (through the module proxy).
need=$(sed -n 's/^go \([0-9][0-9.]*\).*/\1/p' "$src/go.mod")
have=$(go env GOVERSION | sed 's/^go//')
if [[ $(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1) != "$need" ]]; then
  export GOTOOLCHAIN=auto
fi

# -X stamps the version into common/version, as the project's release
# builds do, so `ziti version` (and the agent's process list) show it.
pkg=$module/common/version
ldflags="-s -w -X $pkg.Version=$ZITI_VERSION -X $pkg.Revision=$revision -X '$pkg.BuildDate=$date'"
(cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$tmp" ./ziti) || fail "go build of ziti $ZITI_VERSION failed"

got=$("$tmp" version 2>&1) || fail "the new binary does not run: $got"
[[ $got == "$ZITI_VERSION" ]] || fail "the new binary reports version '$got', want $ZITI_VERSION"
mv -f "$tmp" "$out"
ok "built ziti $ZITI_VERSION (revision $revision) in $(($(date +%s) - start)) s"
echo "$out"
