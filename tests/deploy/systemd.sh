#!/usr/bin/env bash
# The systemd units of deploy/systemd: `systemd-analyze verify` accepts the
# service and the timer (with ExecStart pointed at this checkout's
# backup.bash, as the package would install it), the timer's calendar
# expression means "every hour on the hour", and a damaged timer is refused
# (so the check is seen to bite).
set -euo pipefail
cd "$(dirname "$0")/../.."
units=deploy/systemd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sed "s#^ExecStart=.*#ExecStart=$PWD/deploy/backup.bash#" "$units/ziti-controller-backup.service" \
  > "$work/ziti-controller-backup.service"
cp "$units/ziti-controller-backup.timer" "$work/"
systemd-analyze verify "$work/ziti-controller-backup.service" "$work/ziti-controller-backup.timer"
echo "ok: systemd-analyze verify"

grep -qx 'Persistent=true' "$units/ziti-controller-backup.timer"
grep -qE '^RandomizedDelaySec=[0-9]+[a-z]*$' "$units/ziti-controller-backup.timer"
grep -qx 'Type=oneshot' "$units/ziti-controller-backup.service"
calendar=$(sed -n 's/^OnCalendar=//p' "$units/ziti-controller-backup.timer")
normalized=$(systemd-analyze calendar "$calendar" | sed -n 's/^ *Normalized form: //p')
if [[ $calendar != hourly || $normalized != '*-*-* *:00:00' ]]; then
  echo "FAIL: OnCalendar=$calendar normalizes to '$normalized', want hourly = '*-*-* *:00:00'" >&2
  exit 1
fi
echo "ok: OnCalendar=$calendar is $normalized"

sed 's/^OnCalendar=.*/OnCalendar=hourlyy/' "$units/ziti-controller-backup.timer" \
  > "$work/ziti-controller-backup.timer"
if systemd-analyze verify "$work/ziti-controller-backup.timer" 2>/dev/null; then
  echo "FAIL: a timer with a bad OnCalendar passed systemd-analyze verify" >&2
  exit 1
fi
echo "ok: a bad OnCalendar is refused"
