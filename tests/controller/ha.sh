#!/usr/bin/env bash
# ziti-backup against a real clustered (HA, raft) OpenZiti controller: one
# node made by `ziti edge quickstart ha`, on 127.0.0.1 under one temp dir.
# This runs the clustered restore runbooks of the README:
#
#   tests/controller/ha.sh     (ZITI, ZB, BOLTGEN override the binaries)
#
# 1. Backups of cluster.dataDir/ctrl-ha.db (found from --ctrl-config):
#    auto with the agent command takes the controller's snapshot-db; a
#    second auto within the minute falls back to hot, and says so.
# 2. Rollback: more writes, then `restore OLD --via-agent` on the running
#    controller, which takes the snapshot, exits by design, and after a
#    restart serves exactly the snapshot's names and accepts writes.
# 3. Repair: a backup, more writes, controller stopped, `restore --force`
#    over ctrl-ha.db while raft.db stays: restore says it is a repair, and
#    the controller replays its log: it serves the latest names, not the
#    snapshot's.
# 4. The raft directory lost: a lone ctrl-ha.db is refused; the controller
#    started on an empty dataDir, then `restore --via-agent`, then started
#    again: the snapshot's names are back and writes work.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/controller/lib.sh

echo "== quickstart ha: one clustered controller on 127.0.0.1"
home=$ZC_TMP/home
config=$home/ctrl1/ctrl.yaml
data=$home/ctrl1/raft
db=$data/ctrl-ha.db
log=$ZC_TMP/ctrl.log
zc_free_port port
ZC_HA_ID=ctrl1 zc_quickstart "$home" "$port"
[[ -f $db && -f $data/raft.db ]] || fail "no ctrl-ha.db and raft.db in $data"
zc_login
for ty in "${types[@]}"; do zc_create "$ty" "pop-$ty" 10; done
ok "cluster member ctrl1 (dataDir $data) with 10 of each entity type after $((SECONDS - t0)) s"

target=file://$ZC_TMP/backups
# ziti-backup sees only this test's controller through its agent socket
# (lib.sh gives every ziti process of this test its own TMPDIR).
export TMPDIR=$ZC_ZITI_TMP
agent=("--agent-command" "$ZITI agent controller snapshot-db {out}")
rollback=("--agent-restore-command" "$ZITI agent cluster restore-from-db {in}")
# backup ARGS...: one backup into the target; sets id, method, raft.
backup() {
  local out rc=0 re
  out=$("$zb" backup --target "$target" --keep-last 100 --ctrl-config "$config" "$@" 2>"$ZC_TMP/backup.err") || rc=$?
  ((rc == 0)) || { cat "$ZC_TMP/backup.err" >&2; fail "ziti-backup backup $* exited $rc: $out"; }
  re='^backup ok: id=(ctrl-ha-[0-9]{8}T[0-9]{6}Z) txid=[0-9]+ raft_index=([0-9]+) method=([a-z]+) '
  [[ $out =~ $re ]] || fail "unexpected summary of backup $*: $out"
  id=${BASH_REMATCH[1]} raft=${BASH_REMATCH[2]} method=${BASH_REMATCH[3]}
}
# names DIR: records the name lists the API serves now.
names() {
  mkdir -p -m 0700 "$1"
  for ty in "${types[@]}"; do zc_names "$ty" >"$1/$ty"; done
}
# serves DIR WHAT: the API serves exactly the names recorded in DIR.
serves() {
  local ty
  for ty in "${types[@]}"; do
    diff -u "$1/$ty" <(zc_names "$ty") >&2 || fail "$ty differ from $2"
  done
}
# restart: `ziti controller run` on the same config, ready and logged in.
restart() {
  zc_start "$config" "$log"
  zc_wait_ready 180 "$ZC_PID" "$log"
  local start=$SECONDS
  until (zc_authenticate) >/dev/null 2>&1; do
    ((SECONDS - start <= 180)) || { zc_dump_log "$log"; fail "no admin login 180 s after the restart"; }
    sleep 0.5
  done
  zc_login
  # Writes need a raft leader, elected a little after the API answers.
  start=$SECONDS
  until zc_ziti agent cluster list 2>/dev/null | awk -F'│' '$2 ~ /ctrl1/ && $5 ~ /true/ { found = 1 } END { exit !found }'; do
    ((SECONDS - start <= 180)) || fail "no raft leader 180 s after the restart: $(zc_ziti agent cluster list 2>&1)"
    sleep 0.5
  done
}

echo "== backups of ctrl-ha.db: the agent, then hot within the controller's minute"
agent_at=$SECONDS # no later than the agent's call
backup --method auto "${agent[@]}"
[[ $method == agent ]] || fail "auto with an agent command on a running controller chose $method"
old=$id old_raft=$raft
names "$ZC_TMP/old"
ok "auto: the controller's snapshot-db, $old at raft index $old_raft"
backup --method auto "${agent[@]}"
# (Only asserted while the minute surely has not passed: see standalone.sh.)
if ((SECONDS - agent_at < 45)); then
  [[ $method == hot ]] || fail "a second auto within the minute chose $method, want hot"
  grep -q 'snapshot.agent_fallback id=.* method=hot why="agent command .* exit status 1: may snapshot database at most once per minute"' \
    "$ZC_TMP/backup.err" || fail "no agent_fallback event: $(cat "$ZC_TMP/backup.err")"
  ok "auto within the minute: the controller refused, logged, hot instead ($id, raft index $raft)"
