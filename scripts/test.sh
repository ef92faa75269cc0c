#!/usr/bin/env bash
# The whole test suite: builds (scripts/build.sh), checks formatting, runs
# every test with ctest (the tests in tests/remote/ against Ceph RGW and
# Azurite, which CTest fixtures start: docs/testing.md), runs ziti-backup
# against the real OpenZiti controller (tests/controller/), runs them
# again under AddressSanitizer +
# UndefinedBehaviorSanitizer (a Debug build, so assertions are on too),
# runs every fuzz target for a minute (fuzz/run.sh), builds the static
# release binary and checks it would run in the
# controller image, then runs the deployment tests (systemd units, the
# container with podman).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export PATH=/usr/local/go/bin:$PATH

echo "== clang-format"
git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'fuzz/*.cc' 'fuzz/*.h' |
  xargs clang-format --dry-run --Werror

echo "== go vet + go test (tests/boltgen, tests/agevectors)"
(cd tests/boltgen && go vet ./... && go test -count=1 ./...)
(cd tests/agevectors && go vet ./...)

echo "== scripts/demo.sh (the README's first command)"
scripts/demo.sh >/dev/null

echo "== ctest"
(cd build && ctest -j2 --output-on-failure --timeout 1200)

echo "== the real OpenZiti controller (standalone, then clustered)"
# The ziti CLI v1.6.0 built from its Go module (once; Go's caches make a
# rebuild a link), then backups of a live controller, a disaster and a
# restore; for the clustered one a rollback through the controller, a
# repair, and a lost raft directory.
ziti=$(tests/controller/build-ziti.sh | tail -n 1)
ZITI=$ziti tests/controller/standalone.sh
ZITI=$ziti tests/controller/ha.sh

echo "== every test again under ASan + UBSan (Debug: assertions on)"
# But one: 30 instrumented hot copies and checks of 128 MiB take long; the
# same path runs on smaller DBs in the other hot tests.
BUILD_DIR=build-asan scripts/build.sh -DZB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd build-asan && ctest -j2 --output-on-failure --timeout 1200 \
  -E 'ThirtySnapshotsUnderAFastWriter')

echo "== fuzz (60 s per target)"
# Every libFuzzer target on its seed corpus after replaying its committed
# regressions (clang, ASan + UBSan, bounded memory and time; docs/fuzzing.md).
fuzz/run.sh 60

echo "== static release build + portability (glibc <= 2.34, only glibc's libraries)"
BUILD_DIR=build-release scripts/build.sh -DZB_STATIC=ON -DZB_TESTS=OFF -DCMAKE_BUILD_TYPE=Release
tests/portable/check.sh build-release/src/cli/ziti-backup
tests/portable/check.sh build/src/cli/ziti-backup --expect-fail

echo "== deployments: systemd units (systemd-analyze), the container and deploy/Dockerfile (podman)"
tests/deploy/systemd.sh
tests/deploy/container.sh build-release/src/cli/ziti-backup
ZITI_BIN=$ziti tests/deploy/dockerfile.sh
