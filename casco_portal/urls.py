from django.contrib import admin
from django.urls import include, path

from committees.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("committees.urls")),
    path("", include("liaisons.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
]
