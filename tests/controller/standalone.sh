#!/usr/bin/env bash
# ziti-backup against the real OpenZiti controller (standalone, the `ziti`
# CLI built by build-ziti.sh), on 127.0.0.1 under one temp dir:
#
#   tests/controller/standalone.sh     (ZITI, ZB, BOLTGEN override the binaries)
#
# 1. `ziti edge quickstart` (no router) makes the PKI, ctrl.yaml and admin
#    and runs the controller; 50 identities, services, service policies and
#    edge router policies are created over REST.
# 2. While a writer keeps creating and deleting entities: backups with
#    --method auto (found from --ctrl-config), hot and agent (the
#    controller's own snapshot-db, which it allows once a minute).
# 3. Writer stopped: one more backup; its manifest's entity counts, and
#    `inspect` of a restored copy, equal what the API reports; the entity
#    names are recorded. Every snapshot verifies and passes bbolt's own
#    Check (boltgen check) after a restore to a scratch file.
# 4. More writes, then the disaster: controller stopped, DB removed,
#    `restore ID --to db/ctrl.db`, `ziti controller run ctrl.yaml`: it serves exactly the
#    recorded names (nothing written after the backup), its own integrity
#    check is clean, and it accepts writes. Stopped again, `auto` is cold.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/controller/lib.sh
# The manifest's and inspect's names for the same entity types.
declare -A key=([identities]=identities [services]=services
  [service-policies]=servicePolicies [edge-router-policies]=edgeRouterPolicies)

echo "== quickstart: a standalone controller on 127.0.0.1"
home=$ZC_TMP/home
db=$home/db/ctrl.db
log=$ZC_TMP/ctrl.log
zc_free_port port
zc_quickstart "$home" "$port"
[[ $(sed -n 's/^db: *"\(.*\)"$/\1/p' "$home/ctrl.yaml") == "$db" ]] || fail "ctrl.yaml does not name $db: $(grep '^db:' "$home/ctrl.yaml")"
zc_login
ok "quickstart made $home/ctrl.yaml (db: $db) and runs it on $ZC_ADDR after $((SECONDS - t0)) s"

echo "== populate: 50 of each entity type over REST"
t=$SECONDS
for ty in "${types[@]}"; do zc_create "$ty" "pop-$ty" 50; done
for ty in "${types[@]}"; do
  want=50
  [[ $ty == identities ]] && want=51 # and the admin
  n=$(zc_count "$ty")
  [[ $n == "$want" ]] || fail "$n $ty after populating, want $want"
done
ok "51 identities (admin included), 50 services, 50 service policies, 50 edge router policies in $((SECONDS - t)) s"

target=file://$ZC_TMP/backups
# backup ARGS...: one `ziti-backup backup` into the target; asserts its
# summary line; sets id (the snapshot's id), txid and method.
backup() {
  local out rc=0 re
  out=$("$zb" backup --target "$target" --keep-last 100 "$@" 2>"$ZC_TMP/backup.err") || rc=$?
  ((rc == 0)) || { cat "$ZC_TMP/backup.err" >&2; fail "ziti-backup backup $* exited $rc: $out"; }
  re='^backup ok: id=(ctrl-[0-9]{8}T[0-9]{6}Z) txid=([0-9]+) raft_index=- method=([a-z]+) plain_bytes=[0-9]+ stored_bytes=[0-9]+ duration=[0-9.]+s targets=1/1$'
  [[ $out =~ $re ]] || fail "unexpected summary of backup $*: $out"
  id=${BASH_REMATCH[1]} txid=${BASH_REMATCH[2]} method=${BASH_REMATCH[3]}
}

