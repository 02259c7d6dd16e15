"""The shipped front proxy, deploy/nginx/casco-portal.conf, run by Debian's nginx in front of gunicorn
(casco_portal/gunicorn.conf.py, 2 sync workers) on loopback.

The file is rendered for the test by replacing only its upstream port, its listen address and its
static root (each must occur exactly once), and included in a minimal nginx.conf that sets what
Debian's own nginx.conf sets around it (mime types, `gzip on`, temporary paths in the test's
directory). What it shows:

- slow clients (some trickling their headers one line a second, some their POST body) do not delay
  a normal request through nginx beyond BOUND_SECONDS, while the same clients sent to gunicorn
  directly stall it for more than STALL_SECONDS: both measured here, on the same gunicorn;
- static files come from disk with a year's immutable caching for fingerprinted names, an hour for
  the others, pre-compressed .gz where asked; proxied answers are not compressed by nginx;
- X-Forwarded-Proto and X-Forwarded-For reach the portal as it expects (TRUSTED_PROXY_COUNT=1: the
  address nginx appended, not the one a client made up); bodies over client_max_body_size get 413.

gunicorn always runs on a throw-away SQLite database (the proxy is under test, not the database;
/healthz and the login form's CSRF check need no table). The slow-client test takes about 7 s: the
slow clients must trickle for several seconds to show a stall at all; the two phases (through
nginx, and a second identical gunicorn alone) run at the same time.
Missing nginx: a skip on a developer's machine, a failure under CI=true (.ci/run installs it)."""

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support import free_port, unavailable

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx" / "casco-portal.conf"

SLOW_HEADER_CLIENTS = 3  # more slow clients than gunicorn has workers
SLOW_BODY_CLIENTS = 3
SLOW_STEPS = 7  # each slow client sends one header line (or a piece of body) a second, this many times
STEP_SECONDS = 1.0
BOUND_SECONDS = 1.0  # the longest a normal request may take through nginx meanwhile
STALL_SECONDS = 3.5  # the least a normal request waits when gunicorn alone faces the same clients
CSRF_COOKIE = "a" * 32  # a well-formed csrftoken cookie: Django's CSRF check then reads the body


def render(shipped, *, app_port, proxy_port, public_root):
    """The shipped configuration with only its ports and static root changed."""
    text = shipped
    for old, new in [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80 default_server;", f"listen 127.0.0.1:{proxy_port} default_server;"),
        ("root /srv/casco-portal/public;", f"root {public_root};"),
    ]:
        assert text.count(old) == 1, f"the shipped configuration should contain {old!r} once"
        text = text.replace(old, new)
    return text


def main_conf(tmp, site):
    """What Debian's /etc/nginx/nginx.conf provides around a site, with every path in ``tmp``."""
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's private directory
    return f"""
{user}
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "nginx-error.log"} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    gzip on;  # as in Debian's nginx.conf: the site must turn it off for what it proxies
{temp}
    include {site};
}}
"""


def request(port, path, *, method="GET", headers=None, body=None, source="127.0.0.1", timeout=30):
    """One request on its own connection: (status, headers, body, seconds taken)."""
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        return response.status, dict(response.getheaders()), content, time.monotonic() - started
    finally:
        conn.close()


