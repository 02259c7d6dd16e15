"""The portal's URLs plus two trivial views that the benchmarks measure as baselines. Mounted only
through ``benchmarks.settings``, never in production.

- ``/_ping``: a constant small response through the full middleware stack, the framework's own
  ceiling, measured beside the pages by ``benchmarks/load.py``.
- ``/api/v1/_ping/``: a Django JSON view (no database, no DRF), measured beside the API by
  ``benchmarks/api_benchmark.py``."""

from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from casco_portal.urls import handler404, handler500

__all__ = ["handler404", "handler500", "urlpatterns"]


def ping(request):
    """A constant small response: ``ok``, as plain text."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def api_ping(request):
    """A constant JSON answer, ``{"status": "ok"}``: not part of the API."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("_ping", ping, name="ping"),
    path("api/v1/_ping/", api_ping, name="api-ping"),
    path("", include("casco_portal.urls")),
]
