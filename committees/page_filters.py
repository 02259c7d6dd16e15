"""Filter forms for the browsing pages (GET forms; the API's FilterSets live in filters.py).

Each form validates the query string and applies it through QuerySet methods, so a bad value
becomes a form message on a 400 page rather than an error."""

from django import forms

from committees.models import Body, CommitteeKind, GroupKind
from core.views import MAX_QUERY_LENGTH


def text_field(label="Contains"):
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def choice_field(label, choices, empty="Any"):
    return forms.ChoiceField(label=label, required=False, choices=[("", empty), *choices])


class GroupFilterForm(forms.Form):
    kind = choice_field("Type", GroupKind.choices, "All types")
    q = text_field("Reference or title contains")

    def apply(self, queryset, data):
        if data.get("kind"):
            queryset = queryset.of_kind(data["kind"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset


class CommitteeFilterForm(forms.Form):
    body = choice_field("Body", Body.choices, "All bodies")
    kind = choice_field("Kind", CommitteeKind.choices, "All kinds")
    q = text_field("Reference or title contains")

    def apply(self, queryset, data):
        if data.get("body"):
            queryset = queryset.of_body(data["body"])
        if data.get("kind"):
            queryset = queryset.of_kind(data["kind"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset
