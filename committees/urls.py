from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("committees/<slug:slug>/", views.CommitteeDetailView.as_view(), name="detail"),
    path("groups/<slug:slug>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("standards/<slug:slug>/", views.StandardDetailView.as_view(), name="standard-detail"),
]
