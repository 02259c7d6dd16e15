"""django-filter FilterSets for the API's committees, groups and standards, and the pieces every
FilterSet shares (``updated_since``, ordering by natural reference order)."""

import datetime

import django_filters as filters
from django.db.models import F
from django.db.models.constants import LOOKUP_SEP
from django_filters.constants import EMPTY_VALUES
from rest_framework.exceptions import ValidationError

from committees.models import Body, Committee, CommitteeKind, Group, GroupKind, Standard


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 timestamp, turned into UTC before it reaches the database (PostgreSQL refuses
    offsets beyond ±15:59, which ISO 8601 allows); one that cannot be is refused with 400."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                raise ValidationError({"updated_since": ["Enter a timestamp between years 1 and 9999."]}) from None
        return super().filter(qs, value)


class UpdatedSinceFilterSet(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z.",
    )


def committee_by_slug(field_name, label):
    """A committee given by its reference slug (e.g. ``iso-tc-207``); an unknown slug gives 400."""
    return filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="slug", queryset=Committee.objects.all(), label=label
    )


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` that pages reliably and sorts the same on every database.

    django-filter's OrderingFilter orders by the requested fields alone, so records that tie on
    them (every category A liaison under ``?ordering=category``) came back in whatever order the
    database chose for each page: paging through skipped some records and repeated others. Here
    the model's own order, then the id, break the ties, so the pages of one ordering hold every
    record exactly once. A record without a value (a meeting whose date was not announced) comes
    last in both directions on every database (SQLite put NULLs first, PostgreSQL last)."""

    def _nulls_last(self, value, model):
        """``get_ordering_value()``'s "name" or "-name", as an expression putting NULLs last where
        the column can be NULL."""
        name = value.removeprefix("-")
        if not self._nullable(model, name):
            return value
        return F(name).desc(nulls_last=True) if value.startswith("-") else F(name).asc(nulls_last=True)

    @staticmethod
    def _nullable(model, name):
        """Whether the column at ``name`` (a path such as ``host__name``) can be NULL. A path ending
        at a relation is left alone: ordering by it means the related model's own order."""
        nullable = False
        for part in name.split(LOOKUP_SEP):
            field = model._meta.get_field(part)
            nullable = nullable or field.null
            model = field.related_model
        return nullable and not field.is_relation

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [
            self._nulls_last(self.get_ordering_value(param), qs.model) for param in value if param not in EMPTY_VALUES
        ]
        return qs.order_by(*ordering, *qs.model._meta.ordering, "pk")


def ordering(*pairs, label):
    return StableOrderingFilter(fields=pairs, label=label)


class CommitteeFilter(UpdatedSinceFilterSet):
    body = filters.ChoiceFilter(choices=Body.choices, label="ISO, IEC or ISO/IEC.")
    kind = filters.ChoiceFilter(choices=CommitteeKind.choices, label="The kind of committee.")
    parent = committee_by_slug("parent", "The parent committee's slug, e.g. iso-tc-207.")
    ordering = ordering(
        ("sort_key", "reference"),
        ("title", "title"),
        ("body", "body"),
        ("kind", "kind"),
        ("updated_at", "updated_at"),
        label="Sort by reference (natural order: TC 34 before TC 207), title, body, kind or updated_at; "
        "prefix - to reverse.",
    )

    class Meta:
        model = Committee
        fields = ["body", "kind", "parent"]


class GroupFilter(UpdatedSinceFilterSet):
    type = filters.ChoiceFilter(field_name="kind", choices=GroupKind.choices, label="The kind of group.")
    committee = committee_by_slug("committee", "The responsible committee's slug, e.g. iso-casco.")
    partner = committee_by_slug("partner_committees", "A partner committee's slug.")
    ordering = ordering(
        ("sort_key", "reference"),
        ("title", "title"),
        ("kind", "type"),
        ("updated_at", "updated_at"),
        label="Sort by reference (natural order: WG 30 before WG 61), title, type or updated_at; prefix - to reverse.",
    )

    class Meta:
        model = Group
        fields = ["type", "committee", "partner"]


class StandardFilter(UpdatedSinceFilterSet):
    group = filters.ModelChoiceFilter(
        field_name="groups", to_field_name="slug", queryset=Group.objects.all(), label="A group's slug."
    )
    ordering = ordering(
        ("sort_key", "reference"),
        ("title", "title"),
        ("updated_at", "updated_at"),
        label="Sort by reference (natural order), title or updated_at; prefix - to reverse.",
    )

    class Meta:
        model = Standard
        fields = ["group"]
