#!/usr/bin/env bash
# One backup run, as cron (`ziti-backup daemon --crontab`, in the
# container) and the systemd timer (ziti-controller-backup.service) call it.
# Configuration comes from the environment (ZITI_CTRL_BACKUP_*, see the
# README; systemd reads it from backup.env); arguments are passed on to
# `ziti-backup backup`. The exit code is backup's: 0 ok, 1 failed,
# 2 configuration, 4 busy, 5 partial.
set -o errexit -o nounset -o pipefail

bin=${ZITI_CTRL_BACKUP_BIN:-}
if [[ -z $bin ]]; then
  bin=$(command -v ziti-backup || true)
  [[ -n $bin ]] || bin=/usr/local/bin/ziti-backup
fi
if [[ ! -x $bin ]]; then
  echo "backup.bash: ziti-backup not found (set ZITI_CTRL_BACKUP_BIN or put it on PATH)" >&2
  exit 2
fi
exec "$bin" backup "$@"
