"""`/healthz`: is this app server able to serve? 200 when the database (and the cache, where
one is configured) answers, 503 otherwise, with a JSON body saying which check failed."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


def _check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


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
    results, healthy = {}, True
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # any failure means "not healthy"; say which and why
            healthy = False
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results}, status=200 if healthy else 503
    )


def ping(request):
    """A constant small response through the full middleware stack: the framework's own
    ceiling, measured beside the real pages by benchmarks/load.py."""
    return HttpResponse("ok\n", content_type="text/plain")
