#!/usr/bin/env bash
# The idle daemon: `ziti-backup daemon --schedule @hourly` and
# Debian's cron (`cron -f`, what a shell-script setup would run) started
# side by side and left alone for the same window. Samples each process's
# resident memory every 10 s (/proc/PID/status) and reads its CPU time
# (user + system, /proc/PID/stat) at the end; prints both with ratios and
# appends the table to docs/benchmarks.md. A fresh snapshot is taken first,
# so the daemon has no catch-up backup to run: what is measured is idling.
# Target: < 10 MiB RSS and < 0.1 s CPU over 10 minutes.
#   bench/daemon_idle.sh [SECONDS [BINARY]]   default 600, the static release
#                                             binary if built, else build/'s
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-600}
[[ -x build/src/cli/ziti-backup && -x build/bin/boltgen ]] || scripts/build.sh
command -v cron >/dev/null || { apt-get update -qq && apt-get install -y -qq cron >/dev/null; }
zb=${2:-build-release/src/cli/ziti-backup}
[[ -x $zb ]] || zb=build/src/cli/ziti-backup
zb=$(realpath "$zb")
work=$(mktemp -d /tmp/ziti-backup-idle.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

build/bin/boltgen gen --out "$work/ctrl-ha.db" --size 4MiB >/dev/null
"$zb" backup --db "$work/ctrl-ha.db" --target "file://$work/backups" >/dev/null 2>&1

"$zb" daemon --schedule @hourly --db "$work/ctrl-ha.db" --target "file://$work/backups" \
  --stay-after-parent 2>"$work/daemon.log" &
pids+=($!)
# Vixie cron with the system's crontabs, as a crontab-based setup would run.
cron -f -L 0 2>/dev/null &
pids+=($!)
kind=dynamic
[[ $zb == */build-release/* ]] && kind="static release"
names=("ziti-backup daemon @hourly ($kind build)" "cron -f (Debian's Vixie cron)")

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
# utime + stime in clock ticks: fields 14 and 15 after the command name.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

sleep 1
declare -A start_ticks max_rss
for p in "${pids[@]}"; do start_ticks[$p]=$(cpu_ticks "$p"); max_rss[$p]=0; done
echo "idling for ${window}s ..."
for ((t = 0; t < window; t += 10)); do
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "bench: process $p exited" >&2; cat "$work/daemon.log" >&2; exit 1; }
    r=$(rss_kib "$p"); ((r > max_rss[$p])) && max_rss[$p]=$r
  done
  sleep 10
done
hz=$(getconf CLK_TCK)
runs=$(grep -c ' backup.start ' "$work/daemon.log" || true)

table=$(mktemp)
{
  echo "| process, ${window} s idle | RSS max MiB | peak RSS (VmHWM) MiB | CPU s in the window |"
  echo "|---|---|---|---|"
} | tee -a "$table"
cpus=() rsss=()
for i in "${!pids[@]}"; do
  p=${pids[$i]}
  cpus+=("$(awk -v a="${start_ticks[$p]}" -v b="$(cpu_ticks "$p")" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')")
  rsss+=("${max_rss[$p]}")
  printf '| %s | %.1f | %.1f | %s |\n' "${names[$i]}" \
    "$(awk -v k="${max_rss[$p]}" 'BEGIN{print k/1024}')" \
    "$(awk -v k="$(hwm_kib "$p")" 'BEGIN{print k/1024}')" "${cpus[$i]}" | tee -a "$table"
done
awk -v a="${rsss[0]}" -v b="${rsss[1]}" 'BEGIN { printf "RSS ratio ziti-backup / cron: %.2f\n", a / b }' | tee -a "$table"
echo "backups the daemon ran in the window: $runs (CPU time has a 1/${hz} s resolution)" | tee -a "$table"

{
  echo
  echo "## Idle daemon"
  echo
  echo "Produced by \`bench/daemon_idle.sh $window\` on $(date -u +%Y-%m-%d), $(nproc) cores: both"
  echo "started together and left alone; RSS sampled every 10 s. Target: < 10 MiB, < 0.1 s CPU."
  echo
  cat "$table"
} >>docs/benchmarks.md
rm -f "$table"
echo "appended to docs/benchmarks.md"
