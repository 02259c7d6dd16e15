"""Filter form for the meetings page (the API's FilterSets live in filters.py)."""

from django import forms

from committees.page_filters import choice_field, text_field
from meetings.models import MeetingKind


class MeetingFilterForm(forms.Form):
    kind = choice_field("Kind", MeetingKind.choices, "All kinds")
    q = text_field("Title, host or country contains")

    def apply(self, queryset, data):
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset
