from django.urls import path

from core.views import redirect_to_slug
from liaisons import views
from liaisons.models import Organization

app_name = "liaisons"

urlpatterns = [
    path("liaisons/", views.LiaisonListView.as_view(), name="list"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    # An organization typed by its acronym (/organizations/TIC Council) redirects to its slug.
    path(
        "organizations/<path:reference>", redirect_to_slug(Organization.objects.all()), name="organization-by-acronym"
    ),
]
