"""Admin for committees, their terms of reference, groups and standards — the secretariat's
editing tool. Every ModelAdmin derives from ``PortalAdmin`` (core/admin.py); the changelists load
their related rows in a constant number of queries (the models' ``for_list()`` QuerySet methods)
and show references in natural order. The source pages' admin is the importer's
(sources/admin.py)."""

from django.contrib import admin
from django.db.models.signals import m2m_changed
from django.forms.models import BaseInlineFormSet

from committees.models import Committee, Group, GroupStandard, Standard, TermOfReference
from core.admin import PortalAdmin, PortalTabularInline, reference_column
from core.forms import DuplicateFirstForm
from liaisons.models import GroupParticipation


class GroupInlineFormSet(BaseInlineFormSet):
    """A committee's groups have references under the committee's (checked against the reference
    being saved, so a new committee with its groups is checked too)."""

    def clean(self):
        super().clean()
        parent = (self.instance.reference or "").strip()
        if not parent:
            return
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form) or form.has_error("reference"):
                continue
            reference = form.cleaned_data.get("reference")
            if reference and not reference.startswith(f"{parent}/"):
                form.add_error("reference", f"A group of {parent} has a reference starting “{parent}/”.")


class TermOfReferenceInline(PortalTabularInline):
    model = TermOfReference
    fields = ("position", "text")
    extra = 0
    ordering = ("position",)


class GroupInline(PortalTabularInline):
    model = Group
    formset = GroupInlineFormSet
    fk_name = "committee"
    fields = ("reference", "title", "type_label", "kind")
    extra = 0
    show_change_link = True
    ordering = ("sort_key",)


class PartnerCommitteeInline(PortalTabularInline):
    model = Group.partner_committees.through
    autocomplete_fields = ("committee",)
    extra = 0
    verbose_name = "partner committee"
    verbose_name_plural = "partner committees (joint work)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("committee").order_by("committee__sort_key")


class PartnerOrganizationInline(PortalTabularInline):
    model = Group.partner_organizations.through
    autocomplete_fields = ("organization",)
    extra = 0
    verbose_name = "partner organization"
    verbose_name_plural = "partner organizations (joint work)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization").order_by("organization__sort_key")


class GroupStandardInline(PortalTabularInline):
    model = GroupStandard
    fields = ("standard", "work")
    autocomplete_fields = ("standard",)
    extra = 0
    verbose_name = "standard worked on"
    verbose_name_plural = "standards worked on"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group", "standard")


class StandardGroupInline(GroupStandardInline):
    fields = ("group", "work")
    autocomplete_fields = ("group",)
    verbose_name = "group working on it"
    verbose_name_plural = "groups working on it"


class GroupParticipationInline(PortalTabularInline):
    model = GroupParticipation
    fields = ("organization", "name_in_source", "purpose")
    autocomplete_fields = ("organization",)
    extra = 0
    verbose_name_plural = "organizations taking part"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "group")


@admin.register(Committee)
class CommitteeAdmin(PortalAdmin):
    form = DuplicateFirstForm
    list_display = (
        "reference_display",
        "title",
        "body",
        "kind",
        "parent_display",
        "participating_members",
        "observing_members",
        "updated_at",
    )
    list_display_links = ("reference_display",)
    list_filter = ("body", "kind", "source")
    search_fields = ("reference", "title")
    ordering = ("sort_key",)
    autocomplete_fields = ("parent", "source")
    readonly_fields = ("slug", "imported_at", "created_at", "updated_at")
    inlines = (TermOfReferenceInline, GroupInline)
    fieldsets = (
        (None, {"fields": ("reference", "title", "body", "kind", "parent", "summary", "membership_rules")}),
        (
            "Members and standards",
            {
                "fields": (
                    ("participating_members", "observing_members"),
                    ("published_standards", "standards_under_development"),
                    "standards_count_note",
                )
            },
        ),
        (
            "Provenance",
            {"classes": ("collapse",), "fields": ("slug", "source", "imported_at", "created_at", "updated_at")},
        ),
    )

    reference_display = reference_column()
    parent_display = reference_column("parent__reference", "parent__sort_key", "parent")

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()


@admin.register(TermOfReference)
class TermOfReferenceAdmin(PortalAdmin):
    list_display = ("committee_display", "position", "text")
    list_display_links = ("committee_display", "position")
    list_filter = ("committee",)
    search_fields = ("text", "committee__reference")
    ordering = ("committee__sort_key", "position")
    autocomplete_fields = ("committee", "source")
    list_select_related = ("committee",)

    committee_display = reference_column("committee__reference", "committee__sort_key", "committee")


