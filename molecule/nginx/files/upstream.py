"""A stand-in for the app behind nginx in the nginx scenario.

Answers every request with the headers nginx forwards (Host, X-Forwarded-Proto,
X-Forwarded-For, X-Real-IP) and the path, one "name: value" line each, and sends
an HSTS header of its own (nginx must drop it where it sets its own). Listens on
127.0.0.1:8000 and on the unix socket /run/demo-upstream/http.sock; each request
is logged to stderr (the journal of demo-upstream.service).
"""

import os
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOCKET = "/run/demo-upstream/http.sock"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, send_body):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        lines = [f"{name}: {self.headers.get(name, '')}"
                 for name in ("Host", "X-Forwarded-Proto", "X-Forwarded-For", "X-Real-IP")]
        lines.append(f"path: {self.path}")
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Strict-Transport-Security", "max-age=1")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self):
        self.answer(True)

    def do_POST(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)

    def address_string(self):
        return self.client_address[0] if self.client_address else "unix"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


class UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    if os.path.exists(SOCKET):
        os.unlink(SOCKET)
    unix = UnixHTTPServer(SOCKET, Handler)
    os.chmod(SOCKET, 0o666)
    threading.Thread(target=unix.serve_forever, daemon=True).start()
    ThreadingHTTPServer(("127.0.0.1", 8000), Handler).serve_forever()


if __name__ == "__main__":
    main()
