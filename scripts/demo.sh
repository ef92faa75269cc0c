#!/usr/bin/env bash
# The main job on a small real database: builds everything, generates an
# OpenZiti-shaped DB with real bbolt, starts a live writer on it, takes a hot
# snapshot while it commits, then checks and inspects the snapshot and has
# bbolt's own Check confirm it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
zb=build/src/cli/ziti-backup
peer=build/bin/boltgen
demo=$(mktemp -d /tmp/ziti-backup-demo.XXXXXX)
trap 'kill "${writer:-0}" 2>/dev/null || true; rm -rf "$demo"' EXIT

echo "== generate a 32 MiB controller-shaped DB with real bbolt"
"$peer" gen --out "$demo/ctrl-ha.db" --size 32MiB --churn
echo "== start a live writer (the controller stand-in) committing 300 transactions/s"
"$peer" writer --db "$demo/ctrl-ha.db" --rate 300 --log "$demo/writer.log" --ready "$demo/ready" &
writer=$!
while [[ ! -e $demo/ready ]]; do sleep 0.1; done
echo "== ziti-backup snapshot (auto picks hot: the writer holds the lock)"
"$zb" snapshot "$demo/ctrl-ha.db" "$demo/snap.db"
kill "$writer"; wait "$writer" || true
echo "== ziti-backup check"
"$zb" check "$demo/snap.db"
echo "== ziti-backup inspect"
"$zb" inspect "$demo/snap.db"
echo "== bbolt's own Tx.Check on the snapshot"
"$peer" check "$demo/snap.db"