else
  echo "skip: the second auto came $((SECONDS - agent_at)) s after the agent's snapshot ($method)"
fi
((raft >= old_raft)) || fail "raft index went from $old_raft to $raft"

echo "== rollback: restore $old --via-agent on the running controller"
zc_create identities after-old 5
zc_create services after-old 3
[[ $(zc_count identities) == $(($(wc -l <"$ZC_TMP/old/identities") + 5)) ]] || fail "the writes after $old are missing"
out=$("$zb" restore "$old" --target "$target" --to "$db" --via-agent "${rollback[@]}" 2>"$ZC_TMP/restore.err") ||
  { cat "$ZC_TMP/restore.err" >&2; zc_dump_log "$ZC_TMP/quickstart.log"; fail "restore --via-agent: $out"; }
want="restore ok: id=$old txid=[0-9]+ raft_index=$old_raft from $target via the controller of $db"
[[ $(head -n 1 <<<"$out") =~ ^$want$ ]] || fail "restore --via-agent said: $out"
# (It exits about 5 s after; restore watches for a minute and says either.)
grep -qxE "It has (exited|not exited yet; it will)\. Start it again .*" <<<"$out" ||
  fail "restore --via-agent did not say what the controller does next: $out"
zc_wait_exit "$ZC_PID"
ok "the controller took $old and exited (exit $ZC_EXIT), as designed"
[[ -z $(find "$data" -maxdepth 1 -name '.ziti-backup-*') ]] || fail "side files left in $data: $(ls -a "$data")"
restart
serves "$ZC_TMP/old" "the snapshot $old after the rollback"
ok "after a restart it serves exactly the names of $old"
out=$(zc_ziti edge create identity after-rollback 2>&1) || fail "create identity after-rollback: $out"
zc_names identities | grep -qx after-rollback || fail "after-rollback is not listed"
zc_check_integrity
ok "it accepts writes (after-rollback) and its integrity check is clean"

echo "== repair: restore over ctrl-ha.db of the stopped controller, raft.db kept"
backup --method hot
repair=$id
zc_create identities after-repair-backup 4
names "$ZC_TMP/latest"
zc_stop "$ZC_PID"
out=$("$zb" restore "$repair" --target "$target" --to "$db" --force 2>"$ZC_TMP/restore.err") ||
  { cat "$ZC_TMP/restore.err" >&2; fail "restore --force over ctrl-ha.db: $out"; }
grep -qx 'This is a REPAIR, not a rollback: raft.db stays beside ctrl-ha.db, so on start the controller' <<<"$out" ||
  fail "restore did not say it is a repair: $out"
restart
serves "$ZC_TMP/latest" "the latest state (a repair replays the raft log past the snapshot)"
ok "restore said REPAIR; the controller replayed its log: the 4 identities made after $repair are there"

echo "== raft directory lost: a lone ctrl-ha.db is refused; empty dataDir, --via-agent, restart"
backup --method hot
lost=$id
names "$ZC_TMP/lost"
zc_stop "$ZC_PID"
rm -rf "$data"
mkdir -m 0700 "$data"
rc=0
out=$("$zb" restore "$lost" --target "$target" --to "$db" --force 2>&1) || rc=$?
[[ $rc == 2 && $out == "ziti-backup: invalid argument: refusing to put a file at $db: there is no raft.db beside it"* ]] ||
  fail "a lone ctrl-ha.db: exit $rc: $out"
[[ -z $(ls -A "$data") ]] || fail "the refused restore left files in $data: $(ls -A "$data")"
ok "restore to a lone ctrl-ha.db is refused (exit 2), nothing written"
zc_start "$config" "$log"
zc_wait_ready 180 "$ZC_PID" "$log"
# The new cluster has no admin yet: the version endpoint answers, and the
# agent is the way in.
start=$SECONDS
until [[ -f $data/raft.db && -f $db ]]; do
  ((SECONDS - start <= 180)) || fail "no raft.db and ctrl-ha.db in $data 180 s after the start"
  sleep 0.2
done
out=$("$zb" restore "$lost" --target "$target" --to "$db" --via-agent "${rollback[@]}" 2>"$ZC_TMP/restore.err") ||
  { cat "$ZC_TMP/restore.err" >&2; zc_dump_log "$log"; fail "restore --via-agent on the empty dataDir: $out"; }
zc_wait_exit "$ZC_PID"
restart
serves "$ZC_TMP/lost" "the snapshot $lost after the raft directory was lost"
out=$(zc_ziti edge create identity after-loss 2>&1) || fail "create identity after-loss: $out"
zc_names identities | grep -qx after-loss || fail "after-loss is not listed"
zc_stop "$ZC_PID"
restart
zc_names identities | grep -qx after-loss || fail "after-loss is gone after a restart (a write was lost)"
ok "snapshot $lost back on a new raft directory; a write survives a restart"
zc_stop "$ZC_PID"
ok "the real controller (clustered) in $((SECONDS - t0)) s"
