#!/usr/bin/env bash
# Writes a throwaway CA and the server certificates the HTTPS tests use into
# DIR: ca.pem (the CA), and for each server NAME a NAME.pem (certificate then
# CA: the chain a server sends) and NAME.key:
#   good     SAN 127.0.0.1 and localhost, valid now
#   other    SAN other.example only (a wrong host for 127.0.0.1)
#   expired  SAN 127.0.0.1 and localhost, valid only in 2020
# `openssl ca` because only it sets an arbitrary validity period in 3.0.
# Usage: make_certs.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
mkdir -p ca
: >ca/index.txt
echo 1000 >ca/serial
cat >ca.cnf <<'CNF'
[ca]
default_ca = test_ca
[test_ca]
dir = ca
database = ca/index.txt
serial = ca/serial
new_certs_dir = ca
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[v3_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
CNF

quiet() { "$@" >/dev/null 2>&1 || { "$@"; exit 1; }; }
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=ziti-backup test CA" -config ca.cnf -extensions v3_ca

server() {  # NAME SAN START END
  quiet openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/CN=$1" -addext "subjectAltName=$2"
  quiet openssl ca -batch -config ca.cnf -extensions server -in "$1.csr" -out "$1.crt" \
    -startdate "$3" -enddate "$4" -notext
  cat "$1.crt" ca.pem >"$1.pem"
}
now=$(date -u +%Y%m%d%H%M%SZ)
tomorrow=$(date -u -d '+1 day' +%Y%m%d%H%M%SZ)
server good "IP:127.0.0.1,DNS:localhost" "$now" "$tomorrow"
server other "DNS:other.example" "$now" "$tomorrow"
server expired "IP:127.0.0.1,DNS:localhost" 20200101000000Z 20200102000000Z