def wait_for(port, deadline_seconds=60):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            if request(port, "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"nothing answered /healthz on port {port}")


class SlowClients:
    """SLOW_HEADER_CLIENTS connections sending a GET's header lines one per STEP_SECONDS and
    SLOW_BODY_CLIENTS sending a form POST's body in SLOW_STEPS pieces, each in its own thread;
    ``answers`` collects the status line each finally got (or the error)."""

    def __init__(self, port):
        self.port = port
        self.answers = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.trickle_headers, daemon=True) for _ in range(SLOW_HEADER_CLIENTS)]
        self.threads += [threading.Thread(target=self.trickle_body, daemon=True) for _ in range(SLOW_BODY_CLIENTS)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        for thread in self.threads:
            thread.join(timeout=60)

    def run(self, pieces):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=60) as sock:
                for index, piece in enumerate(pieces):
                    if index:
                        time.sleep(STEP_SECONDS)
                    sock.sendall(piece)
                answer = b""
                while b"\r\n" not in answer and (chunk := sock.recv(4096)):
                    answer += chunk
                result = answer.split(b"\r\n", 1)[0].decode(errors="replace")
        except OSError as error:
            result = f"{type(error).__name__}: {error}"
        with self.lock:
            self.answers.append(result)

    def trickle_headers(self):
        lines = [b"GET /healthz HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"X-Forwarded-Proto: https\r\n"]
        lines += [f"X-Slow-{index}: {'x' * 20}\r\n".encode() for index in range(SLOW_STEPS - len(lines))]
        self.run([*lines[:-1], lines[-1] + b"Connection: close\r\n\r\n"])

    def trickle_body(self):
        body = f"username=slow&password=slow-{'p' * 40}&csrfmiddlewaretoken={'b' * 32}".encode()
        head = (
            "POST /api/v1/auth/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
            f"Origin: https://127.0.0.1\r\nCookie: csrftoken={CSRF_COOKIE}\r\nConnection: close\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        size = -(-len(body) // (SLOW_STEPS - 1))
        self.run([head] + [body[start : start + size] for start in range(0, len(body), size)])


class Stack:
    def __init__(self, tmp):
        self.tmp = tmp
        # gunicorn behind nginx, and a second, identical one that clients reach directly: the two
        # phases of the slow-client test run at once, each against 2 workers of its own.
        self.app_port, self.direct_port, self.proxy_port = free_port(), free_port(), free_port()
        public = tmp / "public"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "REDIS_", "DATABASE_", "GUNICORN_", "SECURE_", "PUBLIC_CACHE"))
        }
        self.env.update(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"sqlite:///{tmp / 'portal.sqlite3'}",
            STATIC_ROOT=str(public / "static"),
            TRUSTED_PROXY_COUNT="1",  # nginx alone in front (no balancer in the test)
            LOG_LEVEL="WARNING",
            LOG_FORMAT="json",
            WEB_CONCURRENCY="2",
        )
        self.processes = []
        collect = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert collect.returncode == 0, collect.stderr
        self.app_log = tmp / "gunicorn.log"
        for port, log in [(self.app_port, self.app_log), (self.direct_port, tmp / "gunicorn-direct.log")]:
            self.start(
                [sys.executable, "-m", "gunicorn", "-c", "casco_portal/gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "--workers", "2", "casco_portal.wsgi"],
                log,
            )  # fmt: skip
        site = tmp / "casco-portal.conf"
        site.write_text(
            render(SHIPPED.read_text(), app_port=self.app_port, proxy_port=self.proxy_port, public_root=public)
        )
        conf = tmp / "nginx.conf"
        conf.write_text(main_conf(tmp, site))
        checked = subprocess.run(
            [NGINX, "-t", "-q", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert checked.returncode == 0, checked.stderr
        self.start(
            [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log"), "-g", "daemon off;"],
            tmp / "nginx.out",
        )
        wait_for(self.app_port)
        wait_for(self.direct_port)
        wait_for(self.proxy_port)

    def start(self, command, log):
        with open(log, "wb") as out:
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True)
            )

    def app_output(self):
        return self.app_log.read_text(errors="replace")

    def close(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not Path(NGINX).is_file():
        unavailable("nginx is not installed (Debian: apt-get install -y nginx)")
    stack = Stack(tmp_path_factory.mktemp("front-proxy"))
    try:
        yield stack
    finally:
        stack.close()


def normal_requests_during_slow_clients(port, count, spacing, out):
    """Start the slow clients on ``port``; once they are all connected and trickling, time
    ``count`` normal requests for /healthz, ``spacing`` seconds apart. Puts the delays and the
    slow clients' answers in ``out`` (this runs in a thread of its own)."""
    delays = out["delays"] = []
    with SlowClients(port) as slow:
        time.sleep(STEP_SECONDS)
        for _ in range(count):
            status, _, body, seconds = request(port, "/healthz", timeout=60)
            assert status == 200, body[:300]
            delays.append(seconds)
            time.sleep(spacing)
    out["answers"] = slow.answers


def test_slow_clients_stall_gunicorn_alone_but_not_behind_nginx(stack):
    """The same slow clients at the same time against nginx in front of gunicorn, and against an
    identical gunicorn alone; normal requests are timed on both meanwhile."""
    baseline = min(request(stack.proxy_port, "/healthz")[3] for _ in range(3))
    proxied, direct = {}, {}
    phases = [
        threading.Thread(target=normal_requests_during_slow_clients, args=(stack.proxy_port, 5, 0.5, proxied)),
        threading.Thread(target=normal_requests_during_slow_clients, args=(stack.direct_port, 1, 0, direct)),
    ]
    for phase in phases:
        phase.start()
    for phase in phases:
        phase.join(timeout=120)
    assert "answers" in proxied and "answers" in direct, (proxied, direct)  # both phases ran to the end
    print(
        f"\n/healthz with {SLOW_HEADER_CLIENTS} header and {SLOW_BODY_CLIENTS} body slow clients "
        f"({SLOW_STEPS} pieces, {STEP_SECONDS:g} s apart): through nginx "
        + ", ".join(f"{seconds * 1000:.0f} ms" for seconds in proxied["delays"])
        + f"; gunicorn alone {direct['delays'][0]:.2f} s; idle {baseline * 1000:.0f} ms"
    )
    assert max(proxied["delays"]) < BOUND_SECONDS, proxied["delays"]
    assert direct["delays"][0] > STALL_SECONDS, f"gunicorn alone answered in {direct['delays'][0]:.2f} s: no stall"
    # Every slow client was answered in the end (nothing dropped): the GETs by /healthz, the
    # POSTs by the CSRF check, which read their whole body.
    expected = ["HTTP/1.1 200 OK"] * SLOW_HEADER_CLIENTS + ["HTTP/1.1 403 Forbidden"] * SLOW_BODY_CLIENTS
    assert sorted(proxied["answers"]) == sorted(expected), proxied["answers"]
    assert sorted(direct["answers"]) == sorted(expected), direct["answers"]


def static_name(stack, name):
    manifest = json.loads((stack.tmp / "public" / "static" / "staticfiles.json").read_text())
    return manifest["paths"][name]


def test_static_files_are_served_by_nginx_with_long_caching(stack):
    fingerprinted = static_name(stack, "css/portal.css")
    assert re.search(r"\.[0-9a-f]{12}\.css$", fingerprinted)
    on_disk = (stack.tmp / "public" / "static" / fingerprinted).read_bytes()

    status, headers, body, _ = request(
        stack.proxy_port, f"/static/{fingerprinted}", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == on_disk  # the .gz beside it
    assert headers["Content-Type"].startswith("text/css")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Server" in headers and headers["Server"].startswith("nginx")  # not through gunicorn

    status, headers, body, _ = request(stack.proxy_port, "/static/css/portal.css")
    assert status == 200 and body == on_disk
    assert headers["Cache-Control"] == "public, max-age=3600"  # a name that can change: an hour
    assert request(stack.proxy_port, "/static/css/no-such-file.3645d4a3642a.css")[0] == 404


def test_proxied_answers_keep_the_apps_encoding_and_headers(stack):
    status, headers, body, _ = request(stack.proxy_port, "/healthz", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert "Content-Encoding" not in headers  # gzip off for proxied answers (Debian turns it on)
    # X-Forwarded-Proto: what the balancer said (https), else nginx's own scheme (http: redirected).
    status, headers, _, _ = request(stack.proxy_port, "/healthz", headers={"X-Forwarded-Proto": ""})
    assert status == 301 and headers["Location"] == "https://127.0.0.1/healthz"


def test_the_portal_sees_the_address_nginx_appended_not_the_one_a_client_made_up(stack):
    """TRUSTED_PROXY_COUNT=1: the client is the last X-Forwarded-For entry, which nginx wrote. The
    request comes from 127.0.0.5 (any loopback address works as a source) with a made-up header."""
    path = f"/api/v1/no-such-address-{secrets.token_hex(4)}/"
    status = request(stack.proxy_port, path, headers={"X-Forwarded-For": "6.6.6.6"}, source="127.0.0.5")[0]
    assert status == 404
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in stack.app_output().splitlines() if path in line and line.startswith("{")]
        if lines:
            break
        time.sleep(0.1)
    assert lines, stack.app_output()[-2000:]
    assert lines[0]["client"] == "127.0.0.5"


def test_a_body_over_the_limit_is_refused_by_nginx(stack):
    status = request(
        stack.proxy_port,
        "/api/v1/committees/",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=b"x" * (11 * 1024 * 1024),
    )[0]
    assert status == 413


def test_the_shipped_file_as_installed_in_debians_nginx(tmp_path):
    """Unchanged, in a copy of Debian's /etc/nginx with it as the only enabled site (as README
    "Deploying" says to install it): `nginx -t` accepts it next to Debian's own http settings."""
    if not Path(NGINX).is_file() or not Path("/etc/nginx/nginx.conf").is_file():
        unavailable("nginx is not installed (Debian: apt-get install -y nginx)")
    etc = tmp_path / "nginx"
    shutil.copytree("/etc/nginx", etc, symlinks=False)
    shutil.rmtree(etc / "sites-enabled")
    (etc / "sites-enabled").mkdir()
    shutil.copy(SHIPPED, etc / "sites-enabled" / "casco-portal")
    conf = etc / "nginx.conf"
    conf.write_text(conf.read_text().replace("/etc/nginx/", f"{etc}/"))
    result = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
