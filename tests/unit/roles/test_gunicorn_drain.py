"""roles/gunicorn/files/drain.sh: it returns once no connection waits on a listening unix socket."""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "roles" / "gunicorn" / "files" / "drain.sh"

pytestmark = pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2)")


def drain(path, wait=5):
    started = time.monotonic()
    done = subprocess.run(["sh", str(SCRIPT), str(path), str(wait)], capture_output=True, text=True, timeout=30,
                          check=False)
    return done, time.monotonic() - started


@pytest.fixture(name="listening")
def fixture_listening(tmp_path):
    """A listening unix socket nobody accepts on yet, with two connections waiting."""
    path = tmp_path / "gunicorn-blue.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    clients = []
    for _client in range(2):
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(str(path))
        clients.append(client)
    yield path, server
    for client in clients:
        client.close()
    server.close()


def test_nothing_to_wait_for_without_a_socket(tmp_path):
    done, seconds = drain(tmp_path / "missing.sock")
    assert done.returncode == 0 and seconds < 0.4, done


def test_it_waits_until_the_waiting_connections_are_accepted(listening):
    path, server = listening
    accepted = []

    def accept_later():
        time.sleep(1.5)
        for _client in range(2):
            accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept_later)
    thread.start()
    done, seconds = drain(path)
    thread.join()
    for conn in accepted:
        conn.close()
    assert done.returncode == 0, done
    assert 1.5 <= seconds < 4, seconds


def test_it_gives_up_after_wait_seconds_and_says_so(listening):
    path, _server = listening
    done, seconds = drain(path, wait=1)
    assert done.returncode == 0
    assert "2 connection(s) still wait after 1s" in done.stderr, done
    assert 1 <= seconds < 3, seconds
