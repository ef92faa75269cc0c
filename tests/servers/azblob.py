#!/usr/bin/env python3
"""azblob.py METHOD URL [--data-file F] [--header NAME:VALUE]... [--cafile PEM]

One Azure Blob request signed with SharedKey (stdlib only), for the scripts
and smoke tests that check Azurite with a client that is not ours. The
account and key come from AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY in the
environment, never from argv. The body goes to stdout and "status: N" to
stderr; the exit code is 0 for 2xx, else 22 (as curl -f), 2 if unreachable.
"""
import argparse, base64, datetime, hashlib, hmac, os, ssl, sys, urllib.error, urllib.parse, urllib.request

p = argparse.ArgumentParser()
p.add_argument("method")
p.add_argument("url")
p.add_argument("--data-file")
p.add_argument("--header", action="append", default=[])
p.add_argument("--cafile")
a = p.parse_args()
account, key = os.environ["AZURE_STORAGE_ACCOUNT"], os.environ["AZURE_STORAGE_KEY"]
body = open(a.data_file, "rb").read() if a.data_file else None
now = datetime.datetime.now(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
h = {"x-ms-date": now, "x-ms-version": "2021-12-02"}
for kv in a.header:
    name, _, value = kv.partition(":")
    h[name.strip().lower()] = value.strip()
if body is not None or a.method in ("PUT", "POST"):
    h["content-length"] = str(len(body or b""))
    # urllib adds a form Content-Type to any request with a body; sign ours.
    h.setdefault("content-type", "application/octet-stream")
u = urllib.parse.urlsplit(a.url)
# Canonicalized resource: /account + the URI path (which, path-style as on
# the emulator, starts with the account again), then the query sorted.
resource = "/" + account + (u.path or "/")
query = urllib.parse.parse_qs(u.query, keep_blank_values=True)
for name in sorted(query, key=str.lower):
    resource += "\n%s:%s" % (name.lower(), ",".join(sorted(query[name])))
std = ["content-encoding", "content-language", "content-length", "content-md5", "content-type",
       "date", "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"]
fields = [h.get(n, "") for n in std]
fields[2] = "" if fields[2] == "0" else fields[2]  # a zero length is signed as empty
xms = "".join("%s:%s\n" % (n, h[n]) for n in sorted(h) if n.startswith("x-ms-"))
to_sign = "\n".join([a.method] + fields) + "\n" + xms + resource
sig = base64.b64encode(hmac.new(base64.b64decode(key), to_sign.encode(), hashlib.sha256).digest())
h["authorization"] = "SharedKey %s:%s" % (account, sig.decode())
req = urllib.request.Request(a.url, data=body if body is not None else (b"" if "content-length" in h else None),
                             method=a.method, headers=h)
ctx = ssl.create_default_context(cafile=a.cafile) if u.scheme == "https" else None
try:
    with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
        status, out = r.status, r.read()
except urllib.error.HTTPError as e:
    status, out = e.code, e.read()
except (urllib.error.URLError, OSError) as e:
    print("error: %s" % getattr(e, "reason", e), file=sys.stderr)
    sys.exit(2)
sys.stdout.buffer.write(out)
print("status: %d" % status, file=sys.stderr)
sys.exit(0 if 200 <= status < 300 else 22)
