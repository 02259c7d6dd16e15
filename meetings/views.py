"""Browsing pages for meetings, and the iCalendar feed."""

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.functional import cached_property

from core.links import view_url
from core.views import CountedPaginator, FilteredListView, PortalDetailView
from meetings.filters import MeetingFilter
from meetings.ical import calendar
from meetings.models import Meeting


class MeetingListView(FilteredListView):
    """Upcoming and past meetings. Most meetings are known by year only, so a meeting in the
    current year or later counts as upcoming. One list, ``paginate_by`` a page: the upcoming
    meetings soonest first, then the past ones newest first, so a page stays the same size however
    many years of meetings are recorded; each section's heading counts all of its meetings. The
    CSV export has them all, in the same order."""

    template_name = "meetings/meeting_list.html"
    filterset_class = MeetingFilter
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
        return Meeting.objects.for_cards().upcoming_first(self.this_year)

    @cached_property
    def this_year(self):
        return timezone.now().year

    def get_breadcrumbs(self):
        return [("Meetings", None)]

    def get_paginator(self, queryset, per_page, **kwargs):
        """The two section counts (one query, for the headings) add up to the paginator's count."""
        self.counts = queryset.timing_counts(self.this_year) if self.form_valid else {"upcoming": 0, "past": 0}
        return CountedPaginator(queryset, per_page, count=self.counts["upcoming"] + self.counts["past"], **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.this_year
        meetings = list(context["object_list"])
        page = context["page_obj"]
        upcoming = [m for m in meetings if m.year >= year]
        past = [m for m in meetings if m.year < year]
        context.update(
            this_year=year,
            counts=self.counts,
            upcoming=upcoming,
            past=past,
            # The upcoming section heads the first page (saying so when there is none); the past one
            # shows where its meetings are, or on the last page when there are none.
            show_upcoming=bool(upcoming) or page.number == 1,
            show_past=bool(past) or (not page.has_next() and not self.counts["past"]),
            upcoming_elsewhere=bool(self.counts["upcoming"]) and not upcoming and page.number > 1,
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
        site_domain=settings.SITE_DOMAIN,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="casco-meetings.ics"'
    return response
