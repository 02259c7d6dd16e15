from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from casco_portal.health import healthz
from casco_portal.views import HomeView, SearchView, StructureView
from committees.models import Committee, Group
from committees.sitemaps import CommitteeSitemap, GroupSitemap, StandardSitemap
from core.sitemaps import PagesSitemap, robots_txt
from liaisons.models import CommitteeLiaison, Organization
from liaisons.sitemaps import OrganizationSitemap
from meetings.models import Meeting
from meetings.sitemaps import MeetingSitemap


class ListPagesSitemap(PagesSitemap):
    """Home, structure and the list pages, each with the models whose records it shows."""

    pages = [
        ("home", [Committee, Group, CommitteeLiaison, Organization, Meeting]),
        ("structure", [Committee, Group]),
        ("committees:list", [Committee]),
        ("committees:group-list", [Group]),
        ("liaisons:list", [CommitteeLiaison, Committee]),
        ("liaisons:organization-list", [Organization]),
        ("meetings:list", [Meeting]),
    ]


# Classes, not instances: the sitemap view builds a fresh one per request.
SITEMAPS = {
    "pages": ListPagesSitemap,
    "committees": CommitteeSitemap,
    "groups": GroupSitemap,
    "standards": StandardSitemap,
    "organizations": OrganizationSitemap,
    "meetings": MeetingSitemap,
}

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("structure/", StructureView.as_view(), name="structure"),
    path("search/", SearchView.as_view(), name="search"),
    path("", include("committees.urls")),
    path("", include("liaisons.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
    # DRF's session login for the browsable API (django-axes guards it like the admin login).
    path("api/v1/auth/", include("rest_framework.urls")),
    path("api/v1/", include("casco_portal.api")),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# JSON error answers under /api/, the HTML pages elsewhere (casco_portal/errors.py).
handler404 = "casco_portal.errors.page_not_found"
handler500 = "casco_portal.errors.server_error"
