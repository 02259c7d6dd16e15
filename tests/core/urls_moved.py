"""The portal's URLs under /moved/, for tests/core/test_links.py."""

from django.urls import include, path

urlpatterns = [path("moved/", include("casco_portal.urls"))]
