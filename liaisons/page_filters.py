"""Filter forms for the liaison and organization pages (the API's FilterSets live in filters.py)."""

from django import forms

from committees.models import Body
from committees.page_filters import choice_field, text_field
from liaisons.models import Category, Direction

# The table lists the liaisons one committee holds (CASCO's), so every row has the same
# committee_sort_key: leading with it changes no order, and lets a page of the reference sort be
# read from the liaisons' (committee_sort_key, liaison_committee_sort_key) index. Title and body
# ties go by the liaison committee's own sort key (the value liaison_committee_sort_key copies),
# so a page is read from the committees' (title, sort_key) or (body, sort_key) index; direction
# from the liaisons' (committee, direction, liaison_committee_sort_key) index.
LIAISON_SORTS = {
    "reference": ("committee_sort_key", "liaison_committee_sort_key"),
    "-reference": ("-committee_sort_key", "-liaison_committee_sort_key"),
    "title": ("liaison_committee__title", "liaison_committee__sort_key"),
    "-title": ("-liaison_committee__title", "liaison_committee__sort_key"),
    "body": ("liaison_committee__body", "liaison_committee__sort_key"),
    "-body": ("-liaison_committee__body", "liaison_committee__sort_key"),
    "direction": ("direction", "liaison_committee_sort_key"),
    "-direction": ("-direction", "liaison_committee_sort_key"),
}

DIRECTION_FILTER_LABELS = {
    Direction.INCOMING: "Can access CASCO's documents",
    Direction.OUTGOING: "CASCO can access theirs",
    Direction.BOTH: "Both directions",
}


class LiaisonFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label="Direction",
        required=False,
        choices=[("", "All liaison committees"), *DIRECTION_FILTER_LABELS.items()],
        widget=forms.RadioSelect,
    )
    body = choice_field("Body", Body.choices, "ISO, IEC and ISO/IEC")
    q = text_field("Reference or title contains")
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[("", "Reference"), *((key, key) for key in LIAISON_SORTS)]
    )

    def apply(self, queryset, data):
        if data.get("direction"):
            queryset = queryset.with_direction(data["direction"])
        if data.get("body"):
            queryset = queryset.of_body(data["body"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset.order_by(*LIAISON_SORTS[data.get("sort") or "reference"])


class OrganizationFilterForm(forms.Form):
    category = choice_field("Category", Category.choices, "All categories")
    q = text_field("Acronym or name contains")

    def apply(self, queryset, data):
        if data.get("category"):
            queryset = queryset.of_category(data["category"])
        if data.get("q"):
            queryset = queryset.search(data["q"])
        return queryset