echo "== backups while a writer keeps changing the DB"
# Each backup waits for a writer round after the one before, so each holds
# another state of the DB and the writer is at work while they run.
zc_writer_start
zc_writer_wait 3
backup --method auto --ctrl-config "$home/ctrl.yaml"
[[ $method == hot ]] || fail "auto on a running controller without an agent command chose $method, want hot"
ok "auto (DB found from --ctrl-config, running controller: hot): $id txid=$txid"
prev_txid=$txid
zc_writer_wait 1
backup --method hot --db "$db"
[[ $method == hot ]] || fail "--method hot made method=$method"
((txid > prev_txid)) || fail "hot: txid $txid after $prev_txid"
ok "hot: $id txid=$txid"
prev_txid=$txid
zc_writer_wait 1
# The agent command as an operator would write it: it finds the one
# controller whose agent socket is in TMPDIR (lib.sh gives every ziti
# process of this test its own; with several, `ziti agent` refuses: "too
# many processes found matching filter").
agent_at=$SECONDS # no later than the agent's call
TMPDIR=$ZC_ZITI_TMP backup --method agent --db "$db" --agent-command "$ZITI agent controller snapshot-db {out}"
[[ $method == agent ]] || fail "--method agent made method=$method"
((txid > prev_txid)) || fail "agent: txid $txid after $prev_txid"
ok "agent (the controller's snapshot-db): $id txid=$txid"
zc_writer_wait 1
zc_writer_stop
ok "the writer made $ZC_WRITER_ROUNDS rounds (8 requests each) around them"

# The controller allows one snapshot-db a minute: a second one is refused.
# (Only asserted while the minute surely has not passed.)
rc=0
zc_ziti agent controller snapshot-db "$home/db/second.db" >"$ZC_TMP/second.out" 2>&1 || rc=$?
if ((SECONDS - agent_at < 45)); then
  [[ $rc == 1 && $(head -n 1 "$ZC_TMP/second.out") == "Error: may snapshot database at most once per minute" ]] ||
    fail "a second snapshot-db within a minute: exit $rc, $(head -n 1 "$ZC_TMP/second.out")"
  [[ ! -e $home/db/second.db ]] || fail "a refused snapshot-db left $home/db/second.db"
  ok "a second snapshot-db within the minute is refused (exit 1, \"may snapshot database at most once per minute\")"
else
  rm -f "$home/db/second.db"
  echo "skip: the second snapshot-db came $((SECONDS - agent_at)) s after the first (exit $rc)"
fi

echo "== the writer stopped: a backup whose counts the API confirms"
backup --method auto --ctrl-config "$home/ctrl.yaml"
quiet=$id quiet_txid=$txid
mkdir -m 0700 "$ZC_TMP/names" "$ZC_TMP/scratch"
for ty in "${types[@]}"; do zc_names "$ty" >"$ZC_TMP/names/$ty"; done
manifest=$ZC_TMP/backups/$quiet.json
"$zb" restore "$quiet" --target "$target" --to "$ZC_TMP/scratch/quiet.db" >/dev/null 2>"$ZC_TMP/restore.err" ||
  { cat "$ZC_TMP/restore.err" >&2; fail "restore $quiet to a scratch file"; }
inspect=$("$zb" inspect --json "$ZC_TMP/scratch/quiet.db") || fail "inspect of the restored copy of $quiet"
for ty in "${types[@]}"; do
  api=$(zc_count "$ty")
  names=$(wc -l <"$ZC_TMP/names/$ty")
  in_manifest=$(jq -r ".ziti.entities.${key[$ty]}" "$manifest")
  in_inspect=$(jq -r ".ziti.entities.${key[$ty]}" <<<"$inspect")
  [[ $api == "$names" && $in_manifest == "$api" && $in_inspect == "$api" ]] ||
    fail "$ty: the API reports $api ($names names), the manifest of $quiet $in_manifest, inspect of its restored copy $in_inspect"
  ok "$ty: $api in the API, the manifest and inspect"
done

