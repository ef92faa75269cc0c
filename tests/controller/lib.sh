# Shared by the tests that run a real OpenZiti controller (sourced, from the
# repository root, after `set -euo pipefail`). Everything lives under one
# temp dir (0700) that is removed on exit, with every controller and writer
# this file started stopped first; everything listens on 127.0.0.1 only.
#
#   . tests/controller/lib.sh   # zb, boltgen (ZB, BOLTGEN) and ZITI (else
#                               # build-ziti.sh's), t0, types
#   zc_free_port port
#   zc_quickstart "$ZC_TMP/home" "$port"   # PKI, ctrl.yaml, admin; keeps running
#   zc_login
#   zc_stop "$ZC_PID"; zc_start "$ZC_TMP/home/ctrl.yaml" "$ZC_TMP/ctrl.log"
#   zc_wait_ready 180 "$ZC_PID" "$ZC_TMP/ctrl.log"; zc_login
#   zc_create identities id 50; zc_names identities; zc_count services
#   zc_writer_start; zc_writer_wait 3; ...; zc_writer_stop
#   zc_stop "$ZC_PID"
#
# Every ziti process gets TMPDIR=ZC_ZITI_TMP (under ZC_TMP): its IPC agent's
# socket (gops-agent.PID.sock, which ziti leaves behind when it exits)
# goes there, and `ziti agent ...` run with the same TMPDIR sees only the
# controllers of this test, not those of anything else on the machine.
# Run ziti-backup with TMPDIR=$ZC_ZITI_TMP when its agent command is used.
#
# One controller (or cluster) is "in use" at a time (zc_use): its API
# address, the CA that signs its server certificate, and the session
# (REST token in a header file, the CLI's login under ZC_TMP). The ziti
# CLI runs with HOME and ZITI_CONFIG_DIR under ZC_TMP (zc_ziti), so the
# user's ~/.config/ziti is never read or written.
#
# Callers that need more cleanup append commands to ZC_CLEANUP; they run
# first, before the controllers are stopped.

zb=${ZB:-$PWD/build/src/cli/ziti-backup}
boltgen=${BOLTGEN:-$PWD/build/bin/boltgen}
[[ -x $zb && -x $boltgen ]] || { echo "build first: scripts/build.sh" >&2; exit 2; }
ZITI=${ZITI:-$(tests/controller/build-ziti.sh | tail -n 1)}
[[ -n ${ZITI:-} && -x ${ZITI:-} ]] || { echo "ZITI must name the ziti binary (tests/controller/build-ziti.sh)" >&2; exit 2; }
t0=$SECONDS
# The entity types the tests compare, by their REST names.
types=(identities services service-policies edge-router-policies)
for p in curl jq; do
  command -v $p >/dev/null || { echo "$p is missing: run scripts/install-deps.sh" >&2; exit 2; }
done

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

ZC_TMP=$(mktemp -d /tmp/zb-ctrl.XXXXXX)
chmod 0700 "$ZC_TMP"
mkdir -m 0700 "$ZC_TMP/cli-home" "$ZC_TMP/tmp"
ZC_ZITI_TMP=$ZC_TMP/tmp
ZC_PASSWORD=pw-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n') # a throwaway admin password
ZC_PIDS=()     # controllers started here, stopped on exit
ZC_PORTS=()    # ports handed out, never twice
ZC_CLEANUP=()  # the caller's own cleanup commands
ZC_WRITER_PID=
ZC_WRITER_ROUNDS=0
ZC_PID=
ZC_ADDR=
ZC_CA=

