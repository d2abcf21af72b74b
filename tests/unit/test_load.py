"""The load generator scenario tests use (molecule/shared/load.py), against a local TLS server."""

import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "molecule" / "shared"))
import load  # noqa: E402  pylint: disable=wrong-import-position

OK = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n"
      b"<html><body><h1 class=\"title\">\n  djangostack example \n</h1><p>caf\xc3\xa9</p></body></html>\n")
BAD_GATEWAY = (b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
               b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n")


class TLSServer:
    """Answers every connection on 127.0.0.1 with `response`, one connection at a time.

    Records the SNI name and the request of each connection.
    """

    def __init__(self, certfile, keyfile):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certfile, keyfile)
        self.context.sni_callback = self._sni
        self.response = OK
        self.server_names = []
        self.requests = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _sni(self, _sslobj, server_name, _context):
        self.server_names.append(server_name)

    def _serve(self):
        while not self._stopping.is_set():
            try:
                conn, _addr = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                self._answer(conn)
            except OSError:
                pass
            finally:
                conn.close()

    def _answer(self, conn):
        conn.settimeout(2)
        with self.context.wrap_socket(conn, server_side=True) as tls:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
            self.requests.append(data)
            tls.sendall(self.response)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._thread.join(5)
        self.listener.close()


@pytest.fixture(name="certificate", scope="module")
def fixture_certificate(tmp_path_factory):
    """A throwaway self-signed certificate and key."""
    directory = tmp_path_factory.mktemp("tls")
    keyfile, certfile = directory / "key.pem", directory / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=example.test", "-days", "1",
                    "-keyout", str(keyfile), "-out", str(certfile)], check=True, capture_output=True)
    return certfile, keyfile


@pytest.fixture(name="server")
def fixture_server(certificate):
    server = TLSServer(*certificate).start()
    yield server
    server.stop()


