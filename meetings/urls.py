from django.urls import path

from core.views import redirect_to_slug
from meetings import views
from meetings.models import Meeting

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/calendar.ics", views.calendar_feed, name="calendar"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("meetings/<path:reference>", redirect_to_slug(Meeting.objects.all()), name="by-title"),
]
