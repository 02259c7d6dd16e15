"""On-the-fly gzip of the responses where it is safe: public HTML, JSON, CSV, iCalendar, XML and
plain text sent to anonymous readers. Static files are not handled here: whitenoise serves them
precompressed before a request gets this far.

BREACH (and CRIME before it) recovers a secret from a compressed body when the same body also
reflects text the attacker chooses and the attacker can see the body's length. Search pages and
400 pages echo their query, so the rule is about secrets: a response is compressed only when it
cannot hold one —

- the request is a GET or HEAD from an anonymous reader: no session (``request.user`` is not
  authenticated) and no ``Authorization`` header (an API token), so nothing in the body belongs
  to a user;
- it is not under ``/admin/`` or the API's session login (``/api/v1/auth/``);
- no CSRF token was produced while it was rendered (``get_token()`` marks the request, even
  when no cookie follows, as with CSRF_USE_SESSIONS; the browsable API puts one in every page,
  the login forms in their form), and, as a second guard, the body holds no
  ``csrfmiddlewaretoken`` field;
- it sets no cookie (a session or CSRF cookie means the response is bound to one browser);
- its type is one of :data:`COMPRESSIBLE_TYPES`, it has no Content-Encoding yet, and it does not
  ask for ``Cache-Control: no-transform``.

Everything else — the admin, the login pages, forms with a CSRF token, the browsable API,
anything for a logged-in user or a token — goes out uncompressed, as before.

Compression is Django's (``compress_string`` / ``compress_sequence``, level 6, no timestamp) and
deterministic: Django's random gzip-header padding ("Heal The Breach") only blurs lengths, which
matters for bodies with secrets, and those are not compressed. Being deterministic, the gzip body
keeps a strong ETag of its own: ``"<etag>-gzip"`` (a different representation needs a different
strong validator, RFC 9110 section 8.8.3; Django's GZipMiddleware weakens the tag instead, which
would make ``If-Match`` with it fail, since If-Match compares strongly). On the way in the suffix
is taken off ``If-None-Match`` and ``If-Match``, so the page cache's 304s and the API's
``If-None-Match``/``If-Match`` (core/api/viewsets.py) see the tag they issued.

The middleware sits above the public page cache (casco_portal/cache.py), which therefore stores
and serves identity bodies whatever the Accept-Encoding; every response that may be compressed
says ``Vary: Accept-Encoding``, so a shared cache never hands a gzip body to a client that did not
ask for one."""

import re

from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_sequence, compress_string

COMPRESSIBLE_TYPES = {
    "text/html",
    "application/json",
    "text/csv",
    "text/calendar",
    "application/xml",
    "text/xml",
    "text/plain",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+json",
    "application/yaml",
}
NEVER_PREFIXES = ("/admin/", "/api/v1/auth/")
MIN_LENGTH = 200  # shorter bodies do not get smaller
SUFFIX = "-gzip"
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
GZIP_TAG = re.compile(r'((?:W/)?"[^"]*)' + re.escape(SUFFIX) + '"')


def strip_gzip_suffix(header):
    """``"abc-gzip"`` → ``"abc"`` in an If-None-Match / If-Match value (every tag in a list)."""
    return GZIP_TAG.sub(r'\1"', header)


def safe_request(request, response):
    """Whether the request and the response's headers say the body can hold no secret (see the
    module's docstring); the body itself is checked by :func:`safe_body`."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(NEVER_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)  # absent only if a middleware answered before auth ran
    if user is not None and user.is_authenticated:
        return False
    # get_token() puts CSRF_COOKIE_NEEDS_UPDATE in META; CsrfViewMiddleware sets it back to False
    # on the way out, so its presence, not its value, says a token was produced.
    return not ("CSRF_COOKIE_NEEDS_UPDATE" in request.META or response.cookies)


def safe_body(response):
    """Whether the body is of a type worth compressing, not compressed yet, and holds no CSRF field."""
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in COMPRESSIBLE_TYPES:
        return False
    if response.has_header("Content-Encoding") or "no-transform" in response.get("Cache-Control", ""):
        return False
    if response.streaming:
        return not response.is_async
    return b"csrfmiddlewaretoken" not in response.content


class SafeGZipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH"):
            if SUFFIX in request.META.get(name, ""):
                request.META[name] = strip_gzip_suffix(request.META[name])
        response = self.get_response(request)
        if not safe_request(request, response):
            return response
        accepts = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if response.status_code == 304:
            # No body: the ETag names the representation the client holds, the gzip one when it
            # accepts gzip (what a 200 would have sent it).
            if accepts and response.has_header("ETag"):
                self._tag(response)
                patch_vary_headers(response, ("Accept-Encoding",))
            return response
        if not safe_body(response) or (not response.streaming and len(response.content) < MIN_LENGTH):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not accepts:
            return response
        if response.streaming:
            response.streaming_content = compress_sequence(response.streaming_content)
            del response.headers["Content-Length"]
        else:
            compressed = compress_string(response.content)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        response.headers["Content-Encoding"] = "gzip"
        self._tag(response)
        return response

    @staticmethod
    def _tag(response):
        etag = response.get("ETag")
        if etag and etag.endswith('"') and not etag.endswith(f'{SUFFIX}"'):
            response.headers["ETag"] = f'{etag[:-1]}{SUFFIX}"'
