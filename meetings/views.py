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
    current year or later counts as upcoming. Upcoming meetings, soonest first, head the first
    page; past meetings, newest first, are paginated (``paginate_by`` a page), so the page stays
    the same size however many years of meetings are recorded. The CSV export has them all."""

    template_name = "meetings/meeting_list.html"
    filter_form_class = MeetingFilterForm
    csv_name = "meetings"
    paginate_by = 50
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
        year = timezone.now().year
        # The paginator pages the past meetings only (in the model's order: newest first).
        context = super().get_context_data(object_list=self.object_list.past(year), **kwargs)
        first_page = context["page_obj"].number == 1
        context.update(
            this_year=year,
            upcoming=list(self.object_list.upcoming(year).soonest_first()) if first_page else [],
            first_page=first_page,
            past=context["object_list"],
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
