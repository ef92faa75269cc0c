# Shared by the server scripts in tests/servers/ (sourced, not run).

# Debian's python3 when there is one: it starts faster than a version
# manager's shim, which matters on a loaded machine.
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# Prints N distinct TCP ports on 127.0.0.1 that nothing listens on now, one
# per line. They are drawn at random from 20000-32767: below the kernel's
# ephemeral range (32768-60999 by default), so no outgoing connection of
# another test holds one, and random so that two servers started side by
# side do not pick the same ones. Each is checked by binding it.
free_ports() {
  "$PYTHON" - "$1" <<'PY'
import random, socket, sys
n, got = int(sys.argv[1]), []
lo = 20000
hi = min(32767, int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0]) - 1)
while len(got) < n:
    p = random.randint(lo, hi)
    if p in got:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    got.append(p)
print("\n".join(map(str, got)))
PY
}

# wait_for SECONDS DESCRIPTION COMMAND...: runs COMMAND every 0.1 s until it
# succeeds; fails with DESCRIPTION after SECONDS, or at once if a process
# whose pid file is in the array `watch` has exited. The bound is generous:
# it only catches a server that never comes up, on however slow a machine.
watch=()
wait_for() {
  local limit=$1 what=$2 deadline f
  shift 2
  deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    for f in "${watch[@]}"; do
      kill -0 "$(<"$f")" 2>/dev/null || die "$what: the process of $f exited"
    done
    ((SECONDS < deadline)) || die "$what: not ready after ${limit} s"
    sleep 0.1
  done
}

# Seconds since a `date +%s.%N` time, to a tenth.
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

# kill_pids DIR PIDFILE...: SIGKILLs every process listed in the pid files
# that is still one of ours, one whose command line or working directory
# names DIR (a stale pid file must not kill whatever reused the pid), and
# waits until they are gone. Throwaway servers: nothing to flush.
kill_pids() {
  local dir=$1 f pid
  shift
  local -a pids=()
  for f in "$@"; do
    [[ -f $f ]] || continue
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] || continue
    if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$dir" ||
      [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$dir"/* ]]; then
      pids+=("$pid")
    fi
  done
  ((${#pids[@]})) || return 0
  kill -KILL "${pids[@]}" 2>/dev/null || true
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  done
}

# Writes a throwaway CA and a server certificate for 127.0.0.1 and localhost
# into DIR: ca.pem (what clients trust), server.pem, server.key.
make_tls() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 \
    -subj "/CN=ziti-backup test CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 7 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  chmod 600 "$dir/ca.key" "$dir/server.key"
}
