"""A graceful stop: SIGTERM ends gunicorn (casco_portal/gunicorn.conf.py, production settings)
within seconds and with exit status 0, a request in flight is still answered in full, and a
connection that has sent nothing does not hold the stop up (with gunicorn's stock sync worker it
kept a worker blocked until graceful_timeout, 20 s, and the master then killed it).

gunicorn runs on a database of the suite's run kind with the real data: a temporary SQLite file,
or, when DATABASE_URL names PostgreSQL, a PostgreSQL database of its own (dropped afterwards), each
a copy of one made ready once (tests/servers.py, ready_database). If PostgreSQL cannot be reached
the module is skipped on a developer's machine and fails under CI=true. Its log goes to a file (an
unread pipe fills up and blocks gunicorn)."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.servers import SUITE_KIND, production_env, ready_database
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
STOP_LIMIT_SECONDS = 15
STOPPED_BY_KILL = ("SIGKILL", "WORKER TIMEOUT")  # what gunicorn logs when it kills a worker


@pytest.fixture(scope="module")
def server_env(tmp_path_factory):
    """Production settings on a database of the run's kind with the real data loaded."""
    env = production_env(PUBLIC_CACHE_SECONDS="0")
    with ready_database(SUITE_KIND, env, tmp_path_factory.mktemp("graceful-stop")) as url:
        yield {**env, "DATABASE_URL": url}


class Gunicorn:
    def __init__(self, env, **settings):
        self.port = free_port()
        self.env = {**env, **settings}
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "casco_portal/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "casco_portal.wsgi"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise AssertionError(f"gunicorn did not start:\n{self.output()[-3000:]}")

    def get(self, path):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def workers(self):
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False)
        return set(found.stdout.split())

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def close(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def gunicorn(server_env):
    servers = []

    def start(**settings):
        servers.append(Gunicorn(server_env, **settings))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def read_until_closed(sock):
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("target", ["master", "process group"])
def test_sigterm_stops_within_seconds_and_answers_the_request_in_flight(gunicorn, target):
    server = gunicorn()
    for _ in range(3):  # requests before the stop, each on its own connection (sync workers close them)
        assert server.get("/api/v1/committees/?page_size=5")[0] == 200
    silent = server.connect()  # connected, sends nothing: must not hold the stop up
    in_flight = server.connect()  # a request whose headers are still arriving when the stop comes
    in_flight.sendall(b"GET /api/v1/committees/iso-casco/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n")
    time.sleep(1)  # both connections accepted, one by each worker

    started = time.monotonic()
    if target == "master":
        os.kill(server.process.pid, signal.SIGTERM)
    else:
        os.killpg(server.process.pid, signal.SIGTERM)
    time.sleep(1)
    in_flight.sendall(b"\r\n")  # the request ends after the stop began
    answer = read_until_closed(in_flight)
    try:
        status = server.process.wait(timeout=STOP_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gunicorn still running {STOP_LIMIT_SECONDS} s after SIGTERM:\n{server.output()[-3000:]}")
    stop_seconds = time.monotonic() - started

    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer[:500]
    assert b'"reference":"ISO/CASCO"' in body.replace(b" ", b""), body[:500]
    assert status == 0, server.output()[-3000:]
    assert stop_seconds < STOP_LIMIT_SECONDS
    assert silent.recv(1) == b"", "the silent connection was closed without an answer"
    log = server.output()
    assert not any(word in log for word in STOPPED_BY_KILL), log[-3000:]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2)
    print(f"gunicorn stopped {stop_seconds:.1f} s after SIGTERM to the {target}")


def test_sigterm_with_no_connection_stops_at_once(gunicorn):
    server = gunicorn()
    assert server.get("/healthz")[0] == 200
    started = time.monotonic()
    os.kill(server.process.pid, signal.SIGTERM)
    assert server.process.wait(timeout=STOP_LIMIT_SECONDS) == 0
    assert time.monotonic() - started < 5, "no request was in flight: nothing to wait for"


def test_a_silent_connection_is_closed_after_the_timeout_without_restarting_a_worker(gunicorn):
    """In normal running a connection that sends nothing is closed after GUNICORN_TIMEOUT seconds;
    the stock sync worker stayed blocked on it until the master killed the worker as timed out."""
    server = gunicorn(GUNICORN_TIMEOUT="6")
    workers = server.workers()
    silent = server.connect()
    silent.settimeout(30)
    started = time.monotonic()
    assert silent.recv(1) == b""  # closed by the server, without an answer
    assert 5 < time.monotonic() - started < 20  # 6 s, with room for a loaded machine
    assert server.get("/api/v1/committees/?page_size=1")[0] == 200
    assert server.workers() == workers
    assert not any(word in server.output() for word in STOPPED_BY_KILL)
