"""The FilterSet of the meetings list (its page and the API)."""

import django_filters as filters
from django import forms

from committees.models import Committee
from core.filters import PageField, PortalFilterSet, SearchTextFilter, ordering, slug_choice
from liaisons.models import Organization
from meetings.models import Meeting, MeetingKind


class YearFilter(filters.NumberFilter):
    """A whole number (NumberFilter alone takes decimals: ``?year=2019.5`` found nothing, not 400)."""

    field_class = forms.IntegerField


class MeetingFilter(PortalFilterSet):
    year = YearFilter(label="The year of the meeting.")
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label="plenary, workshop or meeting.")
    committee = slug_choice("committee", Committee.objects.all(), "The committee meeting, e.g. iso-casco.")
    host = slug_choice("host", Organization.objects.all(), "The host organization's slug, e.g. kebs.")
    ordering = ordering(
        ("year", "year"),
        ("start_date", "start_date"),
        ("title", "title"),
        ("updated_at", "updated_at"),
        label="Sort by year, start_date, title or updated_at; prefix - to reverse.",
    )

    q = SearchTextFilter("Title, host or country contains")

    page_only = ("q",)
    page_fields = {
        "kind": PageField("Kind", empty_label="All kinds"),
        "q": None,
    }

    class Meta:
        model = Meeting
        fields = ["year", "kind", "committee", "host"]
