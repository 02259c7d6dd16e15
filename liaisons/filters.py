"""django-filter FilterSets for the API's committee liaisons, organizations and organization liaisons."""

import django_filters as filters
from django import forms

from committees.filters import UpdatedSinceFilterSet, committee_by_slug, ordering
from liaisons.models import Category, CommitteeLiaison, Direction, Organization, OrganizationLiaison


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


class CommitteeLiaisonFilter(UpdatedSinceFilterSet):
    direction = filters.ChoiceFilter(
        choices=Direction.choices,
        method="filter_direction",
        label="incoming: can access CASCO's documents (includes both); outgoing: CASCO can access theirs "
        "(includes both); both: on both lists.",
    )
    committee = committee_by_slug("committee", "The committee holding the liaison, e.g. iso-casco.")
    liaison_committee = committee_by_slug("liaison_committee", "The committee in liaison, e.g. iso-tc-207.")
    ordering = ordering(
        # The joined committee's key, not the liaison's copy: PostgreSQL walks the committees'
        # sort_key index for a page, where the copy alone has no index and every row is sorted.
        ("liaison_committee__sort_key", "liaison_committee"),
        ("direction", "direction"),
        ("updated_at", "updated_at"),
        label="Sort by the liaison committee's reference (natural order), direction or updated_at; "
        "prefix - to reverse.",
    )

    class Meta:
        model = CommitteeLiaison
        fields = ["direction", "committee", "liaison_committee"]

    def filter_direction(self, queryset, name, value):
        return queryset.with_direction(value)


class OrganizationFilter(UpdatedSinceFilterSet):
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


class OrganizationLiaisonFilter(UpdatedSinceFilterSet):
    category = filters.ChoiceFilter(choices=Category.choices, label="Category A, B or C.")
    committee = committee_by_slug("committee", "The committee, e.g. iso-casco.")
    organization = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Organization.objects.all(), label="The organization's slug, e.g. iaf."
    )
    ordering = ordering(
        ("category", "category"),
        ("organization_sort_key", "organization"),
        ("updated_at", "updated_at"),
        label="Sort by category, organization acronym or updated_at; prefix - to reverse.",
    )

    class Meta:
        model = OrganizationLiaison
        fields = ["category", "committee", "organization"]
