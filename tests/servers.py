"""Real servers for the fault tests, each on a free loopback port and owned by the test: a private
`redis-server` that can be killed, hung and restarted with its data, a TCP proxy in front of
PostgreSQL that can cut every connection and refuse new ones, gunicorn serving the portal in
production mode, and a database of the suite's kind (SQLite file or PostgreSQL database) holding
what `manage.py setup_portal` makes: a copy of one made ready once for the files it depends on
(migrations, fixture, commands): migrating and loading were most of each server's start."""

import contextlib
import hashlib
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
# The database kind the suite runs on (DATABASE_URL), which the servers' databases follow.
SUITE_KIND = (
    "postgresql" if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) else "sqlite"
)


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
def scratch_database(admin_url, prefix, template=None):
    """A new PostgreSQL database for one test module's servers (its URL), empty or a copy of
    `template`, dropped afterwards even while servers still hold connections to it."""
    import psycopg2

    try:
        conn = psycopg2.connect(admin_url, connect_timeout=3)
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable at {admin_url}: {error}")
    conn.autocommit = True
    name = f"{prefix}_{secrets.token_hex(4)}"
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


# What a database made ready by `setup_portal` (plus the fault tests' superuser) holds depends on
# these files alone: the migrations, the fixture, the commands that load it and make the
# Secretariat group, the pinned Django, and this module (the superuser). A change to any of them
# makes a new ready database; a change anywhere else reuses it.
READY_INPUTS = (
    "*/migrations/*.py",
    "fixtures/casco.json",
    "sources/management/commands/setup_portal.py",
    "core/roles.py",
    "core/management/commands/ensure_secretariat_group.py",
    "requirements.txt",
    "tests/servers.py",
)
# What `collectstatic` gathers: the portal's static files and the installed packages' (pinned).
STATIC_INPUTS = ("static/**/*", "*/static/**/*", "requirements.txt", "casco_portal/settings.py")
READY_DAYS = 7  # a ready PostgreSQL database no run has made for this long is dropped


def inputs_key(patterns):
    """A digest of the files `patterns` match (their paths and contents)."""
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and ".venv" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _file_lock(path):
    """An exclusive lock on `path` between processes (xdist workers building the same thing)."""
    import fcntl

    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _make_ready(env):
    env = {**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}
    manage(env, "setup_portal")
    manage(env, "createsuperuser", "--noinput", "--username", ADMIN_USER, "--email", "editor@example.org")


def _made_once(target, make):
    """`target`, a file or directory in the temporary directory, made by `make(path)` once for the
    run's processes and later runs: under a lock, at a temporary path renamed when complete, so a
    half-made one is never used."""
    with _file_lock(target.with_name(f"{target.name}.lock")):
        if not target.exists():
            building = target.with_name(f"{target.name}.{os.getpid()}.building")
            try:
                make(building)
                os.replace(building, target)
            finally:  # what a failed make left behind
                if building.is_dir():
                    shutil.rmtree(building, ignore_errors=True)
                else:
                    building.unlink(missing_ok=True)
    return target


def _ready_sqlite(env):
    """The path of a SQLite database made ready once for these inputs; tests copy it."""
    return _made_once(
        Path(tempfile.gettempdir()) / f"casco-ready-{inputs_key(READY_INPUTS)}.sqlite3",
        lambda path: _make_ready({**env, "DATABASE_URL": f"sqlite:///{path}"}),
    )


def _ready_postgresql(env, admin_url):
    """The name of a PostgreSQL database made ready once for these inputs, to be copied with
    `CREATE DATABASE … TEMPLATE` (a file copy, where migrate and loaddata run every migration). Built
    under a new name and renamed when complete, under an advisory lock, so a half-made or
    concurrently made database is never copied; ready databases of other inputs older than
    READY_DAYS are dropped."""
    import psycopg2

    key = inputs_key(READY_INPUTS)
    name = f"casco_ready_{key}"
    conn = psycopg2.connect(admin_url, connect_timeout=3)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [int(key[:15], 16)])
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                with scratch_database(admin_url, f"{name}_building") as url:
                    _make_ready({**env, "DATABASE_URL": url})
                    building = url.rsplit("/", 1)[1]
                    cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{int(time.time())}'")
            cursor.execute(
                "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname ~ '^casco_ready_[0-9a-f]{16}$' AND datname <> %s",
                [name],
            )
            for other, made in cursor.fetchall():
                if not (made or "").isdigit() or int(made) < time.time() - READY_DAYS * 86400:
                    with contextlib.suppress(psycopg2.Error):  # in use by another run: next time
                        cursor.execute(f'DROP DATABASE IF EXISTS "{other}"')
            cursor.execute("SELECT pg_advisory_unlock(%s)", [int(key[:15], 16)])
    finally:
        conn.close()
    return name


@contextlib.contextmanager
def ready_database(kind, env, tmp_dir):
    """The URL of a database of `kind` ("sqlite" or "postgresql") of its own, holding what
    `manage.py setup_portal` makes (migrated, the real data, the Secretariat group) and the
    superuser ADMIN_USER: a copy of one made ready once per set of READY_INPUTS. `env` is the
    environment `manage.py` runs in to make it."""
    if kind == "postgresql":
        template = _ready_postgresql(env, PG_ADMIN_URL)
        with scratch_database(PG_ADMIN_URL, "casco_test_server", template=template) as url:
            yield url
    else:
        copy = Path(tmp_dir) / "portal.sqlite3"
        shutil.copyfile(_ready_sqlite(env), copy)
        yield f"sqlite:///{copy}"


def collected_static(env):
    """A STATIC_ROOT holding `collectstatic`'s output, collected once per set of STATIC_INPUTS;
    servers only read it."""
    root = Path(tempfile.gettempdir()) / f"casco-static-{inputs_key(STATIC_INPUTS)}"
    return str(
        _made_once(root, lambda path: manage({**env, "STATIC_ROOT": str(path)}, "collectstatic", "--noinput", "-v0"))
    )


def production_env(**extra):
    """The environment of a production-mode portal process (DEBUG off, a fresh secret key, no
    rate limit), without the test process's settings module, cache, replica or gunicorn flags."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "",
        **extra,
    }
    for name in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_REPLICA_URL", "GUNICORN_CMD_ARGS"):
        if name not in extra:
            env.pop(name, None)
    return env


@contextlib.contextmanager
def portal_database(kind, tmp_dir):
    """A database of `kind` ("sqlite" or "postgresql") with the real data and a superuser, and
    collected static files; yields the environment gunicorn and manage.py need (production mode)."""
    env = production_env(PUBLIC_CACHE_SECONDS="300", LOG_LEVEL="ERROR")
    env["STATIC_ROOT"] = collected_static(env)
    with ready_database(kind, env, tmp_dir) as url:
        yield {**env, "DATABASE_URL": url}


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
