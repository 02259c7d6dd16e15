"""Whole-response caching of public reads, invalidated by every write.

Every cached response is keyed by the *data version*, a number kept in one row of the database
(casco_portal.models.DataVersion). Any write to a portal record — from the admin, the API, the
importer, a shell, any process on any server — moves it on inside the write's own transaction, so
the new version becomes visible exactly when the data does: the next anonymous read, in any
process, misses and renders fresh data, and nothing cached before a write is served after it has
returned. Each cacheable request reads the version once (one primary-key read on the primary).

Where the version moves on: inside a transaction (ATOMIC_REQUESTS, admin saves, services, the
importer) before each portal row is written (pre_save / pre_delete / m2m pre_*), so every writer
takes the version row's lock before the first row it writes (writers queue on it until they
commit: portal writes are few; only rows a transaction locks with select_for_update before its
first write come before it), and a page rendered later in the same transaction is not stored under
a version the rest of it moves past; outside one (a bare `save()` in a shell) after the row is
written (post_save), since that write has already committed. Writes that send no signal (`bulk_create`,
`QuerySet.update`, raw SQL) must call `bump_data_version()` themselves, as
sources/synthetic.py does.

The cache itself may be local memory (per process: still right, as every process reads the one
version) or Redis (shared by every server, casco_portal/redis_cache.py: a Redis fault means a miss,
never an error). When the database cannot be read, hits are still served under the last version
known: the larger of this process's and a copy kept in Redis (written after each commit and by
readers that see a newer one). No write can commit while the database is unreachable, so that
version is current unless Redis was down when the last write committed and the database went down
before any reader saw it; with local memory only (no shared copy) nothing is served from the cache
then. A miss renders the page as usual, and is not stored.

Only anonymous GET/HEAD requests outside /admin/ are served from the cache, and only 200
responses that set no cookie are stored. Conditional requests (If-None-Match /
If-Modified-Since) are answered with 304 from the cached headers.
"""

import hashlib
import logging
import threading
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, Error, connections, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response

from core.registry import portal_app_labels

logger = logging.getLogger(__name__)

MIRROR_KEY = "portal:data-version"
STORED_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Content-Disposition", "Vary", "Allow")

_local = {"last": 0, "mirrored": 0}  # this process: the last version read, the last one copied to Redis
_local_lock = threading.Lock()
# The version read for the request being served (one read per request at most).
_request_version: ContextVar[tuple | None] = ContextVar("casco_data_version", default=None)


def _table():
    from casco_portal.models import DataVersion

    return DataVersion


def read_data_version(using=DEFAULT_DB_ALIAS):
    """(version, changed_at) as the database has it now; (0, None) before the first write.
    Raises django.db.Error when the database cannot be read."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {_table()._meta.db_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return 0, None
    version, changed_at = row
    if isinstance(changed_at, str):  # SQLite hands the column back as text
        changed_at = connection.ops.convert_datetimefield_value(changed_at, None, connection)
    with _local_lock:
        if version > _local["last"]:
            _local["last"] = version
    return version, changed_at


def data_version():
    """The current data version (read from the database)."""
    return read_data_version()[0]


def request_data_version():
    """The data version for the request being served: read once, then reused by the request."""
    known = _request_version.get()
    if known is None:
        known = read_data_version()
        _request_version.set(known)
    return known


def bump_data_version(using=DEFAULT_DB_ALIAS):
    """Move the version on (in the current transaction, if one is open)."""
    model = _table()
    now = timezone.now()
    if not model.objects.using(using).filter(pk=1).update(version=F("version") + 1, changed_at=now):
        # The first write ever, or the table was emptied (tests flush it): start from the clock
        # in milliseconds, so no version used before can come back.
        model.objects.using(using).get_or_create(
            pk=1, defaults={"version": int(now.timestamp() * 1000), "changed_at": now}
        )


def _after_commit():
    """Copy the committed version to Redis for the database-down fallback (best effort: readers
    copy it too)."""
    if not settings.REDIS_URL:
        return
    try:
        _mirror(read_data_version()[0])
    except Error:
        logger.warning("could not read the data version after a commit", exc_info=True)


def _mirror(version):
    if not settings.REDIS_URL or version <= _local["mirrored"]:
        return
    if cache.set(MIRROR_KEY, version, timeout=None) is not False:
        with _local_lock:
            _local["mirrored"] = max(_local["mirrored"], version)


def _on_write(sender, signal, **kwargs):
    if sender._meta.app_label not in portal_app_labels():
        return
    if signal is m2m_changed and kwargs.get("action", "").startswith("post_"):
        before = False
    else:
        before = signal in (pre_save, pre_delete, m2m_changed)
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    connection = connections[using]
    if connection.in_atomic_block:
        if before:
            bump_data_version(using)
            if not any(entry[1] is _after_commit for entry in connection.run_on_commit):
                transaction.on_commit(_after_commit, using=using)
    elif not before:
        bump_data_version(using)
        _after_commit()


def connect_signals():
    for signal in (pre_save, post_save, pre_delete, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"portal-cache-{signal!r}")


def _fallback_version():
    """The version to serve hits under when the database cannot be read (module docstring), or
    None when there is none to trust."""
    if not settings.REDIS_URL:
        return None
    mirrored = cache.get(MIRROR_KEY)
    best = max(_local["last"], mirrored or 0)
    return best or None


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

    def _key(self, request, version):
        # Bodies are stored uncompressed: SafeGZipMiddleware sits above this middleware and
        # compresses on the way out, so Accept-Encoding does not change what is stored here and is
        # not part of the key.
        varying = "|".join(
            [
                request.get_full_path(),
                request.META.get("HTTP_ACCEPT", ""),
                request.get_host(),
                request.scheme,
            ]
        )
        digest = hashlib.sha256(varying.encode()).hexdigest()
        return f"portal:page:{version}:{digest}"

    def __call__(self, request):
        token = _request_version.set(None)
        try:
            if not self._cacheable_request(request):
                return self.get_response(request)
            return self._cached(request)
        finally:
            _request_version.reset(token)

    def _cached(self, request):
        try:
            version = request_data_version()[0]
        except Error as error:
            # The database cannot be read: serve what the cache holds under the last version
            # known, store nothing (module docstring).
            logger.warning("data version unreadable, serving cached pages only: %s", error)
            connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
            version, store = _fallback_version(), False
        else:
            _mirror(version)
            store = True
        key = None if version is None else self._key(request, version)
        stored = cache.get(key) if key else None
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
            store
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
            cache.set(key, (response.status_code, headers, response.content), settings.PUBLIC_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response
