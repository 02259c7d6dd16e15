"""The optional read replica (casco_portal/db_router.py): which database each read and write goes
to, and the same with a real second connection.

The first part asks the router through its middleware, without a database. The second installs a
"replica" alias that mirrors the test database (a second connection to the same database, as
`TEST: {"MIRROR": "default"}` does when DATABASE_REPLICA_URL is set) on committed data
(`transactional_db`: a replica connection cannot see a test's open transaction), and serves real
pages and API requests, counting the SELECTs each connection ran. The last part checks the
settings wiring in a fresh interpreter."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, router, transaction
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from rest_framework.test import APIClient

from api_tokens.models import ApiToken
from api_tokens.services import api_token_create
from casco_portal import db_router
from casco_portal.db_router import (
    PIN_COOKIE,
    RECENT_WRITE_KEY,
    PrimaryReplicaRouter,
    ReplicaRoutingMiddleware,
    mark_recent_write,
)
from committees.models import Committee, Group

ROOT = Path(__file__).resolve().parents[2]
ROUTER = "casco_portal.db_router.PrimaryReplicaRouter"
MIDDLEWARE = "casco_portal.db_router.ReplicaRoutingMiddleware"
rf = RequestFactory()


def replica_settings(**overrides):
    settings_dict = {**connections["default"].settings_dict, "ATOMIC_REQUESTS": False, **overrides}
    settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": "default"}
    return settings_dict


@pytest.fixture
def replica(settings, monkeypatch):
    """A "replica" alias beside the primary (never connected here: the replica counts as up) and
    the router installed, as settings.py does when DATABASE_REPLICA_URL is set."""
    monkeypatch.setitem(connections.settings, "replica", replica_settings())
    monkeypatch.setattr(db_router, "replica_available", lambda: True)
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.REPLICA_PIN_SECONDS = 10


def serve(request, model=Committee, status=200, write=None):
    """Serve `request` through the middleware; the view asks where a read of `model` goes (and
    first writes `write`, a model, if given). Returns (database read, response)."""
    seen = {}

    def view(request):
        if write is not None:
            assert router.db_for_write(write) == "default"
        seen["read"] = router.db_for_read(model)
        return HttpResponse(status=status)

    response = ReplicaRoutingMiddleware(view)(request)
    return seen["read"], response


# --- decisions -----------------------------------------------------------------------------------


def test_an_anonymous_get_reads_the_replica_and_writes_the_primary(replica):
    assert serve(rf.get("/groups/"))[0] == "replica"
    assert serve(rf.head("/api/v1/groups/"))[0] == "replica"
    assert router.db_for_write(Committee) == "default"


def test_reads_outside_a_web_request_go_to_the_primary(replica):
    assert router.db_for_read(Committee) == "default"


def test_without_a_replica_alias_everything_goes_to_the_primary(settings, monkeypatch):
    monkeypatch.delitem(connections.settings, "replica", raising=False)
    settings.DATABASE_ROUTERS = [ROUTER]
    assert serve(rf.get("/groups/"))[0] == "default"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_requests_read_the_primary_and_pin_the_client(replica, method):
    read, response = serve(getattr(rf, method)("/api/v1/groups/"))
    assert read == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_refused_unsafe_request_sets_no_pin_and_a_get_neither(replica):
    assert PIN_COOKIE not in serve(rf.post("/api/v1/groups/"), status=400)[1].cookies
    assert PIN_COOKIE not in serve(rf.get("/api/v1/groups/"))[1].cookies


def test_a_pinned_client_reads_the_primary(replica):
    request = rf.get("/groups/")
    request.COOKIES[PIN_COOKIE] = "1"
    assert serve(request)[0] == "default"


@pytest.mark.parametrize("how", ["token", "session"])
def test_clients_with_credentials_read_the_primary(replica, settings, how):
    request = rf.get("/api/v1/groups/", HTTP_AUTHORIZATION="Token abc") if how == "token" else rf.get("/groups/")
    if how == "session":
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "some-session-key"
    assert serve(request)[0] == "default"


def test_the_admin_reads_the_primary(replica):
    assert serve(rf.get("/admin/committees/group/"))[0] == "default"


@pytest.mark.parametrize("model", [User, AuthGroup, Permission, Session, AccessAttempt, ApiToken, LogEntry])
def test_sessions_users_lockouts_tokens_and_admin_log_always_read_the_primary(replica, model):
    assert serve(rf.get("/groups/"), model=model)[0] == "default"


def test_a_write_during_a_get_pins_the_rest_of_it_and_the_client(replica):
    read, response = serve(rf.get("/groups/"), write=Group)
    assert read == "default"
    assert PIN_COOKIE in response.cookies


def test_any_write_pins_every_reader_for_the_pin_window(replica, settings):
    settings.REPLICA_PIN_SECONDS = 1
    assert serve(rf.get("/groups/"))[0] == "replica"
    assert router.db_for_write(Group) == "default"  # a write elsewhere, outside any transaction
    assert cache.get(RECENT_WRITE_KEY) is not None
    assert serve(rf.get("/groups/"))[0] == "default"
    time.sleep(1.1)
    assert serve(rf.get("/groups/"))[0] == "replica"


def test_writes_to_sessions_and_login_tables_pin_nobody(replica):
    read, response = serve(rf.get("/groups/"), write=Session)
    assert read == "replica"
    assert PIN_COOKIE not in response.cookies
    router.db_for_write(AccessAttempt)
    assert cache.get(RECENT_WRITE_KEY) is None


def test_an_unreachable_replica_sends_reads_to_the_primary(replica, monkeypatch):
    monkeypatch.setattr(db_router, "replica_available", lambda: False)
    assert serve(rf.get("/groups/"))[0] == "default"


def test_related_rows_of_a_record_read_from_the_primary_come_from_it(replica):
    committee = Committee(pk=1)
    committee._state.db = "default"

    def view(request):
        return JsonResponse(
            {"hinted": router.db_for_read(Group, instance=committee), "plain": router.db_for_read(Group)}
        )

    response = ReplicaRoutingMiddleware(view)(rf.get("/groups/"))
    assert json.loads(response.content) == {"hinted": "default", "plain": "replica"}


def test_relations_and_migrations(replica):
    on_primary, on_replica, elsewhere = Committee(), Committee(), Committee()
    on_primary._state.db, on_replica._state.db, elsewhere._state.db = "default", "replica", "other"
    ours = PrimaryReplicaRouter()
    assert ours.allow_relation(on_primary, on_replica) is True
    assert ours.allow_relation(on_primary, elsewhere) is None
    assert ours.allow_migrate("default", "committees") is True
    assert ours.allow_migrate("replica", "committees") is False
    assert ours.allow_migrate("replica", "auth") is False


def test_the_pin_is_set_before_the_write_and_again_on_commit(
    transactional_db, replica, django_capture_on_commit_callbacks
):
    """Inside a transaction the marker is set at its first write (before the new data version can
    be visible: it moves on inside the transaction) and again when it commits, so the pin window
    runs from the commit."""
    call_command("loaddata", "casco", verbosity=0)  # committed: no callback of it is left pending
    cache.delete(RECENT_WRITE_KEY)
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:
        group.save()
        assert cache.get(RECENT_WRITE_KEY) is not None  # before the commit
        cache.delete(RECENT_WRITE_KEY)
        group.save()
    assert callbacks.count(mark_recent_write) == 1  # once per transaction
    assert cache.get(RECENT_WRITE_KEY) is not None  # set again on commit


# --- a real second connection (a mirror of the test database) ---------------------------------


def _view_asking_the_router(request):
    """Where reads go in a GET view: in the request's own ATOMIC_REQUESTS block, then inside an
    explicit transaction, then after it."""
    answer = {"in_request_transaction": connections["default"].in_atomic_block}
    answer["view"] = router.db_for_read(Committee)
    with transaction.atomic():
        answer["explicit_transaction"] = router.db_for_read(Committee)
    answer["after"] = router.db_for_read(Committee)
    return JsonResponse(answer)


@transaction.non_atomic_requests
def _non_atomic_view_asking_the_router(request):
    return _view_asking_the_router(request)


urlpatterns = [
    path("where/", _view_asking_the_router),
    path("where-non-atomic/", _non_atomic_view_asking_the_router),
]


@pytest.fixture(scope="module")
def replica_alias(django_db_setup):
    """A "replica" alias: a second connection to the test database, as `TEST: {"MIRROR": "default"}`
    makes of DATABASE_REPLICA_URL in a test run. Module-scoped, so that it exists before each test's
    database access is set up (the tests list it in `databases`)."""
    connections.settings["replica"] = replica_settings()
    yield connections.settings["replica"]
    _close_replica()
    del connections.settings["replica"]


def _close_replica():
    connection = connections["replica"]
    if connection.connection is not None:  # SQLite's close() keeps in-memory databases open
        connection.connection.close()
        connection.connection = None
    del connections["replica"]  # the next use makes a new connection from the settings


@pytest.fixture
def mirror(replica_alias, settings, monkeypatch):
    """The real data, committed, and the router and its middleware installed."""
    call_command("loaddata", "casco", verbosity=0)
    cache.delete(RECENT_WRITE_KEY)  # the load is no write a reader must wait for
    settings.DATABASE_ROUTERS = [ROUTER]
    if MIDDLEWARE not in settings.MIDDLEWARE:  # it is when the run has DATABASE_REPLICA_URL set
        settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    settings.REPLICA_PIN_SECONDS = 10
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)


@pytest.fixture
def broken_replica(mirror, replica_alias, monkeypatch):
    """The replica alias pointing at a database that cannot be reached."""
    name = (
        "/nonexistent-dir-for-tests/replica.sqlite3"
        if replica_alias["ENGINE"].endswith("sqlite3")
        else "casco_no_such_replica"
    )
    _close_replica()
    monkeypatch.setitem(replica_alias, "NAME", name)
    yield
    _close_replica()


with_replica = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


class Selects:
    """SELECT statements each connection ran while the block was open."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def __getitem__(self, alias):
        return [
            q["sql"] for q in self.contexts[alias].captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
        ]


