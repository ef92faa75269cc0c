#!/usr/bin/env bash
# The controller image's entrypoint, for the tests: on `run CONFIG` with
# ZITI_BOOTSTRAP=true it makes what is missing, each step only when its
# ZITI_BOOTSTRAP_* toggle is true, then execs `ziti controller run CONFIG`:
#   PKI     (only while there is no config): root CA, intermediate (the edge
#           signer), one key, a server and a client certificate under
#           $ZITI_PKI_ROOT
#   config  `ziti create config controller` from the ZITI_* variables
#           (ZITI_CTRL_ADVERTISED_ADDRESS is required)
#   DB      only when the config's `db:` file is missing or empty:
#           `ziti controller edge init` with the admin ZITI_USER/ZITI_PWD
# Like the real one, a lost DB is therefore replaced by an empty network
# on the next start when ZITI_PWD is set: restore before starting.
set -o errexit -o nounset -o pipefail

# No arguments, or `run` alone, mean `run config.yml`.
if (($# == 0)) || [[ $1 == run && -z ${2:-} ]]; then
  set -- run config.yml
fi
cd "${ZITI_HOME:=$PWD}"

say() { echo "entrypoint: $*" >&2; }

make_pki() {
  local root=$ZITI_PKI_ROOT ca=$ZITI_CA_FILE int=$ZITI_INTERMEDIATE_FILE
  [[ -s $root/$ca/certs/$ca.cert ]] ||
    ziti pki create ca --pki-root "$root" --ca-file "$ca"
  [[ -s $root/$int/certs/$int.cert ]] ||
    ziti pki create intermediate --pki-root "$root" --ca-name "$ca" --intermediate-file "$int"
  [[ -s $root/$int/keys/$ZITI_SERVER_FILE.key ]] ||
    ziti pki create key --pki-root "$root" --ca-name "$int" --key-file "$ZITI_SERVER_FILE"
  # One key for both certificates, as the real image does.
  ziti pki create server --pki-root "$root" --ca-name "$int" --key-file "$ZITI_SERVER_FILE" \
    --server-file "$ZITI_SERVER_FILE" --dns "localhost,$ZITI_CTRL_ADVERTISED_ADDRESS" \
    --ip "127.0.0.1,::1" --allow-overwrite >/dev/null
  ziti pki create client --pki-root "$root" --ca-name "$int" --key-file "$ZITI_SERVER_FILE" \
    --client-file "$ZITI_CLIENT_FILE" --allow-overwrite >/dev/null
}

make_config() {
  local root=$ZITI_PKI_ROOT int=$ZITI_INTERMEDIATE_FILE
  # `ziti create config controller` reads all of these from the environment.
  export ZITI_PKI_CTRL_SERVER_CERT=$root/$int/certs/$ZITI_SERVER_FILE.chain.pem \
    ZITI_PKI_CTRL_CERT=$root/$int/certs/$ZITI_CLIENT_FILE.chain.pem \
    ZITI_PKI_CTRL_KEY=$root/$int/keys/$ZITI_SERVER_FILE.key \
    ZITI_PKI_CTRL_CA=$root/$ZITI_CA_FILE/certs/$ZITI_CA_FILE.cert \
    ZITI_PKI_SIGNER_CERT=$root/$int/certs/$int.cert \
    ZITI_PKI_SIGNER_KEY=$root/$int/keys/$int.key \
    ZITI_CTRL_EDGE_ADVERTISED_ADDRESS=$ZITI_CTRL_ADVERTISED_ADDRESS \
    ZITI_CTRL_EDGE_ADVERTISED_PORT=$ZITI_CTRL_ADVERTISED_PORT \
    ZITI_CTRL_BIND_ADDRESS=${ZITI_CTRL_BIND_ADDRESS:-0.0.0.0}
  export ZITI_PKI_EDGE_SERVER_CERT=$ZITI_PKI_CTRL_SERVER_CERT ZITI_PKI_EDGE_CERT=$ZITI_PKI_CTRL_CERT \
    ZITI_PKI_EDGE_KEY=$ZITI_PKI_CTRL_KEY ZITI_PKI_EDGE_CA=$ZITI_PKI_CTRL_CA
  ziti create config controller --output "$1"
}

# The `db:` value of a config, quotes removed.
db_file() { sed -n 's/^db: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$1"; }

make_db() {
  local db
  db=$(db_file "$1")
  [[ -n $db ]] || { say "no db: in $1"; return 1; }
  if [[ -s $db ]]; then
    say "database exists: $db"
    return 0
  fi
  [[ -n ${ZITI_USER:-} && -n ${ZITI_PWD:-} ]] ||
    { say "ZITI_USER and ZITI_PWD are needed to create $db"; return 1; }
  say "creating the database $db with the admin $ZITI_USER"
  if ! ziti controller edge init "$1" --username "$ZITI_USER" --password "$ZITI_PWD" >/dev/null; then
    rm -f "$db" # a half-made DB would stop the next try
    say "creating the database failed"
    return 1
  fi
}

if [[ ${ZITI_BOOTSTRAP:-} == true && $1 == run ]]; then
  config=$2
  if [[ ! -s $config ]]; then
    [[ -n ${ZITI_CTRL_ADVERTISED_ADDRESS:-} ]] ||
      { say "ZITI_CTRL_ADVERTISED_ADDRESS must be set to bootstrap"; exit 1; }
    [[ ${ZITI_BOOTSTRAP_PKI:-} != true ]] || make_pki
    [[ ${ZITI_BOOTSTRAP_CONFIG:-} != true ]] || make_config "$config"
  else
    say "config exists: $config"
  fi
  [[ ${ZITI_BOOTSTRAP_DATABASE:-} != true ]] || make_db "$config"
fi
exec ziti controller "$@"
