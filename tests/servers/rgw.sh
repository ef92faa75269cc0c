#!/usr/bin/env bash
# rgw.sh start DIR | stop DIR
#
# A throwaway single-node Ceph with the RADOS Gateway (S3) for the tests:
# one mon, one osd on memstore (object data in RAM, capped at 1 GiB, or
# RGW_MEMSTORE_BYTES) and
# radosgw with the beast frontend on 127.0.0.1, plain and TLS. Everything
# (config, keyrings, data, logs, admin sockets, pids) lives under DIR; ports
# are picked free at start, so two can run side by side. No ceph-mgr: RGW
# does not need it (ceph -s then says HEALTH_WARN, which is fine).
#
# `start` returns once the osd is up, radosgw answers on both endpoints,
# both users exist and a bucket can be created. It writes DIR/env (mode
# 0600), KEY=VALUE lines:
#   S3_ENDPOINT, S3_TLS_ENDPOINT, S3_CA_BUNDLE, S3_REGION,
#   S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (user "test"),
#   S3_OTHER_ACCESS_KEY_ID, S3_OTHER_SECRET_ACCESS_KEY (user "other"),
#   S3_VHOST_DOMAIN (virtual-host style: http://BUCKET.localhost:PORT),
#   RGW_PIDS (comma-separated). Values are not quoted.
# The key pairs are random per start and written nowhere else.
# `stop` SIGKILLs every process and waits until they are gone; the data is
# throwaway. Needs Debian's ceph-mon, ceph-osd and radosgw, curl, openssl
# and python3 (scripts/install-deps.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/servers/lib.sh
source "$here/lib.sh"

