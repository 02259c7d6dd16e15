"""Real servers for the fault tests, each on a free loopback port and owned by the test: a private
`redis-server` that can be killed, hung and restarted with its data, a TCP proxy in front of
PostgreSQL that can cut every connection and refuse new ones, gunicorn serving the portal in
production mode, and a database of the suite's kind (SQLite file or a fresh PostgreSQL database)
made ready with `manage.py setup_portal`."""

import contextlib
import json
import os
import re
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.support import free_port, unavailable

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
ADMIN_USER, ADMIN_PASSWORD = "fault-editor", "fault-" + "p4ss-" * 5


def wait_for(predicate, seconds, step=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class RedisServer:
    """A private redis-server. `kill()` is SIGKILL (it saves nothing); `save()` first writes its
    data to disk, so `start()` brings back what it held, as a Redis restarted from its dump does."""

    def __init__(self):
        if not shutil.which("redis-server"):
            unavailable("redis-server is not installed: apt-get install -y redis-server")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="casco-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_for(self.answers, 10):
            raise AssertionError(f"redis-server did not start on port {self.port}")
        return self

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def answers(self):
        try:
            return self.client().ping()
        except Exception:
            return False

    def save(self):
        self.client().save()

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class TcpProxy:
    """Forwards a free loopback port to `target`. `cut()` closes every connection and the listening
    socket (new connections are refused); `restore()` listens on the same port again."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.lock = threading.Lock()
        self.pairs = []
        self.listener = None
        self.stopping = False
        self.selector_thread = threading.Thread(target=self._pump, daemon=True)
        self.selector = selectors.DefaultSelector()
        self.wakeup_r, self.wakeup_w = socket.socketpair()
        self.selector.register(self.wakeup_r, selectors.EVENT_READ, None)
        self.restore()
        self.selector_thread.start()

    def restore(self):
        with self.lock:
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            listener.setblocking(False)
            self.listener = listener
            self.selector.register(listener, selectors.EVENT_READ, "accept")
        self.wakeup_w.send(b"x")

    def cut(self):
        with self.lock:
            if self.listener is not None:
                self.selector.unregister(self.listener)
                self.listener.close()
                self.listener = None
            for a, b in self.pairs:
                for sock in (a, b):
                    with contextlib.suppress(Exception):
                        self.selector.unregister(sock)
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
            self.pairs = []
        self.wakeup_w.send(b"x")

    def close(self):
        self.stopping = True
        self.cut()
        self.selector_thread.join(timeout=5)

    def _pump(self):
        while not self.stopping:
            for key, _ in self.selector.select(timeout=0.5):
                with self.lock:
                    if key.fileobj is self.wakeup_r:
                        self.wakeup_r.recv(4096)
                    elif key.data == "accept" and self.listener is not None:
                        self._accept()
                    elif isinstance(key.data, socket.socket):
                        self._forward(key.fileobj, key.data)

    def _accept(self):
        try:
            client, _ = self.listener.accept()
        except BlockingIOError:
            return
        try:
            upstream = socket.create_connection(self.target, timeout=3)
        except OSError:
            client.close()
            return
        for sock in (client, upstream):
            sock.setblocking(True)
            sock.settimeout(5)
        self.pairs.append((client, upstream))
        self.selector.register(client, selectors.EVENT_READ, upstream)
        self.selector.register(upstream, selectors.EVENT_READ, client)

    def _forward(self, source, destination):
        try:
            data = source.recv(65536)
            if data:
                destination.sendall(data)
                return
        except OSError:
            pass
        for pair in [p for p in self.pairs if source in p]:
            self.pairs.remove(pair)
            for sock in pair:
                with contextlib.suppress(Exception):
                    self.selector.unregister(sock)
                sock.close()


@contextlib.contextmanager
def scratch_database(admin_url, prefix):
    """A new, empty PostgreSQL database for one test module's servers (its URL), dropped afterwards
    even while servers still hold connections to it."""
    import psycopg2

    try:
        conn = psycopg2.connect(admin_url, connect_timeout=3)
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable at {admin_url}: {error}")
    conn.autocommit = True
    name = f"{prefix}_{secrets.token_hex(4)}"
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@contextlib.contextmanager
def portal_database(kind, tmp_dir, static_root=None):
    """A database of `kind` ("sqlite" or "postgresql") with the real data and a superuser;
    yields the environment gunicorn and manage.py need (production mode). `static_root` reuses
    static files another call collected."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "",
        "PUBLIC_CACHE_SECONDS": "300",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": static_root or str(Path(tmp_dir) / "static"),
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
    }
    for name in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_REPLICA_URL", "GUNICORN_CMD_ARGS"):
        env.pop(name, None)
    with contextlib.ExitStack() as stack:
        if kind == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(scratch_database(PG_ADMIN_URL, "casco_faults"))
        else:
            env["DATABASE_URL"] = f"sqlite:///{Path(tmp_dir) / 'portal.sqlite3'}"
        manage(env, "setup_portal")
        if not static_root:
            manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "createsuperuser", "--noinput", "--username", ADMIN_USER, "--email", "editor@example.org")
        yield env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )


class Gunicorn:
    """The portal under gunicorn (the project's config) on a free port; its log goes to a file."""

    def __init__(self, env, workers=2):
        self.port = free_port()
        self.env = env
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "casco_portal/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "casco_portal.wsgi"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True,
        )  # fmt: skip
        self.cookies = {}
        if not wait_for(self._up, 60, step=0.2):
            output = self.output()
            self.close()
            raise AssertionError(f"gunicorn did not start:\n{output[-3000:]}")

    def _up(self):
        if self.process.poll() is not None:
            return True
        try:
            return self.request("GET", "/healthz")[0] in (200, 503)
        except OSError:
            return False

    def request(self, method, path, body=None, headers=None, signed_in=False, timeout=10):
        headers = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            headers.setdefault("Content-Type", "application/json")
        if signed_in:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.build_opener(NoRedirect()).open(request, timeout=timeout) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers

    def get(self, path, accept="application/json"):
        return self.request("GET", path, headers={"Accept": accept})

    def sign_in(self):
        """Log in as the superuser through the admin's form; later `signed_in=True` requests carry
        the session and CSRF cookies (and the CSRF header), as a browser's API call would."""
        status, page, headers = self.get("/admin/login/", accept="text/html")
        assert status == 200, page[:300]
        self.cookies = _cookies(headers)
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": ADMIN_USER, "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": form_token}
        ).encode()
        status, page, headers = self.request(
            "POST",
            "/admin/login/?next=/admin/",
            body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"},
            signed_in=True,
        )
        assert status == 302, (status, page[:500])
        self.cookies.update(_cookies(headers))
        assert "sessionid" in self.cookies

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def close(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _cookies(headers):
    return dict(value.split(";", 1)[0].split("=", 1) for value in headers.get_all("Set-Cookie") or [])