@pytest.fixture(name="closed_port")
def fixture_closed_port():
    """A loopback port nothing listens on."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    return port


def wait_for(condition, seconds=3.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_request_returns_status_and_heading(server):
    result = load.request("127.0.0.1", "site.example.test", port=server.port, timeout=2)
    assert result.status == 200, result
    assert result.heading == "djangostack example"
    assert result.error is None
    assert 0 <= result.elapsed < 2


def test_request_sends_sni_host_and_user_agent(server):
    load.request("127.0.0.1", "site.example.test", path="/health/?full=1", port=server.port, timeout=2)
    assert server.server_names == ["site.example.test"]
    lines = server.requests[0].decode("ascii").split("\r\n")
    assert lines[0] == "GET /health/?full=1 HTTP/1.1"
    assert "Host: site.example.test" in lines
    assert "User-Agent: djangostack-load" in lines
    assert "Connection: close" in lines


def test_body_without_heading_gives_none(server):
    server.response = b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
    result = load.request("127.0.0.1", "site.example.test", port=server.port, timeout=2)
    assert result == load.Result(204, None, None, result.elapsed)


def test_bad_gateway_is_a_failure(server):
    server.response = BAD_GATEWAY
    result = load.request("127.0.0.1", "site.example.test", port=server.port, timeout=2)
    assert (result.status, result.heading, result.error) == (502, "502 Bad Gateway", None)
    assert load.failures([result]) == [result]


def test_garbage_response_is_an_error_not_an_exception(server):
    server.response = b"SSH-2.0-OpenSSH_9.2\r\n"
    result = load.request("127.0.0.1", "site.example.test", port=server.port, timeout=2)
    assert result.status is None
    assert result.error.startswith("ValueError: ")


def test_refused_connection_is_an_error(closed_port):
    result = load.request("127.0.0.1", "site.example.test", port=closed_port, timeout=2)
    assert result.status is None and result.heading is None
    assert result.error.startswith("ConnectionRefusedError: ")
    assert load.failures([result]) == [result]


def test_silent_server_times_out():
    with socket.create_server(("127.0.0.1", 0)) as silent:
        result = load.request("127.0.0.1", "site.example.test", port=silent.getsockname()[1], timeout=0.2)
    assert (result.status, result.error) == (None, "timeout")
    assert result.elapsed < 1


def test_load_collects_results_until_stopped(server):
    run = load.Load("127.0.0.1", "site.example.test", port=server.port, interval=0.01, timeout=2).start()
    wait_for(lambda: len(run.results) >= 5)
    results = run.stop()
    assert not run.running
    assert len(results) >= 5
    assert all(result.status == 200 and result.heading == "djangostack example" for result in results)
    assert not load.failures(results)
    assert run.results == results
    assert len(server.requests) == len(results)


def test_load_as_context_manager_and_results_are_a_copy(server):
    with load.Load("127.0.0.1", "site.example.test", port=server.port, interval=0.01, timeout=2) as run:
        wait_for(lambda: len(run.results) >= 2)
        snapshot = run.results
        snapshot.clear()
        assert run.results
    assert not run.running


def test_load_honours_limit(server):
    run = load.Load("127.0.0.1", "site.example.test", port=server.port, interval=0.01, timeout=2, limit=3).start()
    wait_for(lambda: not run.running)
    assert len(run.stop()) == 3
    assert len(server.requests) == 3


def test_load_honours_max_seconds(server):
    run = load.Load("127.0.0.1", "site.example.test", port=server.port, interval=0.05, timeout=2, max_seconds=0.2).start()
    wait_for(lambda: not run.running)
    assert 1 <= len(run.stop()) <= 6


def test_stop_is_prompt_with_a_long_interval(server):
    run = load.Load("127.0.0.1", "site.example.test", port=server.port, interval=60, timeout=2).start()
    wait_for(lambda: run.results)
    started = time.monotonic()
    assert len(run.stop()) == 1
    assert time.monotonic() - started < 1


def test_stop_without_start_returns_nothing():
    assert not load.Load("127.0.0.1", "site.example.test").stop()


def test_load_records_failures_while_a_site_is_down(server):
    run = load.Load("127.0.0.1", "site.example.test", port=server.port, interval=0.01, timeout=2).start()
    wait_for(lambda: len(run.results) >= 2)
    server.response = BAD_GATEWAY
    wait_for(lambda: any(result.status == 502 for result in run.results))
    results = run.stop()
    assert results[0].status == 200
    assert load.failures(results)
    assert {result.status for result in load.failures(results)} == {502}


def test_failures_keeps_order_and_ignores_redirects():
    results = [load.Result(200, "a", None, 0.1), load.Result(None, None, "timeout", 10.0), load.Result(301, None, None, 0.1),
               load.Result(404, "Not Found", None, 0.1), load.Result(500, None, None, 0.1)]
    assert load.failures(results) == [results[1], results[3], results[4]]


def test_summary_all_good():
    results = [load.Result(200, "djangostack example", None, 0.01)] * 84
    assert load.summary(results) == "84 requests, all 200 (headings: djangostack example x84)"


def test_summary_all_good_with_mixed_statuses_and_headings():
    results = ([load.Result(200, "new", None, 0.01)] * 3 + [load.Result(200, "old", None, 0.01)] * 5
               + [load.Result(304, None, None, 0.01)])
    assert load.summary(results) == "9 requests, none failed: 200 x8, 304 x1 (headings: old x5, new x3)"


def test_summary_failing():
    results = ([load.Result(200, "djangostack example", None, 0.01)] * 81
               + [load.Result(502, "502 Bad Gateway", None, 0.01)] * 2
               + [load.Result(None, None, "ConnectionRefusedError: [Errno 111] Connection refused", 0.01)])
    assert load.summary(results) == ("3 of 84 requests failed: 502 x2, error ConnectionRefusedError x1; "
                                     "headings: djangostack example x81, 502 Bad Gateway x2")


def test_summary_timeout_and_no_headings():
    results = [load.Result(None, None, "timeout", 10.0)]
    assert load.summary(results) == "1 of 1 request failed: error timeout x1; headings: none"
    assert load.summary([]) == "0 requests"


def test_summary_of_real_requests(server, closed_port):
    results = [load.request("127.0.0.1", "site.example.test", port=server.port, timeout=2),
               load.request("127.0.0.1", "site.example.test", port=closed_port, timeout=2)]
    assert load.summary(results) == ("1 of 2 requests failed: error ConnectionRefusedError x1; "
                                     "headings: djangostack example x1")


def test_latency_ranks():
    results = [load.Result(200, None, None, seconds / 100) for seconds in range(1, 101)]
    assert load.latency(results) == (0.51, 1.0, 1.0)
    assert load.latency(results[:10]) == (0.06, 0.1, 0.1)
    assert load.latency([]) == (0.0, 0.0, 0.0)