zc_cleanup() {
  local c p
  for c in "${ZC_CLEANUP[@]}"; do eval "$c" || true; done
  if [[ -n $ZC_WRITER_PID ]]; then
    touch "$ZC_TMP/writer.stop"
    kill "$ZC_WRITER_PID" 2>/dev/null || true
    wait "$ZC_WRITER_PID" 2>/dev/null || true
  fi
  for p in "${ZC_PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null || continue
    # The controller stops within seconds; do not leave one behind.
    for _ in $(seq 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$ZC_TMP"
}
trap zc_cleanup EXIT

# zc_ziti ARGS...: the ziti CLI with its config (and any HOME it uses) kept
# under ZC_TMP.
zc_ziti() {
  HOME=$ZC_TMP/cli-home ZITI_CONFIG_DIR=$ZC_TMP/cli-home/ziti TMPDIR=$ZC_ZITI_TMP "$ZITI" "$@"
}

# zc_free_port NAME: sets the variable NAME to a TCP port no socket on this
# machine uses (in any state, so not one in TIME_WAIT either) and that was
# not handed out before in this run. (A variable, not output: in a $(...)
# the record of ports handed out would be lost.)
zc_free_port() {
  local -n zc_port_out=$1
  local _zc_p _zc_hex _zc_used
  _zc_used=$(awk 'NR > 1 { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
  for _ in $(seq 1000); do
    _zc_p=$((20000 + RANDOM % 40000))
    printf -v _zc_hex '%04X' "$_zc_p"
    grep -qx "$_zc_hex" <<<"$_zc_used" && continue
    [[ " ${ZC_PORTS[*]} " == *" $_zc_p "* ]] && continue
    ZC_PORTS+=("$_zc_p")
    zc_port_out=$_zc_p
    return 0
  done
  fail "no free TCP port found"
}

# zc_use ADDR CA: talk to the controller (or cluster member) at ADDR
# (127.0.0.1:PORT) whose server certificate CA signs.
zc_use() {
  ZC_ADDR=$1
  ZC_CA=$2
}

# zc_dump_log LOG: the last lines of a controller's log, for a failure.
zc_dump_log() {
  echo "--- last lines of $1:" >&2
  tail -n 30 "$1" 2>/dev/null | cut -c1-400 >&2 || true
}

# zc_wait_ready [SECONDS] [PID] [LOG]: polls the management API's version
# endpoint until it answers 200 (generous default bound: 180 s, the
# controller takes ~10 s on an idle machine). Fails at once if PID exits.
zc_wait_ready() {
  local bound=${1:-180} pid=${2:-$ZC_PID} log=${3:-} start=$SECONDS
  while :; do
    if curl -sf -o /dev/null --max-time 5 --cacert "$ZC_CA" "https://$ZC_ADDR/edge/management/v1/version"; then
      return 0
    fi
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      [[ -n $log ]] && zc_dump_log "$log"
      fail "the controller (pid $pid) exited before $ZC_ADDR answered"
    fi
    if ((SECONDS - start > bound)); then
      [[ -n $log ]] && zc_dump_log "$log"
      fail "$ZC_ADDR did not answer within $bound s"
    fi
    sleep 0.3
  done
}

# zc_authenticate: a REST session for the admin; its token goes into a
# header file (not argv) that zc_rest and the writer pass to curl.
zc_authenticate() {
  local body
  body=$(jq -cn --arg p "$ZC_PASSWORD" '{username: "admin", password: $p}' |
    curl -sS --fail-with-body --cacert "$ZC_CA" -H 'Content-Type: application/json' -d @- \
      "https://$ZC_ADDR/edge/management/v1/authenticate?method=password") ||
    fail "authenticate at $ZC_ADDR: $body"
  printf 'zt-session: %s\n' "$(jq -r .data.token <<<"$body")" >"$ZC_TMP/session.h"
}

# zc_login: a REST session and the CLI's login (both are lost with the
# controller's DB, so log in again after a restore).
zc_login() {
  local out
  zc_authenticate
  out=$(zc_ziti edge login "$ZC_ADDR" -u admin -p "$ZC_PASSWORD" --ca "$ZC_CA" 2>&1) ||
    fail "ziti edge login $ZC_ADDR: $out"
}

# zc_rest METHOD PATH [JSON]: one management API call; prints the body;
# fails on an HTTP error.
zc_rest() {
  local out
  out=$(curl -sS --fail-with-body --cacert "$ZC_CA" -H @"$ZC_TMP/session.h" \
    -H 'Content-Type: application/json' -X "$1" ${3:+-d "$3"} \
    "https://$ZC_ADDR/edge/management/v1/$2") || fail "$1 $2: $out"
  printf '%s\n' "$out"
}

# zc_count TYPE: how many TYPE (identities, services, service-policies,
# edge-router-policies, ...) the management API reports.
zc_count() {
  zc_rest GET "$1?limit=1" | jq -r .meta.pagination.totalCount
}

# zc_names TYPE: the names of every TYPE, sorted, one a line, as the CLI
# lists them.
zc_names() {
  local out
  out=$(zc_ziti edge list "$1" 'limit none' -j 2>&1) || fail "ziti edge list $1: $out"
  jq -r '.data[].name' <<<"$out" | LC_ALL=C sort
}

# zc_body TYPE NAME I: the JSON to create entity number I of TYPE. Identities
# and services get one of five role attributes, which the policies select,
# so the controller's policy indexes hold real links.
zc_body() {
  local g=grp$(($3 % 5))
  case $1 in
    identities) jq -cn --arg n "$2" --arg g "$g" '{name: $n, type: "User", isAdmin: false, roleAttributes: [$g]}' ;;
    services) jq -cn --arg n "$2" --arg g "$g" '{name: $n, encryptionRequired: true, roleAttributes: [$g]}' ;;
    service-policies)
      local t=Dial
      (($3 % 2)) && t=Bind
      jq -cn --arg n "$2" --arg g "#$g" --arg t "$t" \
        '{name: $n, type: $t, semantic: "AnyOf", identityRoles: [$g], serviceRoles: [$g]}' ;;
    edge-router-policies)
      jq -cn --arg n "$2" --arg g "#$g" '{name: $n, semantic: "AnyOf", identityRoles: [$g], edgeRouterRoles: ["#all"]}' ;;
    *) fail "zc_body: unknown type $1" ;;
  esac
}

