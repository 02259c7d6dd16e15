"""Admin for liaisons: committee liaisons (with their direction spelt out), organizations, their
liaisons and category notes, and organizations taking part in groups."""

from django.contrib import admin

from core.admin import PortalAdmin, PortalTabularInline, reference_column
from liaisons.forms import CommitteeLiaisonForm, OrganizationForm, direction_label
from liaisons.models import (
    CategoryNote,
    CommitteeLiaison,
    Direction,
    GroupParticipation,
    Organization,
    OrganizationLiaison,
)


class DocumentsSharedFilter(admin.SimpleListFilter):
    """Filter as the public pages count: incoming and outgoing each include the committees in both lists."""

    title = "documents shared (incoming/outgoing include both)"
    parameter_name = "shared"

    def lookups(self, request, model_admin):
        return [(value, direction_label(value)) for value in Direction.values]

    def queryset(self, request, queryset):
        if self.value() in Direction.values:
            return queryset.with_direction(self.value())
        return queryset


@admin.register(CommitteeLiaison)
class CommitteeLiaisonAdmin(PortalAdmin):
    form = CommitteeLiaisonForm
    list_display = (
        "liaison_committee_display",
        "liaison_committee_title",
        "direction_display",
        "can_access_documents",
        "documents_accessible",
        "committee_display",
        "updated_at",
    )
    list_display_links = ("liaison_committee_display",)
    list_filter = (DocumentsSharedFilter, "direction", "liaison_committee__body", "committee")
    search_fields = ("liaison_committee__reference", "liaison_committee__title", "committee__reference")
    ordering = ("committee_sort_key", "liaison_committee_sort_key")
    autocomplete_fields = ("committee", "liaison_committee", "source")

    # Sorting by this column alone uses the joined committee's key: PostgreSQL walks the
    # committees' sort_key index, where the liaison's copy alone has no index.
    liaison_committee_display = reference_column(
        "liaison_committee__reference", "liaison_committee__sort_key", "liaison committee"
    )
    committee_display = reference_column("committee__reference", "committee_sort_key", "held by")

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description="title", ordering="liaison_committee__title")
    def liaison_committee_title(self, obj):
        return obj.liaison_committee.title

    @admin.display(description="direction", ordering="direction")
    def direction_display(self, obj):
        return direction_label(obj.direction)

    @admin.display(description="can access CASCO's documents", boolean=True)
    def can_access_documents(self, obj):
        return obj.can_access_documents

    @admin.display(description="CASCO can access theirs", boolean=True)
    def documents_accessible(self, obj):
        return obj.documents_accessible


class OrganizationLiaisonInline(PortalTabularInline):
    model = OrganizationLiaison
    fields = ("committee", "category")
    autocomplete_fields = ("committee",)
    extra = 0
    verbose_name = "liaison"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("committee", "organization")


class OrganizationParticipationInline(PortalTabularInline):
    """The groups an organization takes part in, on its admin page (committees' group admin shows
    the same rows from the group's side)."""

    model = GroupParticipation
    fields = ("group", "name_in_source", "purpose")
    autocomplete_fields = ("group",)
    extra = 0
    verbose_name_plural = "groups it takes part in"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "group")


@admin.register(Organization)
class OrganizationAdmin(PortalAdmin):
    form = OrganizationForm
    list_display = ("acronym_display", "name", "country", "categories", "joint_group_list", "updated_at")
    list_display_links = ("acronym_display",)
    list_filter = ("liaisons__category", "country")
    search_fields = ("acronym", "name", "description", "country")
    ordering = ("sort_key",)
    autocomplete_fields = ("source",)
    readonly_fields = ("slug", "imported_at", "created_at", "updated_at")
    inlines = (OrganizationLiaisonInline, OrganizationParticipationInline)

    acronym_display = reference_column("acronym", "sort_key", "acronym")

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description="liaison")
    def categories(self, obj):
        return (
            ", ".join(f"{liaison.category} with {liaison.committee.reference}" for liaison in obj.liaisons.all()) or "—"
        )

    @admin.display(description="joint groups")
    def joint_group_list(self, obj):
        return ", ".join(group.reference for group in obj.joint_groups.all()) or "—"


@admin.register(OrganizationLiaison)
class OrganizationLiaisonAdmin(PortalAdmin):
    list_display = ("organization_display", "organization_name", "category", "committee_display", "updated_at")
    list_display_links = ("organization_display",)
    list_filter = ("category", "committee")
    search_fields = ("organization__acronym", "organization__name", "committee__reference")
    ordering = ("category", "organization_sort_key", "id")
    autocomplete_fields = ("organization", "committee", "source")
    radio_fields = {"category": admin.HORIZONTAL}

    organization_display = reference_column("organization__acronym", "organization__sort_key", "organization")
    committee_display = reference_column("committee__reference", "committee__sort_key", "committee")

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description="name", ordering="organization__name")
    def organization_name(self, obj):
        return obj.organization.name


@admin.register(CategoryNote)
class CategoryNoteAdmin(PortalAdmin):
    list_display = ("committee_display", "category", "text")
    list_display_links = ("committee_display", "category")
    list_filter = ("category",)
    search_fields = ("text", "committee__reference")
    ordering = ("committee__sort_key", "category")
    autocomplete_fields = ("committee", "source")
    list_select_related = ("committee",)
    radio_fields = {"category": admin.HORIZONTAL}

    committee_display = reference_column("committee__reference", "committee__sort_key", "committee")


@admin.register(GroupParticipation)
class GroupParticipationAdmin(PortalAdmin):
    list_display = ("organization_display", "group_display", "name_in_source", "purpose")
    list_display_links = ("organization_display", "group_display")
    list_filter = ("group",)
    search_fields = ("organization__acronym", "organization__name", "group__reference", "group__title", "purpose")
    ordering = ("organization__sort_key", "group__sort_key")
    autocomplete_fields = ("organization", "group", "source")
    list_select_related = ("organization", "group")

    organization_display = reference_column("organization__acronym", "organization__sort_key", "organization")
    group_display = reference_column("group__reference", "group__sort_key", "group")
