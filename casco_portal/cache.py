"""Whole-response caching of public reads, invalidated by every write.

Every cached response is keyed by a *data version* kept in the shared cache (Redis in
production). Any write to a portal model — from admin, the API, the importer or a shell — bumps
the version as part of the same request (on commit of its transaction), so the next read, on
this app server or any other sharing the cache, misses and renders fresh data: no reader sees
stale data after a write has returned.

Only anonymous GET/HEAD requests outside /admin/ are served from the cache, and only 200
responses that set no cookie are stored. Conditional requests (If-None-Match /
If-Modified-Since) are answered with 304 from the cached headers.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

VERSION_KEY = "portal:data-version"
PORTAL_APPS = {"committees", "liaisons", "meetings"}
STORED_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Content-Disposition", "Vary", "Allow")


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_data_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from what keys used
        cache.set(VERSION_KEY, data_version() + 1, timeout=None)


def _on_write(sender, **kwargs):
    """Bump now (so later reads in this transaction miss) and again on commit (so nothing another
    server cached while the transaction was open survives it)."""
    if sender._meta.app_label in PORTAL_APPS:
        bump_data_version()
        transaction.on_commit(bump_data_version)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"portal-cache-{signal!r}")


class PublicCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _cacheable_request(self, request):
        if not settings.PUBLIC_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(("/admin/", "/healthz")):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated) and "HTTP_AUTHORIZATION" not in request.META

    def _key(self, request):
        # Responses are never compressed on the fly here (whitenoise compresses only static files),
        # so Accept-Encoding does not change the body and is not part of the key.
        varying = "|".join(
            [
                request.get_full_path(),
                request.META.get("HTTP_ACCEPT", ""),
                request.get_host(),
                request.scheme,
            ]
        )
        digest = hashlib.sha256(varying.encode()).hexdigest()
        return f"portal:page:{data_version()}:{digest}"

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = self._key(request)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["X-Cache"] = "hit"
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=None,
                response=response,
            )
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
            cache.set(key, (response.status_code, headers, response.content), settings.PUBLIC_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response
