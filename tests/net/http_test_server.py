#!/usr/bin/env python3
"""The HTTP/1.1 server src/net/http_client_test.cc talks to, plain or TLS.

Prints "listening PORT" once it accepts connections, then one line per
connection event ("open N", "closed N"), flushed, so the test can wait for
them. Connections are numbered from 1 in the order they were accepted.

Paths (the query string carries the parameters):
  /echo              reads the body and answers, one "key value" a line:
                     method, target, connection, body_bytes, pattern (ok or
                     the first bad offset: the body must be byte i = i % 251),
                     then "header Name: value" for each request header
  /bytes?n=N         N bytes of the i % 251 pattern (&chunked=1: chunked,
                     else Content-Length)
  /status?code=C&n=N status C with an N-byte error body of 'e'
  /sleep?s=S         waits S seconds before answering
  /bye               answers like /echo, then closes the connection without
                     having said so (a server's idle timeout)
  /drop              reads the request header and closes without answering
  /bigheader?n=N     a 200 with a header of N bytes
"""

import argparse
import http.server
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

# One period-aligned block of the pattern, sent and compared in slices.
BLOCK = bytes(i % 251 for i in range(251 * 256))
DOUBLE = BLOCK + BLOCK
LOCK = threading.Lock()


def say(line):
    with LOCK:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless a side says otherwise

    def setup(self):
        super().setup()
        with LOCK:
            self.server.connections += 1
            self.conn_id = self.server.connections
        say(f"open {self.conn_id}")

    def finish(self):
        try:
            super().finish()
        finally:
            say(f"closed {self.conn_id}")

    def log_message(self, *args):
        pass

    def query(self):
        parsed = urllib.parse.urlsplit(self.path)
        return parsed.path, dict(urllib.parse.parse_qsl(parsed.query))

    def read_body(self):
        """Reads the body in chunks, checking the pattern without keeping it."""
        left = int(self.headers.get("Content-Length", "0"))
        total, bad = 0, None
        while left > 0:
            chunk = self.rfile.read(min(left, len(BLOCK)))
            if not chunk:
                break
            p = total % 251
            if bad is None and chunk != DOUBLE[p : p + len(chunk)]:
                bad = total + next(i for i, b in enumerate(chunk) if b != (total + i) % 251)
            total += len(chunk)
            left -= len(chunk)
        return total, "ok" if bad is None else str(bad)

    def reply(self, code, body, extra_headers=()):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def echo(self):
        total, pattern = self.read_body()
        lines = [
            f"method {self.command}",
            f"target {self.path}",
            f"connection {self.conn_id}",
            f"body_bytes {total}",
            f"pattern {pattern}",
        ]
        lines += [f"header {k}: {v}" for k, v in self.headers.items()]
        self.reply(200, ("\n".join(lines) + "\n").encode())

    def handle_any(self):
        path, q = self.query()
        if path == "/echo":
            self.echo()
        elif path == "/bye":
            self.echo()
            self.close_connection = True
        elif path == "/drop":
            self.close_connection = True
        elif path == "/sleep":
            time.sleep(float(q.get("s", "3600")))
            self.echo()
        elif path == "/status":
            self.read_body()
            self.reply(int(q["code"]), b"e" * int(q.get("n", "0")))
        elif path == "/bigheader":
            self.reply(200, b"", [("X-Big", "b" * int(q["n"]))])
        elif path == "/bytes":
            self.send_bytes(int(q["n"]), q.get("chunked") == "1")
        else:
            self.reply(404, b"no such path")

    def send_bytes(self, n, chunked):
        self.send_response(200)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(n))
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        while sent < n:
            piece = BLOCK[: min(len(BLOCK), n - sent)]
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            sent += len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    connections = 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", help="PEM certificate chain: serve TLS")
    ap.add_argument("--key", help="PEM private key of --cert")
    args = ap.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    say(f"listening {server.server_address[1]}")
    server.serve_forever()


if __name__ == "__main__":
    main()
