"""django-filter FilterSet for the API's meetings."""

import django_filters as filters
from django import forms

from committees.filters import UpdatedSinceFilterSet, committee_by_slug, ordering
from liaisons.models import Organization
from meetings.models import Meeting, MeetingKind


class YearFilter(filters.NumberFilter):
    """A whole number (NumberFilter alone takes decimals: ``?year=2019.5`` found nothing, not 400)."""

    field_class = forms.IntegerField


class MeetingFilter(UpdatedSinceFilterSet):
    year = YearFilter(label="The year of the meeting.")
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label="plenary, workshop or meeting.")
    committee = committee_by_slug("committee", "The committee meeting, e.g. iso-casco.")
    host = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Organization.objects.all(), label="The host organization's slug, e.g. kebs."
    )
    ordering = ordering(
        ("year", "year"),
        ("start_date", "start_date"),
        ("title", "title"),
        ("updated_at", "updated_at"),
        label="Sort by year, start_date, title or updated_at; prefix - to reverse.",
    )

    class Meta:
        model = Meeting
        fields = ["year", "kind", "committee", "host"]
