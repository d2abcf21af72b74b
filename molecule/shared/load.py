"""Steady HTTPS requests from the controller to one site of a test host, for scenario tests.

A scenario test starts a `Load` against a site a test host's web server serves,
runs a playbook (a redeploy, a restart, a reload), stops the load and checks
that no request failed: `failures(results)` must be empty, and `summary(results)`
gives one line for the assertion message. Requests go from the controller only
to the address and port given, one at a time; nothing else is contacted.

Scenario tests import it as `import load`: the verifier's PYTHONPATH holds this
directory (.config/molecule/config.yml). Standard library only.
"""

import re
import socket
import ssl
import threading
import time
from collections import Counter, namedtuple

Result = namedtuple("Result", "status heading error elapsed")

USER_AGENT = "djangostack-load"
STATUS_LINE = re.compile(r"HTTP/\d(?:\.\d)? (\d{3})")
HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
MAX_RESPONSE = 16 * 1024 * 1024


def _context():
    """TLS without verification: test hosts have self-signed certificates."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _error(exc):
    if isinstance(exc, TimeoutError):
        return "timeout"
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _receive(tls, deadline):
    """Everything the server sends until it closes the connection."""
    chunks = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("response not complete in time")
        chunk = tls.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_RESPONSE:
            raise ValueError(f"response larger than {MAX_RESPONSE} bytes")


def _parse(raw):
    """(status, heading) of a whole response, or raise ValueError."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise ValueError(f"incomplete response ({len(raw)} bytes)")
    status_line = head.split(b"\r\n", 1)[0].decode("iso-8859-1")
    match = STATUS_LINE.match(status_line)
    if not match:
        raise ValueError(f"bad status line {status_line[:80]!r}")
    heading = HEADING.search(body.decode("utf-8", errors="replace"))
    return int(match.group(1)), heading.group(1).strip() if heading else None


def request(address, name, path="/", port=443, timeout=10.0):
    """One HTTPS GET to address:port with SNI and Host = name, certificate not verified
    (test hosts have self-signed certificates), HTTP/1.1 with Connection: close,
    User-Agent djangostack-load; reads the whole response (until the server closes);
    returns a Result. Never raises for network errors (they become Result(None, None, error, elapsed)).

    `timeout` bounds each socket operation and the whole request.
    """
    start = time.monotonic()
    message = (f"GET {path} HTTP/1.1\r\nHost: {name}\r\nUser-Agent: {USER_AGENT}\r\n"
               "Accept: */*\r\nConnection: close\r\n\r\n").encode("ascii")
    try:
        with socket.create_connection((address, port), timeout=timeout) as sock:
            with _context().wrap_socket(sock, server_hostname=name) as tls:
                tls.sendall(message)
                raw = _receive(tls, start + timeout)
        status, heading = _parse(raw)
    except (OSError, ValueError) as exc:
        return Result(None, None, _error(exc), time.monotonic() - start)
    return Result(status, heading, None, time.monotonic() - start)


class Load:
    """Requests in a background thread until stop(): one every `interval` seconds,
    at most `limit` requests and `max_seconds` seconds (bounded even if stop() is never called).

    The interval is the pause between the end of one request and the start of the
    next; requests never overlap.
    """

    def __init__(self, address, name, path="/", port=443, interval=0.2, timeout=10.0, limit=5000, max_seconds=900.0):
        self.address = address
        self.name = name
        self.path = path
        self.port = port
        self.interval = interval
        self.timeout = timeout
        self.limit = limit
        self.max_seconds = max_seconds
        self._results = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = None

    def start(self):
        """Start the background thread; returns self."""
        if self._thread is not None:
            raise RuntimeError("Load already started")
        self._thread = threading.Thread(target=self._run, name=f"load {self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, wait=True):
        """Stop, wait for the request in progress (unless wait is false: its result is then
        left out), and return every Result in order."""
        self._stopping.set()
        if self._thread is not None and wait:
            self._thread.join()
        return self.results

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def results(self):
        """The Results so far (a copy)."""
        with self._lock:
            return list(self._results)

    @property
    def running(self):
        """Whether the background thread is still sending requests."""
        return self._thread is not None and self._thread.is_alive()

    def _run(self):
        deadline = time.monotonic() + self.max_seconds
        count = 0
        while count < self.limit and not self._stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            result = request(self.address, self.name, self.path, self.port, min(self.timeout, remaining))
            with self._lock:
                self._results.append(result)
            count += 1
            if count >= self.limit:
                break
            if self._stopping.wait(max(0.0, min(self.interval, deadline - time.monotonic()))):
                break


def latency(results):
    """(p50, p99, max) of the results' elapsed seconds, 0.0 each when there are none."""
    times = sorted(result.elapsed for result in results)
    if not times:
        return 0.0, 0.0, 0.0

    def rank(fraction):
        return times[min(len(times) - 1, int(fraction * len(times)))]

    return rank(0.50), rank(0.99), times[-1]


def failures(results):
    """The results whose status is None or >= 400."""
    return [result for result in results if result.status is None or result.status >= 400]


def _counts(counter):
    return ", ".join(f"{key} x{count}" for key, count in counter.most_common())


def _outcome(result):
    if result.status is not None:
        return str(result.status)
    return f"error {(result.error or 'unknown').split(':', 1)[0]}"


def summary(results):
    """One line: e.g. '84 requests, all 200 (headings: djangostack example x84)' or
    '3 of 84 requests failed: 502 x2, error ConnectionRefusedError x1; headings: ...'.
    Count statuses and headings with collections.Counter, most common first."""
    total = len(results)
    noun = "request" if total == 1 else "requests"
    if not total:
        return "0 requests"
    headings = Counter(result.heading for result in results if result.heading is not None)
    headings_text = _counts(headings) if headings else "none"
    failed = failures(results)
    if failed:
        return f"{len(failed)} of {total} {noun} failed: {_counts(Counter(_outcome(result) for result in failed))}; headings: {headings_text}"
    statuses = Counter(result.status for result in results)
    if len(statuses) == 1:
        return f"{total} {noun}, all {results[0].status} (headings: {headings_text})"
    return f"{total} {noun}, none failed: {_counts(statuses)} (headings: {headings_text})"
