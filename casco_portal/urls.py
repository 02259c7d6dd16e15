from django.contrib import admin
from django.urls import include, path

from casco_portal.health import healthz, ping
from committees.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("committees.urls")),
    path("", include("liaisons.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
    # DRF's session login for the browsable API (django-axes guards it like the admin login).
    path("api/v1/auth/", include("rest_framework.urls")),
    path("api/v1/", include("casco_portal.api")),
    path("healthz", healthz, name="healthz"),
    path("_ping", ping, name="ping"),
]

# JSON error answers under /api/, the HTML pages elsewhere (casco_portal/errors.py).
handler404 = "casco_portal.errors.page_not_found"
handler500 = "casco_portal.errors.server_error"
