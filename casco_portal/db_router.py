"""An optional PostgreSQL read replica (`DATABASE_REPLICA_URL`), used without ever showing a
reader data older than a write it could know about.

Writes, migrations and every read that needs the latest data go to the primary ("default"). The
replica ("replica") serves the reads of anonymous GET/HEAD/OPTIONS requests — the public pages and
the public API, i.e. what the whole-response cache misses — unless one of these pins the request
(or a single read) to the primary:

- the method is unsafe (POST, PUT, PATCH, DELETE): the view reads what it is about to change, and
  re-reads what it just wrote (the API answers a write with the stored record);
- the path is under /admin/ (change forms carry the record's `updated_at` for the concurrent-edit
  check, which must not be read from a lagging copy);
- the client brings credentials (an `Authorization` header or a session cookie): signed-in users
  and API tokens belong to the Secretariat, the only ones who write. They always read what they
  wrote, even a token script that keeps no cookie;
- the client wrote within the last REPLICA_PIN_SECONDS (the `primary_pin` cookie, set on the
  answer to every successful unsafe request — it still counts after logging out);
- anyone wrote a portal record within the last REPLICA_PIN_SECONDS (a marker in the shared
  cache, set at a transaction's first write and again as it commits; from the web, the importer
  or a shell alike). While the cache cannot be read, and for REPLICA_PIN_SECONDS after this
  process last saw it fail (a write in that time may have set no marker), every reader counts as
  pinned. This is what keeps the public response cache honest: every write moves the data version
  on as it commits (casco_portal/cache.py), and the first anonymous reader after it re-renders the
  page and stores it for PUBLIC_CACHE_SECONDS. Rendered from a replica that has not replayed the
  write yet, the old page would be stored under the new version. So right after a write everyone
  reads the primary — as if there were no replica — and writes are rare. (A transaction that runs
  longer than REPLICA_PIN_SECONDS leaves a gap of the few microseconds between its commit and
  its on-commit marker: load imports before the replica takes traffic, as for `loaddata` below;)
- this request already wrote (a GET that saves something reads on from the primary);
- the read runs inside a transaction opened on the primary other than the request's own
  ATOMIC_REQUESTS block (which wraps every view, GET included, so it alone proves nothing);
- the replica cannot be reached: the request reads the primary, and the replica is not tried
  again for REPLICA_RETRY_SECONDS (a warning is logged; /healthz reports "degraded").

Reads of sessions, users, groups, permissions, login attempts (axes), API tokens and the admin
log always go to the primary, whatever the request, so logins, logouts, lockouts and token
revocations take effect at once. Reads outside a web request (management commands, the importer,
a shell) go to the primary too: nothing tells whether they must see a write just made.

The pin window assumes the replica replays a commit within REPLICA_PIN_SECONDS; /healthz shows the
replay lag on PostgreSQL. README "Deploying" says what to watch.
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "primary_pin"
RECENT_WRITE_KEY = "portal:replica:recent-write"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Sessions, users and their groups/permissions, login attempts, API tokens, the admin log.
ALWAYS_PRIMARY_APPS = frozenset({"sessions", "auth", "axes", "api_tokens", "admin"})


def pin_seconds() -> int:
    return getattr(settings, "REPLICA_PIN_SECONDS", 10)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@dataclass
class RequestState:
    """What the router knows about the web request being served (one per request)."""

    pin_reason: str | None  # why the whole request reads the primary, if it does
    base_depth: int  # atomic blocks open on the primary when the request came in
    view_depth: int  # ... and while its view runs (one more with ATOMIC_REQUESTS)
    wrote: bool = False
    lazy_reason: str | None = None  # recent write anywhere / replica down: decided at first read
    lazy_decided: bool = False

    def primary_reason(self) -> str | None:
        if self.pin_reason or self.wrote:
            return self.pin_reason or "this request wrote"
        if _open_atomic_blocks() > self.view_depth:
            return "inside a transaction on the primary"
        if not self.lazy_decided:
            self.lazy_reason = _recent_write_or_replica_down()
            self.lazy_decided = True
        return self.lazy_reason


_request_state: ContextVar[RequestState | None] = ContextVar("casco_replica_request", default=None)


def _open_atomic_blocks() -> int:
    """Atomic blocks open on the primary, not counting the ones Django's TestCase wraps each test
    in (they are no transaction of the code under test)."""
    return sum(1 for block in connections[PRIMARY].atomic_blocks if not block._from_testcase)


def _inside_testcase() -> bool:
    """Inside a Django TestCase the data lives in a transaction the replica connection (a test
    mirror of the same database) cannot see, so reads stay on the primary there."""
    return any(block._from_testcase for block in connections[PRIMARY].atomic_blocks)


# --- a write anywhere pins everyone to the primary for REPLICA_PIN_SECONDS ---------------------


def mark_recent_write():
    try:
        cache.set(RECENT_WRITE_KEY, 1, timeout=pin_seconds())
    except Exception:  # a write must not fail for want of the marker; say so
        logger.warning("could not mark a recent write in the cache", exc_info=True)


def recent_write() -> bool:
    """Whether anyone wrote within the pin window. When the cache cannot tell (Redis down, or
    down within the last REPLICA_PIN_SECONDS, when a write may have set no marker), the answer is
    yes: the primary is always right."""
    from casco_portal.redis_cache import seconds_since_last_fault

    try:
        marked = getattr(cache, "strict_get", cache.get)(RECENT_WRITE_KEY) is not None
    except Exception:
        logger.warning("could not read the recent-write marker from the cache", exc_info=True)
        return True
    return marked or seconds_since_last_fault() < pin_seconds()


def _note_write():
    """Called before each write to the primary (the router is asked first). The marker is set now,
    before the write commits, and — inside a transaction — again when it commits (registered once
    per transaction), so the window runs from the commit: the data version moves on inside the
    transaction (casco_portal/cache.py) and becomes visible at the commit, already covered."""
    connection = connections[PRIMARY]
    if not connection.in_atomic_block:
        mark_recent_write()
    elif not any(entry[1] is mark_recent_write for entry in connection.run_on_commit):
        mark_recent_write()
        transaction.on_commit(mark_recent_write, using=PRIMARY)


# --- the replica may be down: then read the primary, and retry it later -------------------------

_replica_down_until = 0.0


def replica_available() -> bool:
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        retry = getattr(settings, "REPLICA_RETRY_SECONDS", 10)
        _replica_down_until = time.monotonic() + retry
        logger.warning("read replica unavailable, reading from the primary for %ss: %s", retry, error)
        return False
    return True


def _recent_write_or_replica_down() -> str | None:
    if recent_write():
        return "a write within the pin window"
    if not replica_available():
        return "replica unavailable"
    return None


# --- the router and the middleware ---------------------------------------------------------------


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry, installed by settings only when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        return REPLICA if self.read_from_replica(model, **hints) else PRIMARY

    def read_from_replica(self, model, **hints) -> bool:
        if not replica_configured() or model._meta.app_label in ALWAYS_PRIMARY_APPS:
            return False
        instance = hints.get("instance")
        if instance is not None and instance._state.db == PRIMARY:
            return False  # related rows of a record read from the primary come from it too
        state = _request_state.get()
        if state is None or _inside_testcase():
            return False
        return state.primary_reason() is None

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in ALWAYS_PRIMARY_APPS:
            state = _request_state.get()
            if state is not None:
                state.wrote = True
            _note_write()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """Tells the router about the request (first in MIDDLEWARE, so it wraps everything) and sets
    the `primary_pin` cookie on the answer to a successful unsafe request."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def pin_reason(request) -> str | None:
        if request.method not in SAFE_METHODS:
            return "unsafe method"
        if request.path.startswith("/admin/"):
            return "admin"
        if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return "credentials"
        if PIN_COOKIE in request.COOKIES:
            return "pin cookie"
        return None

    def __call__(self, request):
        depth = _open_atomic_blocks()
        state = RequestState(pin_reason=self.pin_reason(request), base_depth=depth, view_depth=depth)
        token = _request_state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request_state.reset(token)
        unsafe_and_done = request.method not in SAFE_METHODS and response.status_code < 400
        if unsafe_and_done or state.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """With ATOMIC_REQUESTS Django opens one atomic block on the primary around the view (GET
        included), unless the view is marked non_atomic_requests: that block is the request's own."""
        state = _request_state.get()
        if state is not None:
            wrapped = connections.settings[PRIMARY]["ATOMIC_REQUESTS"] and PRIMARY not in getattr(
                view_func, "_non_atomic_requests", set()
            )
            state.view_depth = state.base_depth + (1 if wrapped else 0)
        return None