# zc_curl_config FILE METHOD PATH [BODY]: appends one request to a curl
# config (-K) file; its response goes to FILE.N.json, its status to stdout.
zc_curl_config() {
  local n=$1.$(($(grep -c '^url' "$1" 2>/dev/null || true) + 1))
  {
    echo '--next'
    printf -- '-sS\n--cacert "%s"\n-H "@%s"\n-H "Content-Type: application/json"\n' "$ZC_CA" "$ZC_TMP/session.h"
    printf -- '-X %s\n-o "%s.json"\n-w "%%{http_code}\\n"\n' "$2" "$n"
    [[ -z ${4:-} ]] || printf -- '-d "%s"\n' "$(sed 's/\\/\\\\/g; s/"/\\"/g' <<<"$4")"
    printf 'url = "https://%s/edge/management/v1/%s"\n' "$ZC_ADDR" "$3"
  } >>"$1"
}

# zc_create TYPE PREFIX N [FIRST]: creates N entities of TYPE named
# PREFIX-0001 ... through one curl process (one TLS connection, ~20 ms an
# entity; the CLI takes ~1 s each).
zc_create() {
  local type=$1 prefix=$2 n=$3 first=${4:-1} cfg i codes bad
  cfg=$(mktemp "$ZC_TMP/create.XXXXXX")
  for ((i = first; i < first + n; i++)); do
    zc_curl_config "$cfg" POST "$type" "$(zc_body "$type" "$(printf '%s-%04d' "$prefix" "$i")" "$i")"
  done
  codes=$(curl -K "$cfg" 2>&1) || true
  bad=$(grep -vcx 201 <<<"$codes" || true)
  if [[ $bad != 0 || $(grep -cx 201 <<<"$codes") != "$n" ]]; then
    echo "$codes" | sort | uniq -c >&2
    cat "$cfg".*.json 2>/dev/null | head -c 2000 >&2 || true
    rm -f "$cfg" "$cfg".*
    fail "creating $n $type ($prefix-*): not every request answered 201"
  fi
  rm -f "$cfg" "$cfg".*
}

