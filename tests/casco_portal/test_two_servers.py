"""More than one machine: two gunicorn app servers on different loopback ports share one
PostgreSQL database and one Redis cache. A write through one is read through the other at once
(cached reads included), and each keeps serving while the other is stopped.

The test makes its own PostgreSQL database (dropped afterwards) and uses Redis database 14, so it
is independent of the database the rest of the suite runs on. Without PostgreSQL or Redis it is
skipped on a developer's machine and fails under CI=true."""

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.servers import collected_static, production_env, ready_database
from tests.support import free_port, unavailable

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(scope="module")
def shared_services():
    """A PostgreSQL database of its own with the real data loaded (tests/servers.py's
    ready_database), collected static files, and a flushed Redis database."""
    import psycopg2

    try:
        conn = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}")
    conn.close()
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.flushdb()
    except Exception as error:
        unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    env = production_env(REDIS_URL=REDIS_URL, PUBLIC_CACHE_SECONDS="300", LOG_LEVEL="ERROR")
    env["STATIC_ROOT"] = collected_static(env)
    manage = [sys.executable, "manage.py"]
    script = (
        "from django.contrib.auth.models import Group, User;"
        "from api_tokens.services import api_token_create;"
        "user = User.objects.create_user('secretary', password='unused-' + 'x' * 20, is_staff=True);"
        "user.groups.add(Group.objects.get(name='Secretariat'));"
        "print(api_token_create(user=user, name='two servers test')[1])"
    )
    try:
        with ready_database("postgresql", env, None) as url:
            env["DATABASE_URL"] = url
            token = (
                subprocess.run(
                    [*manage, "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            yield env, token
    finally:
        client.flushdb()


class Server:
    def __init__(self, env):
        self.port = free_port()
        self.env = env
        self.process = None

    def start(self):
        # gunicorn's log goes to a file, never to an unread pipe: a full pipe (~64 KiB of log lines)
        # blocks gunicorn's workers and master as they write, and a stop then never completes.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "casco_portal/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "casco_portal.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.log.seek(0)
        output = self.log.read().decode(errors="replace")[-2000:]
        self.stop()
        raise AssertionError(f"server on port {self.port} did not start: {output}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        if self.process:
            self.log.close()

    def request(self, method, path, body=None, token=None):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def get(self, path):
        return self.request("GET", path)


@pytest.fixture
def servers(shared_services):
    env, token = shared_services
    first, second = Server(env).start(), Server(env).start()
    yield first, second, token
    first.stop()
    second.stop()


def test_a_write_through_one_server_is_read_through_the_other_at_once(servers):
    first, second, token = servers
    page, api = "/groups/iso-casco-wg-30/", "/api/v1/groups/iso-casco-wg-30/"
    # Warm the shared cache through the second server: later reads would be hits.
    for _ in range(2):
        assert second.get(page)[0] == 200
        assert second.get(api)[0] == 200
    assert second.get(page)[2].get("X-Cache") == "hit"

    new_title = f"Written through server one {secrets.token_hex(3)}"
    status, body, _ = first.request("PATCH", api, {"title": new_title}, token=token)
    assert status == 200, body

    status, body, _ = second.get(api)
    assert status == 200 and json.loads(body)["title"] == new_title
    status, body, _ = second.get(page)
    assert status == 200 and new_title in body


def test_each_server_keeps_serving_while_the_other_is_stopped(servers):
    first, second, token = servers
    first.stop()
    for path in ("/", "/groups/", "/api/v1/committees/", "/healthz"):
        assert second.get(path)[0] == 200, path
    status, _, _ = second.request(
        "PATCH", "/api/v1/groups/iso-casco-wg-31/", {"title": "Written while one is down"}, token=token
    )
    assert status == 200
    first.start()
    second.stop()
    status, body, _ = first.get("/api/v1/groups/iso-casco-wg-31/")
    assert status == 200 and json.loads(body)["title"] == "Written while one is down"
    assert first.get("/liaisons/")[0] == 200


def _cookies(headers_list):
    return dict(value.split(";", 1)[0].split("=", 1) for name, value in headers_list if name.lower() == "set-cookie")


def test_a_session_started_on_one_server_is_honoured_by_the_other(servers):
    """Sessions live in the database: signing in on one server works on the other."""
    import re

    first, second, _ = servers
    opener = urllib.request.build_opener(urllib.request.HTTPRedirectHandler())
    with opener.open(f"http://127.0.0.1:{first.port}/admin/login/", timeout=10) as response:
        cookies = _cookies(response.headers.items())
        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    data = urllib.parse.urlencode(
        {"username": "secretary", "password": "unused-" + "x" * 20, "csrfmiddlewaretoken": form_token}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{first.port}/admin/login/?next=/admin/",
        data=data,
        headers={"Cookie": f"csrftoken={cookies['csrftoken']}"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect()).open(request, timeout=10)
        raise AssertionError("the login did not redirect")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
        session = _cookies(redirect.headers.items())["sessionid"]
    signed_in = urllib.request.Request(
        f"http://127.0.0.1:{second.port}/admin/", headers={"Cookie": f"sessionid={session}"}
    )
    try:
        with urllib.request.build_opener(NoRedirect()).open(signed_in, timeout=10) as response:
            assert response.status == 200
            assert "secretary" in response.read().decode()
    except urllib.error.HTTPError as error:
        raise AssertionError(f"the second server did not honour the session: HTTP {error.code}") from error
