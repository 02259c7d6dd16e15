from django.urls import path

from committees import views
from committees.models import Committee, Group, Standard
from core.views import redirect_to_slug

app_name = "committees"

urlpatterns = [
    path("committees/", views.CommitteeListView.as_view(), name="list"),
    path("committees/<slug:slug>/", views.CommitteeDetailView.as_view(), name="detail"),
    # A reference typed as published (/committees/ISO/TC 207/SC 2) redirects to its slug.
    path("committees/<path:reference>", redirect_to_slug(Committee.objects.all()), name="by-reference"),
    path("groups/", views.GroupListView.as_view(), name="group-list"),
    path("groups/<slug:slug>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("groups/<path:reference>", redirect_to_slug(Group.objects.all()), name="group-by-reference"),
    path("standards/<slug:slug>/", views.StandardDetailView.as_view(), name="standard-detail"),
    path("standards/<path:reference>", redirect_to_slug(Standard.objects.all()), name="standard-by-reference"),
    path("sources/<str:file_name>/", views.SourcePageView.as_view(), name="source-detail"),
]
