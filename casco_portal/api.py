"""REST API v1, mounted at /api/v1/: the router, the OpenAPI schema and its interactive docs
(Swagger UI, served from the portal's own static files by drf-spectacular-sidecar)."""

from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from committees.api import CommitteeViewSet, GroupViewSet, StandardViewSet
from liaisons.api import CommitteeLiaisonViewSet, OrganizationLiaisonViewSet, OrganizationViewSet
from meetings.api import MeetingViewSet

app_name = "api"

router = DefaultRouter()
router.register("committees", CommitteeViewSet, basename="committee")
router.register("groups", GroupViewSet, basename="group")
router.register("committee-liaisons", CommitteeLiaisonViewSet, basename="committee-liaison")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("organization-liaisons", OrganizationLiaisonViewSet, basename="organization-liaison")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("standards", StandardViewSet, basename="standard")


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (docs/?script=), not inline,
    # so the docs run under the Content-Security-Policy without 'unsafe-inline'.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # ReDoc needs inline styles (styled-components), which the CSP forbids: its old address now
    # leads to Swagger UI, the one interactive docs page.
    path("redoc/", RedirectView.as_view(pattern_name="api:docs", permanent=True), name="redoc"),
    path("", include(router.urls)),
]
