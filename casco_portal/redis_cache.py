"""The Redis cache backend: django-redis, made to degrade instead of fail.

Redis holds only the cache, so losing it must cost speed, never answers. Every cache operation the
portal and its libraries use (the public response cache, DRF's throttle, the replica-pin marker,
the data-version mirror) goes through this backend. When Redis refuses, times out or errs, the
operation answers as an empty cache would (a read misses, a write is dropped, `incr` raises
ValueError as for a missing key), a warning is logged and a per-process counter goes up
(`fault_stats()`, shown by /healthz).

A hanging Redis costs at most the socket timeouts set in settings (CACHES OPTIONS
SOCKET_CONNECT_TIMEOUT / SOCKET_TIMEOUT): after a failure the process stops asking Redis for
CACHE_RETRY_SECONDS, answering every operation at once as above, then tries again. /healthz
always asks Redis (with the same timeouts) and, when it answers, ends that pause at once.

Correctness never depends on Redis: the data version that keys the response cache lives in the
database (casco_portal/cache.py), so whatever Redis lost, kept or missed while it was away, a page
cached before a write is never served after it.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FAULTS = (RedisError, ConnectionInterrupted, OSError)

_lock = threading.Lock()
_state = {"failures": 0, "skipped": 0, "last_error": "", "down_until": 0.0, "failed_at": float("-inf")}


class CacheUnavailable(Exception):
    """Raised by `FaultTolerantRedisCache.strict_get` when Redis cannot answer."""


def fault_stats() -> dict:
    """This process's counters: operations that failed, operations skipped during a pause, the
    last error, and whether the process is pausing its use of Redis now."""
    with _lock:
        return {
            "failures": _state["failures"],
            "skipped": _state["skipped"],
            "last_error": _state["last_error"],
            "paused": time.monotonic() < _state["down_until"],
        }


def seconds_since_last_fault() -> float:
    """Seconds since this process last saw Redis fail (infinity if it never did)."""
    return time.monotonic() - _state["failed_at"]


def _retry_seconds() -> float:
    return getattr(settings, "CACHE_RETRY_SECONDS", 2)


def _paused() -> bool:
    if time.monotonic() < _state["down_until"]:
        with _lock:
            _state["skipped"] += 1
        return True
    return False


def _failed(operation: str, error: BaseException):
    detail = f"{type(error.__cause__ or error).__name__}: {error.__cause__ or error}"[:300]
    with _lock:
        _state["failures"] += 1
        _state["last_error"] = detail
        _state["failed_at"] = time.monotonic()
        _state["down_until"] = _state["failed_at"] + _retry_seconds()
    logger.warning(
        "cache unavailable (%s failed: %s); serving uncached, next try in %ss", operation, detail, _retry_seconds()
    )


def _recovered():
    with _lock:
        was_down = _state["down_until"] > 0
        _state["down_until"] = 0.0
    if was_down:
        logger.warning("cache reachable again")


def _tolerant(fallback):
    """Wrap a cache method: on a Redis fault (or during the pause after one) return `fallback`
    (called with the method's arguments when it is callable)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if _paused():
                return fallback(*args, **kwargs) if callable(fallback) else fallback
            try:
                result = method(self, *args, **kwargs)
            except FAULTS as error:
                _failed(method.__name__, error)
                return fallback(*args, **kwargs) if callable(fallback) else fallback
            if _state["down_until"]:
                _recovered()
            return result

        return wrapper

    return decorate


def _missing(*args, **kwargs):
    raise ValueError("the cache is unavailable")


def _default(key, default=None, *args, **kwargs):
    return default


class FaultTolerantRedisCache(RedisCache):
    """django-redis's RedisCache whose operations degrade as the module docstring says."""

    get = _tolerant(_default)(RedisCache.get)
    get_many = _tolerant({})(RedisCache.get_many)
    set = _tolerant(False)(RedisCache.set)
    add = _tolerant(False)(RedisCache.add)
    set_many = _tolerant([])(RedisCache.set_many)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    touch = _tolerant(False)(RedisCache.touch)
    incr = _tolerant(_missing)(RedisCache.incr)
    decr = _tolerant(_missing)(RedisCache.decr)
    clear = _tolerant(None)(RedisCache.clear)

    def strict_get(self, key, default=None):
        """A read that says when Redis cannot answer (raises CacheUnavailable) instead of
        missing: for callers that must not mistake an outage for an absent key."""
        if _paused():
            raise CacheUnavailable(fault_stats()["last_error"] or "paused after a failure")
        try:
            return RedisCache.get(self, key, default)
        except FAULTS as error:
            _failed("get", error)
            raise CacheUnavailable(str(error)) from error

    def ping(self):
        """Ask Redis directly (ignoring the pause) and raise on any fault; a success ends the pause."""
        try:
            self.client.get_client(write=True).ping()
        except FAULTS as error:
            _failed("ping", error)
            raise
        _recovered()