@admin.register(Group)
class GroupAdmin(PortalAdmin):
    form = DuplicateFirstForm
    list_display = (
        "reference_display",
        "title",
        "kind",
        "type_label",
        "committee_display",
        "partners",
        "standard_list",
        "updated_at",
    )
    list_display_links = ("reference_display",)
    list_filter = ("kind", "type_label", "committee")
    search_fields = ("reference", "title", "type_label", "description")
    ordering = ("sort_key",)
    autocomplete_fields = ("committee", "source", "description_source")
    readonly_fields = ("slug", "imported_at", "created_at", "updated_at")
    # Partners are edited in the inlines below (their through tables), not as form fields.
    exclude = ("partner_committees", "partner_organizations")
    inlines = (PartnerCommitteeInline, PartnerOrganizationInline, GroupStandardInline, GroupParticipationInline)
    fieldsets = (
        (None, {"fields": ("reference", "title", "type_label", "kind", "committee")}),
        ("Description", {"fields": ("description", "description_source")}),
        (
            "Provenance",
            {"classes": ("collapse",), "fields": ("slug", "source", "imported_at", "created_at", "updated_at")},
        ),
    )

    reference_display = reference_column()
    committee_display = reference_column("committee__reference", "committee__sort_key", "committee")

    def get_queryset(self, request):
        return super().get_queryset(request).for_list().with_standards()

    @admin.display(description="partners")
    def partners(self, obj):
        names = [c.reference for c in obj.partner_committees.all()] + [
            o.acronym for o in obj.partner_organizations.all()
        ]
        return ", ".join(names) or "—"

    @admin.display(description="standards")
    def standard_list(self, obj):
        return ", ".join(s.reference for s in obj.standards.all()) or "—"

    # Partners live in through-table inlines, which m2m_changed does not see: the group's history
    # row is written once, after the inlines are saved, so it records the partners as saved.
    def save_model(self, request, obj, form, change):
        if change:
            obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)
        history = getattr(obj, "_history", None)
        if history is not None:
            # A revert (simple-history saves the form without inlines): restore that version's
            # partners as well, then record the reverted group.
            obj.partner_committees.set([row.committee_id for row in history.partner_committees.all()])
            obj.partner_organizations.set([row.organization_id for row in history.partner_organizations.all()])
            _record_group_history(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        partners_changed = any(
            formset.model in (Group.partner_committees.through, Group.partner_organizations.through)
            and formset.has_changed()
            for formset in formsets
        )
        if change or partners_changed:
            _record_group_history(obj)


def _record_group_history(group):
    """Write one history row for ``group`` as it is now, partners included (simple-history's
    m2m handler writes exactly that row)."""
    if hasattr(group, "skip_history_when_saving"):
        del group.skip_history_when_saving
    m2m_changed.send(
        sender=Group.partner_committees.through,
        instance=group,
        action="post_add",
        reverse=False,
        model=Committee,
        pk_set=set(),
        using=group._state.db,
    )


@admin.register(Standard)
class StandardAdmin(PortalAdmin):
    form = DuplicateFirstForm
    list_display = ("reference_display", "title", "abbreviation", "group_list", "updated_at")
    list_display_links = ("reference_display",)
    search_fields = ("reference", "title", "abbreviation")
    ordering = ("sort_key",)
    autocomplete_fields = ("source",)
    readonly_fields = ("slug", "imported_at", "created_at", "updated_at")
    inlines = (StandardGroupInline,)

    reference_display = reference_column()

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description="groups")
    def group_list(self, obj):
        return ", ".join(g.reference for g in obj.groups.all()) or "—"


@admin.register(GroupStandard)
class GroupStandardAdmin(PortalAdmin):
    list_display = ("group_display", "standard_display", "work")
    list_display_links = ("group_display", "standard_display")
    list_filter = ("work",)
    search_fields = ("group__reference", "group__title", "standard__reference", "standard__title")
    ordering = ("group__sort_key", "standard__sort_key")
    autocomplete_fields = ("group", "standard", "source")
    list_select_related = ("group", "standard")

    group_display = reference_column("group__reference", "group__sort_key", "group")
    standard_display = reference_column("standard__reference", "standard__sort_key", "standard")