# zc_writer_start [TAG]: a background writer that keeps changing the DB:
# each round creates one identity, service, service policy and edge router
# policy (named writer-TAG-N-...) and deletes the previous round's, in one
# curl process. It stops between rounds (zc_writer_stop), never inside one,
# so after zc_writer_stop returns no write of it is in flight.
zc_writer_start() {
  local tag=${1:-w}
  [[ -z $ZC_WRITER_PID ]] || fail "a writer is already running"
  rm -f "$ZC_TMP/writer.stop" "$ZC_TMP/writer.rounds" "$ZC_TMP/writer.err"
  (
    set -euo pipefail
    trap - EXIT # the parent's cleanup is not the writer's
    dir=$ZC_TMP/writer
    mkdir -p "$dir"
    prev=() round=0
    types=(identities services service-policies edge-router-policies)
    while [[ ! -e $ZC_TMP/writer.stop ]]; do
      round=$((round + 1))
      cfg=$dir/round
      rm -f "$cfg" "$cfg".*
      for id in "${prev[@]}"; do zc_curl_config "$cfg" DELETE "$id"; done
      for t in "${types[@]}"; do zc_curl_config "$cfg" POST "$t" "$(zc_body "$t" "writer-$tag-$round-$t" "$round")"; done
      codes=$(curl -K "$cfg" 2>&1) || true
      want=()
      for _ in "${prev[@]}"; do want+=(200); done
      for _ in "${types[@]}"; do want+=(201); done
      if [[ $codes != "$(printf '%s\n' "${want[@]}")" ]]; then
        { echo "writer round $round: statuses"; echo "$codes"; cat "$cfg".*.json; } >"$ZC_TMP/writer.err" 2>&1
        exit 1
      fi
      # The ids of this round's entities, deleted next round.
      k=${#prev[@]} prev=()
      for t in "${types[@]}"; do
        k=$((k + 1))
        prev+=("$t/$(jq -r .data.id "$cfg.$k.json")")
      done
      echo "$round" >"$ZC_TMP/writer.rounds"
    done
  ) &
  ZC_WRITER_PID=$!
}

# zc_writer_wait N: waits until the writer has made N more rounds (bounded:
# 180 s); fails if it failed.
zc_writer_wait() {
  local now want start=$SECONDS
  now=$(cat "$ZC_TMP/writer.rounds" 2>/dev/null || echo 0)
  want=$((now + $1))
  while ((now < want)); do
    [[ ! -e $ZC_TMP/writer.err ]] || { cat "$ZC_TMP/writer.err" >&2; fail "the writer failed"; }
    ((SECONDS - start <= 180)) || fail "the writer made $((now + $1 - want)) of $1 rounds in 180 s"
    sleep 0.1
    now=$(cat "$ZC_TMP/writer.rounds" 2>/dev/null || echo 0)
  done
}

# zc_writer_stop: asks the writer to stop after its current round, waits,
# fails if it had failed; sets ZC_WRITER_ROUNDS to the rounds it made. (Not
# in a $(...): the writer is a child of the main shell.)
zc_writer_stop() {
  local rc=0 pid=$ZC_WRITER_PID
  [[ -n $pid ]] || fail "no writer is running"
  touch "$ZC_TMP/writer.stop"
  wait "$pid" || rc=$?
  ZC_WRITER_PID=
  if ((rc != 0)); then
    cat "$ZC_TMP/writer.err" >&2 2>/dev/null || true
    fail "the writer failed (exit $rc)"
  fi
  ZC_WRITER_ROUNDS=$(cat "$ZC_TMP/writer.rounds" 2>/dev/null || echo 0)
}

# zc_start CONFIG LOG: `ziti controller run CONFIG` in the background,
# output to LOG; its pid in ZC_PID (also stopped on exit).
zc_start() {
  ZITI_CTRL_BIND_ADDRESS=127.0.0.1 ZITI_CTRL_EDGE_BIND_ADDRESS=127.0.0.1 \
    HOME=$ZC_TMP/cli-home TMPDIR=$ZC_ZITI_TMP "$ZITI" controller run "$1" >>"$2" 2>&1 &
  ZC_PID=$!
  ZC_PIDS+=("$ZC_PID")
}

# zc_stop PID [SECONDS]: SIGTERM, then waits (bounded: generous default
# 120 s) for the process to exit; fails if it does not or exits non-zero.
zc_stop() {
  local pid=$1 bound=${2:-120} start=$SECONDS rc=0
  kill -TERM "$pid" 2>/dev/null || fail "process $pid is not running"
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS - start <= bound)) || { kill -KILL "$pid"; fail "process $pid still ran $bound s after SIGTERM"; }
    sleep 0.1
  done
  wait "$pid" || rc=$?
  local p left=()
  for p in "${ZC_PIDS[@]}"; do [[ $p == "$pid" ]] || left+=("$p"); done
  ZC_PIDS=("${left[@]}")
  ((rc == 0)) || fail "process $pid exited $rc after SIGTERM"
}

