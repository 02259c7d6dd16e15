"""Error pages: under ``/api/`` a 404 or 500 is JSON (``{"detail": …}``, as the API's own errors
and its schema say), so a client of the API never gets an HTML page — e.g. for an address the
router does not match (``/api/v1/committees/a.b;c/``). Elsewhere Django's own views render
``templates/404.html`` and ``templates/500.html``. Neither ever shows a traceback.

A failed CSRF check (CSRF_FAILURE_VIEW) gets ``templates/403_csrf.html``, in the site's own style
and under the strict Content-Security-Policy: Django's own page styles itself inline, which the
policy blocks."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Not found: no such address in the API."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Server error: the request was not carried out."}, status=500)
    return defaults.server_error(request)


CSRF_API_MESSAGE = (
    "CSRF check failed: the form has expired or the CSRF cookie is missing. "
    "Load the form again (with cookies allowed for this site) and send it again."
)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (a page left open past a login or logout, cookies
    blocked, or a form on another site): 403 with a plain explanation and a way back to the form.
    The reason Django gives is shown only with DEBUG on. Under /api/ a client that does not ask
    for HTML gets JSON, as everywhere in the API."""
    if _is_api(request) and "text/html" not in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": CSRF_API_MESSAGE}, status=403)
    else:
        referer = request.headers.get("Referer", "")
        same_site = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        context = {
            "form_url": referer if same_site else request.get_full_path(),
            "reason": reason if settings.DEBUG else "",
        }
        response = render(request, "403_csrf.html", context, status=403)
    add_never_cache_headers(response)
    return response
