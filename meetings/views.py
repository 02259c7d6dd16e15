"""Browsing pages for meetings, and the iCalendar feed."""

from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from committees.links import view_url
from committees.pages import FilteredListView, PortalDetailView

from .ical import calendar
from .models import Meeting
from .page_filters import MeetingFilterForm


class MeetingListView(FilteredListView):
    """Upcoming and past meetings. Most meetings are known by year only, so a meeting in the
    current year or later counts as upcoming."""

    template_name = "meetings/meeting_list.html"
    filter_form_class = MeetingFilterForm
    csv_name = "meetings"
    paginate_by = None
    csv_columns = (
        ("title", lambda m: m.title),
        ("kind", lambda m: m.get_kind_display()),
        ("year", lambda m: m.year),
        ("start date", lambda m: m.start_date.isoformat() if m.start_date else ""),
        ("end date", lambda m: m.end_date.isoformat() if m.end_date else ""),
        ("host", lambda m: m.host.acronym if m.host else ""),
        ("country", lambda m: m.country),
        ("venue", lambda m: m.venue),
    )

    def get_base_queryset(self):
        return Meeting.objects.for_list()

    def filter_queryset(self, queryset, filters):
        return self.form.apply(queryset, filters)

    def get_breadcrumbs(self):
        return [("Meetings", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = timezone.now().year
        meetings = list(context["object_list"])
        context.update(
            this_year=year,
            upcoming=sorted(
                (m for m in meetings if m.year >= year),
                key=lambda m: (m.year, m.start_date is None, m.start_date or 0, m.title),
            ),
            past=[m for m in meetings if m.year < year],
        )
        return context


class MeetingDetailView(PortalDetailView):
    template_name = "meetings/meeting_detail.html"

    def get_queryset(self):
        return Meeting.objects.for_detail()

    def get_breadcrumbs(self):
        return [("Meetings", view_url("meetings:list")), (self.object.title, None)]


def calendar_feed(request):
    """All meetings as an iCalendar file calendar programs can subscribe to."""
    meetings = Meeting.objects.for_calendar().order_by("year", F("start_date").asc(nulls_last=True), "slug")
    site = request.build_absolute_uri("/").removesuffix("/")  # the scheme and host, worked out once
    body = calendar(
        meetings,
        url_for=lambda meeting: f"{site}{iri_to_uri(meeting.get_absolute_url())}",
        host_name=request.get_host().split(":")[0] or "casco-portal",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="casco-meetings.ics"'
    return response
