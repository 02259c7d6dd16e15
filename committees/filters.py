"""The FilterSets of the committee and group lists (their pages and the API) and of the API's
standards. The machinery they share is core/filters.py."""

import django_filters as filters

from committees.models import Body, Committee, CommitteeKind, Group, GroupKind, Standard
from core.filters import PageField, PortalFilterSet, SearchTextFilter, ordering, slug_choice

COMMITTEES = Committee.objects.all()


class CommitteeFilter(PortalFilterSet):
    body = filters.ChoiceFilter(choices=Body.choices, label="ISO, IEC or ISO/IEC.")
    kind = filters.ChoiceFilter(choices=CommitteeKind.choices, label="The kind of committee.")
    parent = slug_choice("parent", COMMITTEES, "The parent committee's slug, e.g. iso-tc-207.")
    ordering = ordering(
        ("sort_key", "reference"),
        ("title", "title"),
        ("body", "body"),
        ("kind", "kind"),
        ("updated_at", "updated_at"),
        label="Sort by reference (natural order: TC 34 before TC 207), title, body, kind or updated_at; "
        "prefix - to reverse.",
    )

    q = SearchTextFilter("Reference or title contains")

    page_only = ("q",)
    page_fields = {
        "body": PageField("Body", empty_label="All bodies"),
        "kind": PageField("Kind", empty_label="All kinds"),
        "q": None,  # as declared
    }

    class Meta:
        model = Committee
        fields = ["body", "kind", "parent"]


class GroupFilter(PortalFilterSet):
    type = filters.ChoiceFilter(field_name="kind", choices=GroupKind.choices, label="The kind of group.")
    committee = slug_choice("committee", COMMITTEES, "The responsible committee's slug, e.g. iso-casco.")
    partner = slug_choice("partner_committees", COMMITTEES, "A partner committee's slug.")
    ordering = ordering(
        ("sort_key", "reference"),
        ("title", "title"),
        ("kind", "type"),
        ("updated_at", "updated_at"),
        label="Sort by reference (natural order: WG 30 before WG 61), title, type or updated_at; prefix - to reverse.",
    )

    q = SearchTextFilter("Reference, title or description contains")

    # The groups page has always called the type ``kind`` (the model's field), the API ``type``.
    aliases = {"kind": "type"}
    page_only = ("q",)
    page_fields = {
        "kind": PageField("Type", empty_label="All types"),
        "q": None,
    }

    class Meta:
        model = Group
        fields = ["type", "committee", "partner"]


class StandardFilter(PortalFilterSet):
    group = slug_choice("groups", Group.objects.all(), "A group's slug.")
    ordering = ordering(
        ("sort_key", "reference"),
        ("title", "title"),
        ("updated_at", "updated_at"),
        label="Sort by reference (natural order), title or updated_at; prefix - to reverse.",
    )

    class Meta:
        model = Standard
        fields = ["group"]
