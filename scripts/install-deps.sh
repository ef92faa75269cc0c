#!/usr/bin/env bash
# Installs everything ziti-backup needs to build and test, from Debian's
# packages (Debian 12), idempotently. Run as root (or via sudo).
# Go comes from the machine if it has a recent one; otherwise Debian's
# golang-go is installed and fetches the toolchain go.mod asks for through
# the Go module proxy (GOTOOLCHAIN=auto).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgtest-dev libgmock-dev        # unit and integration tests
  libcli11-dev                     # command line parsing
  nlohmann-json3-dev               # --json output, manifests
  libabsl-dev                      # time zones for retention and schedules (static archives)
  libzstd-dev zstd                 # compression; the zstd CLI checks our frames in tests
  libssl-dev                       # SHA-256 (and age's X25519/ChaCha20-Poly1305 later)
  libboost1.81-dev                 # Beast + Asio headers: HTTP/1.1 + TLS for the object stores
  libyaml-cpp-dev                  # reading the controller's config.yml to find its DB
  time                             # /usr/bin/time -v for peak RSS in bench/
  clang-format                     # style check in CI
  clang-14 libclang-rt-14-dev      # fuzz/: libFuzzer and the sanitizers ship with clang only
  systemd                          # systemd-analyze checks the units in deploy/systemd
  podman runc                      # the container tests (tests/deploy/)
  age                              # the age CLI: interop tests of our age keys and format
  debootstrap                      # Debian 12 for deploy/Dockerfile's build stage in its test
  curl jq                          # the real controller's REST API in tests/controller/
  ceph-mon ceph-osd radosgw        # the S3 server of tests/remote/ (tests/servers/rgw.sh)
  openssl python3                  # the test servers' certificates; tests/servers/azblob.py
)
# Azurite (tests/servers/azurite.sh) runs on Node.js and is installed with
# npm: the machine's if it has both (NodeSource's nodejs bundles npm and
# conflicts with Debian's npm package), else Debian's nodejs 18 + npm.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Go >= 1.21 can fetch the exact toolchain go.mod needs from the module proxy.
have_go() { command -v go >/dev/null 2>&1 && go version | grep -qE 'go1\.(2[1-9]|[3-9][0-9])'; }
if ! have_go && [[ -x /usr/local/go/bin/go ]]; then export PATH=/usr/local/go/bin:$PATH; fi
if ! have_go; then
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get install -y -qq --no-install-recommends golang-go
  if ! have_go; then
    # Debian 12's Go (1.19) cannot switch toolchains itself: fetch one through
    # the module proxy as the golang.org/toolchain module and unpack it.
    v=go1.23.12
    dir=$(GOFLAGS=-mod=mod go mod download -json "golang.org/toolchain@v0.0.1-$v.linux-$(dpkg --print-architecture)" |
          sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    ln -sf "$dir/bin/go" /usr/local/bin/go
  fi
fi
go version >/dev/null
