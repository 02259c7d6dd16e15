"""`/healthz`: can this app server serve? A JSON answer in every case.

- 503 `"unavailable"` when the database cannot be reached: nothing but already-cached pages can
  be served, so the load balancer should stop sending traffic here.
- 200 `"degraded"` when only something optional fails: Redis (the portal then serves everything
  uncached, casco_portal/redis_cache.py) or a read replica (reads then go to the primary,
  casco_portal/db_router.py), or the replica's replay lag on PostgreSQL is beyond
  REPLICA_PIN_SECONDS. Monitoring should alert on it; the balancer should not drop the server
  for it (Redis and the replica are shared: dropping every server would turn a slower portal into
  none).
- 200 `"ok"` otherwise.

The view is exempt from ATOMIC_REQUESTS (which would open a transaction, and so a connection,
before it runs and turn an unreachable database into a 500 page), and it checks Redis directly
with the client's short timeouts, reporting this process's cache fault counters alongside."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from casco_portal.db_router import REPLICA, pin_seconds, replica_configured

# On a PostgreSQL standby: seconds its replay is behind what it has received (0 when caught up).
REPLICA_LAG_SQL = """
    SELECT pg_is_in_recovery(),
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


def _check_database():
    connection = connections["default"]
    try:
        connection.close_if_health_check_failed()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Drop the broken connection now, so the next request connects afresh and recovery is
        # seen as soon as the database is back.
        connection.close()
        raise


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
    """Redis answers a PING (with the client's timeouts). The counters are this process's cache
    faults since it started (casco_portal/redis_cache.py)."""
    from casco_portal.redis_cache import fault_stats

    ping = getattr(cache, "ping", None)
    try:
        if ping is not None:
            ping()
        else:
            cache.set("portal:healthz", "ok", 10)
            if cache.get("portal:healthz") != "ok":
                raise RuntimeError("the cache did not return what was stored")
    except Exception as error:
        raise CheckFailed(error, fault_stats()) from error
    return fault_stats()


class CheckFailed(Exception):
    """A check's failure with details to report beside the error."""

    def __init__(self, error, details):
        super().__init__(str(error))
        self.error = error
        self.details = details


@never_cache
@transaction.non_atomic_requests
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
        except Exception as error:  # any failure: say which and why
            if name == "database":
                healthy = False
            else:
                degraded = True
            details = {}
            if isinstance(error, CheckFailed):
                error, details = error.error, error.details
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300], **details}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2), **details}
            if (details.get("lag_seconds") or 0) > pin_seconds():
                degraded = True
                results[name]["warning"] = f"replay lag beyond REPLICA_PIN_SECONDS ({pin_seconds()} s)"
    status = "unavailable" if not healthy else "degraded" if degraded else "ok"
    return JsonResponse({"status": status, "checks": results}, status=200 if healthy else 503)
