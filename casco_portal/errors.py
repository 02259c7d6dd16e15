"""Error pages: under ``/api/`` a 404 or 500 is JSON (``{"detail": …}``, as the API's own errors
and its schema say), so a client of the API never gets an HTML page — e.g. for an address the
router does not match (``/api/v1/committees/a.b;c/``). Elsewhere Django's own views render
``templates/404.html`` and ``templates/500.html``. Neither ever shows a traceback."""

from django.http import JsonResponse
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
