"""The FilterSets of the liaison committees and organizations lists (their pages and the API) and
of the API's organizations."""

import django_filters as filters
from django import forms

from committees.models import Body, Committee
from core.filters import PageField, PortalFilterSet, SearchTextFilter, ordering, slug_choice
from liaisons.models import Category, CommitteeLiaison, Direction, Organization, OrganizationLiaison

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

COMMITTEES = Committee.objects.all()


class StrictBooleanField(forms.NullBooleanField):
    """``true`` or ``false``, as the schema says (a JSON boolean in a query); anything else is an
    error. Django's NullBooleanField reads an unknown value as "not given", so
    ``?in_liaison=yes please`` listed every organization instead of answering 400."""

    widget = forms.TextInput  # the raw text: NullBooleanSelect reads "1", "True" or "yes" itself

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value == "true":
            return True
        if value == "false":
            return False
        raise forms.ValidationError("Enter true or false (in lower case).", code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class LiaisonSortFilter(filters.ChoiceFilter):
    """The liaison committees page's ``?sort=`` (a column, ``-`` to reverse); without one, by
    reference (``LIAISON_SORTS``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=[(key, key) for key in LIAISON_SORTS], **kwargs)

    def filter(self, qs, value):
        return qs.order_by(*LIAISON_SORTS[value or "reference"])


class CommitteeLiaisonFilter(PortalFilterSet):
    direction = filters.ChoiceFilter(
        choices=Direction.choices,
        method="filter_direction",
        label="incoming: can access CASCO's documents (includes both); outgoing: CASCO can access theirs "
        "(includes both); both: on both lists.",
    )
    committee = slug_choice("committee", COMMITTEES, "The committee holding the liaison, e.g. iso-casco.")
    liaison_committee = slug_choice("liaison_committee", COMMITTEES, "The committee in liaison, e.g. iso-tc-207.")
    ordering = ordering(
        # The joined committee's key, not the liaison's copy: PostgreSQL walks the committees'
        # sort_key index for a page, where the copy alone has no index and every row is sorted.
        ("liaison_committee__sort_key", "liaison_committee"),
        ("direction", "direction"),
        ("updated_at", "updated_at"),
        label="Sort by the liaison committee's reference (natural order), direction or updated_at; "
        "prefix - to reverse.",
    )

    # The page's own filters: the liaison committee's body, the text and the column sorted by.
    body = filters.ChoiceFilter(field_name="liaison_committee__body", choices=Body.choices)
    q = SearchTextFilter("Reference or title contains")
    sort = LiaisonSortFilter(label="Sort by", empty_label="Reference")

    page_only = ("body", "q", "sort")
    page_fields = {
        "direction": PageField(
            "Direction",
            empty_label="All liaison committees",
            choice_labels=DIRECTION_FILTER_LABELS,
            widget=forms.RadioSelect,
        ),
        "body": PageField("Body", empty_label="ISO, IEC and ISO/IEC"),
        "q": None,
        "sort": None,
    }

    class Meta:
        model = CommitteeLiaison
        fields = ["direction", "committee", "liaison_committee"]

    def filter_direction(self, queryset, name, value):
        return queryset.with_direction(value)


class OrganizationFilter(PortalFilterSet):
    category = filters.ChoiceFilter(
        choices=Category.choices, method="filter_category", label="Organizations in liaison in this category."
    )
    in_liaison = StrictBooleanFilter(method="filter_in_liaison", label="Only organizations in liaison (true).")
    ordering = ordering(
        ("sort_key", "acronym"),
        ("name", "name"),
        ("updated_at", "updated_at"),
        label="Sort by acronym, name or updated_at; prefix - to reverse.",
    )

    class Meta:
        model = Organization
        fields = ["category", "in_liaison"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(pk__in=OrganizationLiaison.objects.of_category(value).values("organization"))

    def filter_in_liaison(self, queryset, name, value):
        in_liaison = Organization.objects.in_liaison().values("pk")
        return queryset.filter(pk__in=in_liaison) if value else queryset.exclude(pk__in=in_liaison)


class OrganizationLiaisonFilter(PortalFilterSet):
    category = filters.ChoiceFilter(choices=Category.choices, label="Category A, B or C.")
    committee = slug_choice("committee", COMMITTEES, "The committee, e.g. iso-casco.")
    organization = slug_choice("organization", Organization.objects.all(), "The organization's slug, e.g. iaf.")
    ordering = ordering(
        ("category", "category"),
        ("organization_sort_key", "organization"),
        ("updated_at", "updated_at"),
        label="Sort by category, organization acronym or updated_at; prefix - to reverse.",
    )

    q = SearchTextFilter("Acronym, name, description or country contains")

    page_only = ("q",)
    page_fields = {"category": PageField("Category", empty_label="All categories"), "q": None}

    class Meta:
        model = OrganizationLiaison
        fields = ["category", "committee", "organization"]