# zc_wait_exit PID [SECONDS]: waits (bounded: generous default 120 s) for a
# controller that exits by itself (after a restore-from-db, by design);
# sets ZC_EXIT to its exit code. (Not in a $(...): see zc_writer_stop.)
zc_wait_exit() {
  local pid=$1 bound=${2:-120} start=$SECONDS rc=0 p left=()
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS - start <= bound)) || fail "process $pid still runs after $bound s"
    sleep 0.1
  done
  wait "$pid" || rc=$?
  for p in "${ZC_PIDS[@]}"; do [[ $p == "$pid" ]] || left+=("$p"); done
  ZC_PIDS=("${left[@]}")
  ZC_EXIT=$rc
}

# zc_quickstart HOME PORT [LOG]: a standalone controller made by `ziti edge
# quickstart` with no router (with ZC_HA_ID set, `ziti edge quickstart ha`:
# the first member of a raft cluster, HOME/ZC_HA_ID/ctrl.yaml with
# cluster.dataDir HOME/ZC_HA_ID/raft holding ctrl-ha.db and raft.db): its PKI, HOME/ctrl.yaml (db: HOME/db/ctrl.db)
# and its admin (password ZC_PASSWORD). The quickstart keeps running the
# controller in-process (pid in ZC_PID) until SIGTERM, when it exits 0 and
# leaves HOME as it is; from then on `ziti controller run HOME/ctrl.yaml`
# (zc_start) runs the same controller. Returns once the admin can log in,
# with zc_use set to it.
zc_quickstart() {
  local home=$1 port=$2 log=${3:-$ZC_TMP/quickstart.log} start=$SECONDS config=$1/ctrl.yaml ha=()
  if [[ -n ${ZC_HA_ID:-} ]]; then
    ha=(ha --trust-domain zb.test --instance-id "$ZC_HA_ID")
    config=$home/$ZC_HA_ID/ctrl.yaml
  fi
  ZITI_CTRL_BIND_ADDRESS=127.0.0.1 ZITI_CTRL_EDGE_BIND_ADDRESS=127.0.0.1 HOME=$ZC_TMP/cli-home \
    TMPDIR=$ZC_ZITI_TMP "$ZITI" edge quickstart "${ha[@]}" --home "$home" --no-router --ctrl-address 127.0.0.1 \
    --ctrl-port "$port" -p "$ZC_PASSWORD" >"$log" 2>&1 &
  ZC_PID=$!
  ZC_PIDS+=("$ZC_PID")
  zc_use "127.0.0.1:$port" "$home/pki/root-ca/certs/root-ca.cert"
  zc_wait_ready 180 "$ZC_PID" "$log"
  # (The API may answer before the admin exists: wait until it can log in.)
  until (zc_authenticate) >/dev/null 2>&1; do
    kill -0 "$ZC_PID" 2>/dev/null || { zc_dump_log "$log"; fail "ziti edge quickstart exited early"; }
    ((SECONDS - start <= 180)) || { zc_dump_log "$log"; fail "the quickstart's admin cannot log in after 180 s"; }
    sleep 0.5
  done
  [[ -f $config ]] || fail "quickstart left no $config"
}

# zc_check_integrity: the controller's own check of its DB's references and
# constraints (`ziti edge db start-check-integrity`), polled until it ends
# (bounded: 180 s); fails unless it found nothing.
zc_check_integrity() {
  local out started start=$SECONDS
  started=$(date -u +%Y-%m-%dT%H:%M:%S)
  out=$(zc_ziti edge db start-check-integrity 2>&1) || fail "start-check-integrity: $out"
  [[ $out == "check integrity operation started" ]] || fail "start-check-integrity said: $out"
  while :; do
    out=$(zc_ziti edge db check-integrity-status 2>&1) || fail "check-integrity-status: $out"
    # A result of this run: not in progress, started no earlier than we asked.
    if grep -qx 'In Progress: false' <<<"$out" &&
      [[ ! $(sed -n 's/^Started At: //p' <<<"$out") < $started ]]; then
      break
    fi
    ((SECONDS - start <= 180)) || fail "the integrity check did not finish within 180 s: $out"
    sleep 0.5
  done
  grep -qx 'Operation Error: <nil>' <<<"$out" &&
    grep -qx 'Too Many Errors: false (if true, additional errors can be found in controller log)' <<<"$out" &&
    grep -qx 'no data integrity errors found' <<<"$out" ||
    fail "the controller's integrity check is not clean: $out"
}