usage() { die "usage: $0 start|stop DIR"; }
(($# == 2)) || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
marker=$dir/.zb-rgw

stop() {
  [[ -e $marker ]] || return 0
  kill_pids "$dir" "$dir"/run/*.pid
}

case $cmd in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *) usage ;;
esac

# Refuse to wipe a directory that is not one of ours.
if [[ -n $(ls -A "$dir") && ! -e $marker ]]; then
  die "$dir is not empty and was not made by $0; refusing to wipe it"
fi
stop
rm -rf "${dir:?}"/* "$dir"/.zb-rgw
chmod 700 "$dir"
touch "$marker"
mkdir -p "$dir"/{run,log,mon,osd/0,rgw/rgw.gw,crash,tls}

started=$(date +%s.%N)
# Leave nothing running if start fails part way.
trap stop EXIT
conf=$dir/ceph.conf
ceph_() { ceph -c "$conf" --connect-timeout 30 "$@"; }

mapfile -t ports < <(free_ports 3)
mon_port=${ports[0]} rgw_port=${ports[1]} rgw_tls_port=${ports[2]}
fsid=$(</proc/sys/kernel/random/uuid)
make_tls "$dir/tls"

cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv6 = false
ms bind msgr1 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $dir/keyring
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
mon cluster log file = $dir/log/cluster.log
crash dir = $dir/crash
mon data = $dir/mon/\$id
osd data = $dir/osd/\$id
rgw data = $dir/rgw/\$id
# One node: one replica, one placement group per pool.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 1
osd pool default pgp num = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
# A nearly full disk must not stop a test mon.
mon data avail warn = 2
mon data avail crit = 1
# Without these every pool creation waits about a second (ready in ~14 s, not ~3 s).
paxos propose interval = 0.05
paxos min wait = 0.01
osd objectstore = memstore
memstore device bytes = ${RGW_MEMSTORE_BYTES:-1073741824}

[client.rgw.gw]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port ssl_endpoint=127.0.0.1:$rgw_tls_port ssl_certificate=$dir/tls/server.pem ssl_private_key=$dir/tls/server.key
rgw dns name = localhost
EOF

# One keyring holds every entity; ceph-mon --mkfs imports them all.
kr=$dir/keyring
authtool() { ceph-authtool "$kr" "$@" >/dev/null; }
authtool --create-keyring --gen-key -n mon. --cap mon 'allow *'
authtool --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *'
authtool --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *'
authtool --gen-key -n client.rgw.gw --cap mon 'allow rw' --cap osd 'allow rwx'
chmod 600 "$kr"

# Each daemon runs in the foreground (-f) in the background of this script,
# so the pid file ceph writes is the server's own pid; $! is recorded too
# in case a daemon dies before writing it.
monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
ceph-mon -c "$conf" -i a --mkfs --monmap "$dir/monmap" --keyring "$kr"
ceph-mon -c "$conf" -i a -f >>"$dir/log/mon.a.out" 2>&1 &
echo $! >"$dir/run/mon.a.pid"
watch+=("$dir/run/mon.a.pid")

osd_uuid=$(</proc/sys/kernel/random/uuid)
id=$(ceph_ osd new "$osd_uuid")
[[ $id == 0 ]] || die "ceph osd new gave id '$id', expected 0"
ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$dir/log/osd.0.out" 2>&1 ||
  die "ceph-osd --mkfs failed: $(tail -n 5 "$dir/log/osd.0.out")"
ceph-osd -c "$conf" -i 0 -f >>"$dir/log/osd.0.out" 2>&1 &
echo $! >"$dir/run/osd.0.pid"
watch+=("$dir/run/osd.0.pid")
osd_up() { ceph_ osd stat | grep -q ' 1 up'; }
wait_for 120 "osd.0 up (see $dir/log/osd.0.log)" osd_up

radosgw -c "$conf" -n client.rgw.gw -f >>"$dir/log/client.rgw.gw.out" 2>&1 &
echo $! >"$dir/run/client.rgw.gw.pid"
watch+=("$dir/run/client.rgw.gw.pid")
wait_for 120 "radosgw on 127.0.0.1:$rgw_port (see $dir/log/client.rgw.gw.log)" \
  curl -sf "http://127.0.0.1:$rgw_port/"
wait_for 120 "radosgw TLS on 127.0.0.1:$rgw_tls_port" \
  curl -sf --cacert "$dir/tls/ca.pem" "https://127.0.0.1:$rgw_tls_port/"

# Random key pairs, like AWS's: a 20-character upper-case id and a
# 40-character base64 secret (with + and /, which signers must handle).
access_key() { echo "ZB$(openssl rand -hex 9 | tr a-f A-F)"; }
secret_key() { openssl rand -base64 30; }
ak=$(access_key) sk=$(secret_key) other_ak=$(access_key) other_sk=$(secret_key)
radosgw-admin -c "$conf" user create --uid=test --display-name=test \
  --access-key="$ak" --secret-key="$sk" >/dev/null
radosgw-admin -c "$conf" user create --uid=other --display-name=other \
  --access-key="$other_ak" --secret-key="$other_sk" >/dev/null

umask 077
pids=$(cat "$dir"/run/*.pid | paste -sd,)
cat >"$dir/env.tmp" <<EOF
S3_ENDPOINT=http://127.0.0.1:$rgw_port
S3_TLS_ENDPOINT=https://127.0.0.1:$rgw_tls_port
S3_CA_BUNDLE=$dir/tls/ca.pem
S3_REGION=default
S3_VHOST_DOMAIN=localhost:$rgw_port
S3_ACCESS_KEY_ID=$ak
S3_SECRET_ACCESS_KEY=$sk
S3_OTHER_ACCESS_KEY_ID=$other_ak
S3_OTHER_SECRET_ACCESS_KEY=$other_sk
RGW_PIDS=$pids
EOF

# Ready when the test user can create a bucket (RGW makes its data pools on
# the first one). The secret goes to curl in a config file, not argv.
# RGW wants x-amz-content-sha256, which curl 7.88 does not add by itself
# (it signs the value given).
printf 'user = "%s:%s"\n' "$ak" "$sk" >"$dir/curl.conf"
s3() {
  curl -sSf -K "$dir/curl.conf" --aws-sigv4 "aws:amz:default:s3" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@" >/dev/null
}
probe=zb-ready-$RANDOM
s3 -X PUT "http://127.0.0.1:$rgw_port/$probe" || die "creating a bucket failed"
s3 -X DELETE "http://127.0.0.1:$rgw_port/$probe" || die "deleting a bucket failed"
rm -f "$dir/curl.conf"

mv "$dir/env.tmp" "$dir/env"
trap - EXIT
echo "rgw: ready in $(elapsed "$started") s: http://127.0.0.1:$rgw_port https://127.0.0.1:$rgw_tls_port ($dir/env)"