def secretariat_api():
    user = User.objects.create_user("replica-secretariat", password="not-used-here-8812")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["committees"]))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='tests')[1]}")
    return client


@with_replica
@pytest.mark.parametrize("url", ["/", "/committees/", "/api/v1/groups/", "/api/v1/groups/iso-casco-wg-30/"])
def test_anonymous_pages_and_api_lists_are_read_from_the_replica(mirror, client, url):
    with Selects() as selects:
        response = client.get(url)
    assert response.status_code == 200
    assert selects["replica"], "the replica served the reads"
    assert selects["default"] == []


@with_replica
def test_a_write_reads_the_primary_and_the_writer_and_everyone_read_it_there(mirror):
    api = secretariat_api()
    with Selects() as selects:
        response = api.patch("/api/v1/groups/iso-casco-wg-30/", {"title": "Renamed on the primary"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Renamed on the primary"
    assert selects["default"] and selects["replica"] == []
    assert int(response.cookies[PIN_COOKIE]["max-age"]) == 10

    # Right after the write every reader reads the primary, a stranger without any cookie included.
    stranger = APIClient()
    with Selects() as selects:
        assert stranger.get("/api/v1/groups/iso-casco-wg-30/").status_code == 200
    assert selects["default"] and selects["replica"] == []

    # Once the window has passed, the stranger reads the replica again; the writer's cookie still pins it
    # until it expires in the browser (the test client does not expire cookies).
    cache.delete(RECENT_WRITE_KEY)
    with Selects() as selects:
        page = stranger.get("/api/v1/groups/iso-casco-wg-30/")
    assert b"Renamed on the primary" in page.content
    assert selects["replica"] and selects["default"] == []
    writer = APIClient()
    writer.cookies[PIN_COOKIE] = "1"
    with Selects() as selects:
        writer.get("/api/v1/groups/")
    assert selects["default"] and selects["replica"] == []


@with_replica
def test_signed_in_reads_use_the_primary(mirror):
    api = secretariat_api()
    with Selects() as selects:
        assert api.get("/api/v1/groups/").status_code == 200
    assert selects["default"] and selects["replica"] == []


@with_replica
def test_the_cache_stores_what_the_primary_rendered_after_a_write(mirror, settings, client):
    """The first anonymous read after a write fills the public cache for everyone: it must be
    rendered from the primary, not from a replica that may not have the write yet."""
    settings.PUBLIC_CACHE_SECONDS = 300
    url = "/api/v1/groups/iso-casco-wg-30/"
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    secretariat_api().patch("/api/v1/groups/iso-casco-wg-30/", {"title": "Cached after the write"}, format="json")
    with Selects() as selects:
        response = client.get(url)
    assert response["X-Cache"] == "miss" and b"Cached after the write" in response.content
    assert selects["default"] and selects["replica"] == []
    cache.delete(RECENT_WRITE_KEY)
    with Selects() as selects:
        assert client.get(url)["X-Cache"] == "hit"
    assert selects["replica"] == []
    assert len(selects["default"]) == 1 and "version" in selects["default"][0]  # the data version alone


@with_replica
def test_only_an_explicit_transaction_in_a_get_pins_to_the_primary(mirror, settings, client):
    """ATOMIC_REQUESTS wraps every view in a transaction on the primary, GETs too; that one alone
    does not pin the request, a transaction the code opens itself does."""
    settings.ROOT_URLCONF = __name__
    for url in ("/where/", "/where-non-atomic/"):
        answer = client.get(url).json()
        assert answer["view"] == "replica" and answer["after"] == "replica"
        assert answer["explicit_transaction"] == "default"
    assert client.get("/where/").json()["in_request_transaction"] is True
    assert client.get("/where-non-atomic/").json()["in_request_transaction"] is False


@with_replica
def test_healthz_reports_the_replica(mirror, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["replica"]["ok"] is True
    if connections["default"].vendor == "postgresql":  # the mirror is no standby: no replay lag
        assert body["checks"]["replica"]["in_recovery"] is False


@with_replica
def test_an_unreachable_replica_degrades_to_the_primary(broken_replica, client, caplog):
    with CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/api/v1/groups/iso-casco-wg-30/")
    assert response.status_code == 200
    assert any(q["sql"].startswith("SELECT") for q in on_primary.captured_queries)
    assert connections["replica"].connection is None
    assert "read replica unavailable" in caplog.text
    assert db_router._replica_down_until > time.monotonic()  # not tried again for a while

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["replica"]["ok"] is False
    assert health.json()["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_degraded_when_the_replica_lags_beyond_the_pin_window(replica, client, monkeypatch):
    monkeypatch.setattr("casco_portal.health._check_replica", lambda: {"in_recovery": True, "lag_seconds": 42.0})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert "REPLICA_PIN_SECONDS" in response.json()["checks"]["replica"]["warning"]


# --- settings ------------------------------------------------------------------------------------


def _settings_with(env):
    script = (
        "import json, casco_portal.settings as s\n"
        "r = s.DATABASES.get('replica')\n"
        "print(json.dumps({'replica': r and {k: r.get(k) for k in ('ENGINE', 'NAME', 'CONN_MAX_AGE', "
        "'CONN_HEALTH_CHECKS', 'ATOMIC_REQUESTS', 'TEST', 'OPTIONS')}, 'default_max_age': "
        "s.DATABASES['default']['CONN_MAX_AGE'], 'routers': getattr(s, 'DATABASE_ROUTERS', []), "
        "'first_middleware': s.MIDDLEWARE[0], 'pin': s.REPLICA_PIN_SECONDS}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "REPLICA_PIN_SECONDS")}
    result = subprocess.run(
        [sys.executable, "-c", script], env={**base, **env}, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_without_the_variable_change_nothing():
    loaded = _settings_with({})
    assert loaded["replica"] is None and loaded["routers"] == []
    assert loaded["first_middleware"] != MIDDLEWARE


def test_settings_with_the_variable_add_the_replica_the_router_and_the_middleware():
    loaded = _settings_with(
        {"DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5432/casco_portal", "REPLICA_PIN_SECONDS": "7"}
    )
    replica = loaded["replica"]
    assert replica["ENGINE"] == "django.db.backends.postgresql" and replica["NAME"] == "casco_portal"
    assert replica["CONN_MAX_AGE"] == loaded["default_max_age"] and replica["CONN_HEALTH_CHECKS"] is True
    assert not replica["ATOMIC_REQUESTS"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["connect_timeout"] == 3
    assert loaded["routers"] == [ROUTER]
    assert loaded["first_middleware"] == MIDDLEWARE
    assert loaded["pin"] == 7
