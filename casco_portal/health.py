"""`/healthz`: is this app server able to serve? 200 when the database (and the cache, where
one is configured) answers, 503 otherwise, with a JSON body saying which check failed.

A read replica, where one is configured, is reported but does not make the answer 503: without it
the portal reads everything from the primary (casco_portal/db_router.py), so the server can still
serve. Its failure — or, on PostgreSQL, a replay lag beyond REPLICA_PIN_SECONDS — makes the status
"degraded" (still 200); monitoring should alert on that, the load balancer should not drop the
server for it (the replica is shared: dropping every server would turn a slower portal into none)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from casco_portal.db_router import REPLICA, pin_seconds, replica_configured

# On a PostgreSQL standby: seconds its replay is behind what it has received (0 when caught up).
REPLICA_LAG_SQL = """
    SELECT pg_is_in_recovery(),
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


def _check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_replica():
    connection = connections[REPLICA]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
        if connection.vendor != "postgresql":
            return {}
        cursor.execute(REPLICA_LAG_SQL)
        in_recovery, lag = cursor.fetchone()
    return {"in_recovery": in_recovery, "lag_seconds": None if lag is None else round(float(lag), 3)}


def _check_cache():
    key = "portal:healthz"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")


@never_cache
def healthz(request):
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["cache"] = _check_cache
    if replica_configured():
        checks["replica"] = _check_replica
    results, healthy, degraded = {}, True, False
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            details = check() or {}
        except Exception as error:  # any failure means "not healthy"; say which and why
            if name == "replica":
                degraded = True
            else:
                healthy = False
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2), **details}
            if (details.get("lag_seconds") or 0) > pin_seconds():
                degraded = True
                results[name]["warning"] = f"replay lag beyond REPLICA_PIN_SECONDS ({pin_seconds()} s)"
    status = "unavailable" if not healthy else "degraded" if degraded else "ok"
    return JsonResponse({"status": status, "checks": results}, status=200 if healthy else 503)


def ping(request):
    """A constant small response through the full middleware stack: the framework's own
    ceiling, measured beside the real pages by benchmarks/load.py."""
    return HttpResponse("ok\n", content_type="text/plain")