echo "== every snapshot verifies and passes bbolt's Check"
out=$("$zb" verify --all --target "$target" 2>&1) || fail "verify --all: $out"
n=0
for m in "$ZC_TMP"/backups/ctrl-*.json; do
  sid=$(basename "$m" .json)
  rm -f "$ZC_TMP/scratch/check.db"
  "$zb" restore "$sid" --target "$target" --to "$ZC_TMP/scratch/check.db" >/dev/null 2>"$ZC_TMP/restore.err" ||
    { cat "$ZC_TMP/restore.err" >&2; fail "restore $sid to a scratch file"; }
  out=$("$boltgen" check "$ZC_TMP/scratch/check.db" 2>&1) || fail "bbolt's Check of $sid: $out"
  n=$((n + 1))
done
((n == 4)) || fail "$n snapshots in the target, want 4"
ok "4 snapshots: verify --all, and bbolt's Check of each restored copy"

echo "== more writes after the backup"
zc_writer_start after
zc_create identities after-backup 5
zc_writer_wait 3
zc_writer_stop
[[ $(zc_names identities) != "$(cat "$ZC_TMP/names/identities")" ]] || fail "the identities did not change after the backup"
ok "the DB moved on (5 identities and a writer's rounds after the backup)"

echo "== disaster: controller stopped, DB removed, restore $quiet, controller started"
zc_stop "$ZC_PID"
rm -f "$db"
out=$("$zb" restore "$quiet" --target "$target" --to "$db" 2>"$ZC_TMP/restore.err") ||
  { cat "$ZC_TMP/restore.err" >&2; fail "restore $quiet --to $db: $out"; }
[[ $out == "restore ok: id=$quiet txid=$quiet_txid from $target to=$db"$'\n'"Start the controller: it serves this snapshot." ]] ||
  fail "restore said: $out"
[[ $(stat -c %a "$db") == 600 ]] || fail "the restored DB has mode $(stat -c %a "$db"), want 600"
out=$("$boltgen" check "$db" 2>&1) || fail "bbolt's Check of the restored DB: $out"
ok "restored $quiet (txid $quiet_txid; mode 0600), bbolt's Check passes"

t=$SECONDS
zc_start "$home/ctrl.yaml" "$log"
zc_wait_ready 180 "$ZC_PID" "$log"
zc_login
ok "the controller runs on the restored DB (answers after $((SECONDS - t)) s)"
for ty in "${types[@]}"; do
  diff -u "$ZC_TMP/names/$ty" <(zc_names "$ty") >&2 || fail "$ty after the restore differ from the snapshot's"
done
ok "it serves exactly the names recorded with the snapshot ($(cat "$ZC_TMP"/names/* | wc -l) entities)"
zc_check_integrity
ok "its own integrity check (ziti edge db start-check-integrity) is clean"
out=$(zc_ziti edge create identity after-restore 2>&1) || fail "ziti edge create identity after-restore: $out"
zc_names identities | grep -qx after-restore || fail "after-restore is not listed after it was created"
ok "it accepts writes: identity after-restore created and listed"

declare -A final
for ty in "${types[@]}"; do final[$ty]=$(zc_count "$ty"); done
zc_stop "$ZC_PID"
out=$("$boltgen" check "$db" 2>&1) || fail "bbolt's Check of the DB after the controller ran on it: $out"
ok "controller stopped cleanly; bbolt's Check of its DB passes"
backup --method auto --ctrl-config "$home/ctrl.yaml"
[[ $method == cold ]] || fail "auto on a stopped controller chose $method, want cold"
for ty in "${types[@]}"; do
  n=$(jq -r ".ziti.entities.${key[$ty]}" "$ZC_TMP/backups/$id.json")
  [[ $n == "${final[$ty]}" ]] || fail "$ty: the cold backup's manifest says $n, the API said ${final[$ty]} before the stop"
done
ok "auto on the stopped controller: cold, $id, with the counts the API last reported"
ok "the real controller (standalone) in $((SECONDS - t0)) s"
