"""Admin for committees, groups, standards and source pages — the secretariat's editing tool.

Every ModelAdmin of the portal derives from ``PortalAdmin``: history per record (django-simple-
history, with revert), "view on site", changelists that load their related rows in a constant
number of queries (the models' ``for_list()`` QuerySet methods), and references in natural order
(``sort_key``: WG 30 < WG 61 < WG 64, TC 34 < TC 207)."""

import hashlib
from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from committees.forms import DuplicateFirstForm, SourcePageImportForm, reference_spaces_form
from committees.models import (
    Committee,
    Group,
    GroupStandard,
    ImportSnapshot,
    SourcePage,
    SourcePageVersion,
    Standard,
    TermOfReference,
)
from core.concurrency import (
    GONE_MESSAGE,
    LOADED_FIELD,
    edit_conflict_form,
    fieldsets_with_loaded_field,
    has_updated_at,
    inline_row_version_form,
    inline_row_version_formset,
)
from core.deletion import DeleteRefused, delete_plan, kind_of, records_delete, reference_of
from core.history import history_baseline_ensure
from liaisons.models import GroupParticipation, Organization
from sources.importer import ImportFailed, source_pages_import, source_texts_import

ADMIN_CHANGE_REASON = "edited in admin"
ADMIN_DELETE_REASON = "deleted in admin"
CASCADE_VAR = "cascade"
PLAN_VAR = "delete_plan"
PLAN_CHANGED = (
    "What this delete would take has changed since the page was shown (someone else edited the records "
    "meanwhile): nothing was deleted. Review the list again."
)

admin.site.site_header = "CASCO Portal administration"
admin.site.site_title = "CASCO Portal admin"
admin.site.index_title = "Secretariat: committees, groups, liaisons and meetings"


def reference_column(field="reference", ordering="sort_key", description="reference"):
    """A changelist column showing a reference and sorting it in natural order."""

    @admin.display(description=description, ordering=ordering)
    def column(self, obj):
        value = obj
        for part in field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return "—"
        return value

    return column


def _plan_digest(plan):
    keys = sorted(f"{obj._meta.label}:{obj.pk}" for obj in plan.objects())
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:32]


class DeleteRulesAdminMixin:
    """Deletes obey the delete rules (core/deletion.py), on the delete page and in the
    "delete selected" action alike. Records that block the delete are named on the page, which
    then offers nothing to confirm, only a link to a second page (``?cascade=1``) listing
    everything the cascade would delete, with its own confirmation. That page carries a digest of
    what it lists: if the records changed meanwhile, the confirmation shows the page again
    instead of deleting what was not shown."""

    delete_confirmation_template = "admin/portal_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/portal_delete_selected_confirmation.html"

    @staticmethod
    def cascade_requested(request):
        return (request.POST.get(CASCADE_VAR) or request.GET.get(CASCADE_VAR)) == "1"

    def get_deleted_objects(self, objs, request):
        """(what goes, as a nested list; count per kind; kinds the user may not delete; what
        blocks the delete), as Django's delete page and action expect them, by the delete rules."""
        plan = delete_plan(objs, cascade=self.cascade_requested(request))
        request.portal_delete_plan = plan
        protected = [
            self._display(dependant.obj, prefix=f"{capfirst(dependant.kind)} ({dependant.relation.description})")
            for dependant in plan.blocking
        ]
        posted = request.POST.get(PLAN_VAR)
        if posted and posted != _plan_digest(plan) and not protected:
            protected = [PLAN_CHANGED]
            request.portal_delete_plan_changed = True
        children = defaultdict(list)
        for dependant in plan.deleted:
            children[(type(dependant.parent), dependant.parent.pk)].append(dependant.obj)

        def nested(obj):
            below = [item for child in children[(type(obj), obj.pk)] for item in nested(child)]
            return [self._display(obj), below] if below else [self._display(obj)]

        to_delete = [item for root in plan.roots for item in nested(root)]
        model_count = defaultdict(int)
        perms_needed = set()
        for obj in plan.objects():
            model_count[capfirst(kind_of(obj)) if obj._meta.auto_created else obj._meta.verbose_name_plural] += 1
            model_admin = self.admin_site._registry.get(type(obj))
            if model_admin is not None and not model_admin.has_delete_permission(request, obj):
                perms_needed.add(obj._meta.verbose_name)
        return to_delete, dict(model_count), perms_needed, protected

    def _display(self, obj, prefix=None):
        prefix = prefix or capfirst(kind_of(obj))
        text = reference_of(obj) if obj._meta.auto_created else str(obj)
        if type(obj) in self.admin_site._registry:
            try:
                url = reverse(
                    f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
                )
            except NoReverseMatch:
                url = None
            if url:
                return format_html('{}: <a href="{}">{}</a>', prefix, url, text)
        return format_html("{}: {}", prefix, text)

    def _delete_context(self, request):
        plan = getattr(request, "portal_delete_plan", None)
        if plan is None:
            return {}
        return {
            "delete_cascade": plan.cascade,
            "cascade_allowed": plan.cascade_would_allow,
            "cascade_var": CASCADE_VAR,
            "plan_var": PLAN_VAR,
            "plan_digest": _plan_digest(plan),
            "plan_changed": getattr(request, "portal_delete_plan_changed", False),
            "blocking_summary": plan.blocking_summary(limit=0),
        }

    def render_delete_form(self, request, context):
        context.update(self._delete_context(request))
        return super().render_delete_form(request, context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DeleteRefused as refused:  # something started to refer to it since the page was shown
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (self.__class__._delete_selected, name, description)
        return actions

    def _delete_selected(self, request, queryset):
        try:
            response = delete_selected(self, request, queryset)
        except DeleteRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return None
        if isinstance(response, TemplateResponse):
            response.context_data.update(self._delete_context(request))
            if response.context_data.get("protected"):
                response.context_data["title"] = f"Cannot delete {response.context_data['objects_name']}"
        return response

    def delete_model(self, request, obj):
        records_delete(
            objs=[obj], cascade=self.cascade_requested(request), user=request.user, reason=ADMIN_DELETE_REASON
        )

    def delete_queryset(self, request, queryset):
        """All at once, in one transaction, by the same rules; a history row per record, with the user."""
        records_delete(
            objs=list(queryset), cascade=self.cascade_requested(request), user=request.user, reason=ADMIN_DELETE_REASON
        )


class PortalAdmin(DeleteRulesAdminMixin, SimpleHistoryAdmin):
    """History (who, when, what changed) per record, with revert; view on site; a change reason."""

    view_on_site = True
    list_per_page = 100
    show_full_result_count = False  # one COUNT query fewer per changelist

    def get_form(self, request, obj=None, change=False, **kwargs):
        """A change form refuses to overwrite a save made since it was opened (concurrency.py);
        references are read with non-breaking spaces tidied (forms.py)."""
        form = reference_spaces_form(kwargs.get("form", self.form))
        if obj is not None and has_updated_at(self.model):
            form = edit_conflict_form(form)
        kwargs["form"] = form
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets_with_loaded_field(fieldsets) if obj is not None and has_updated_at(self.model) else fieldsets

    def save_model(self, request, obj, form, change):
        history = getattr(obj, "_history", None)  # set when saving a historical version (revert)
        obj._change_reason = (
            f"reverted to the version of {history.history_date:%Y-%m-%d %H:%M:%S} UTC"
            if history
            else ADMIN_CHANGE_REASON
        )
        if change:
            history_baseline_ensure(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Inline rows get the same history user and reason as the record edited with them."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            history_baseline_ensure(obj)
            obj._history_user = request.user
            obj._change_reason = ADMIN_CHANGE_REASON
            obj.delete()
        for obj in instances:
            history_baseline_ensure(obj)
            obj._history_user = request.user
            obj._change_reason = ADMIN_CHANGE_REASON
            obj.save()
        formset.save_m2m()

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """A change form saved after someone else deleted its record says so ("Nothing was
        stored") and goes back to the list of such records. Django would send the secretariat to
        the admin's front page with "doesn't exist. Perhaps it was deleted?" before the form's own
        check (concurrency.py) could run. A plain GET of a missing record keeps Django's answer."""
        if request.method != "POST" or LOADED_FIELD not in request.POST:
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        self.message_user(request, GONE_MESSAGE, messages.WARNING)
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.admin_site.name)
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may *view* history POST the revert form; reverting is a change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# -- inlines ----------------------------------------------------------------------------------


class PortalTabularInline(admin.TabularInline):
    """An inline whose rows carry their own version check (concurrency.py): a row changed or
    deleted by someone else since the form was opened refuses the save, naming the row."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = inline_row_version_form(kwargs.get("form", self.form))
        return inline_row_version_formset(super().get_formset(request, obj, **kwargs))

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if LOADED_FIELD in fields else [*fields, LOADED_FIELD]


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


# -- model admins -----------------------------------------------------------------------------


class SourcePageVersionInline(admin.TabularInline):
    """The copies of the page imported so far (read-only: each import adds one)."""

    model = SourcePageVersion
    fields = ("short_sha256", "imported_at", "public_copy")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-imported_at",)
    verbose_name = "imported copy"
    verbose_name_plural = "imported copies (the newest is the one the records were last imported from)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source").defer("text")

    @admin.display(description="SHA-256")
    def short_sha256(self, obj):
        return f"{obj.sha256[:16]}…"

    @admin.display(description="text")
    def public_copy(self, obj):
        url = reverse("committees:source-detail", args=[obj.source.file_name])
        return format_html('<a href="{}?version={}">read this copy</a>', url, obj.sha256)


@admin.register(SourcePage)
class SourcePageAdmin(DeleteRulesAdminMixin, admin.ModelAdmin):
    """The pages the data was imported from, with the copies imported so far; the changelist links
    to the import (re-run or upload, previewed before it is applied)."""

    list_display = ("file_name", "title", "kind", "published_on", "imported_at", "short_sha256")
    list_filter = ("kind",)
    search_fields = ("file_name", "title")
    readonly_fields = ("sha256", "imported_at")
    ordering = ("file_name",)
    inlines = (SourcePageVersionInline,)
    change_list_template = "admin/committees/sourcepage/change_list.html"
    import_template = "admin/committees/sourcepage/import.html"

    @admin.display(description="SHA-256")
    def short_sha256(self, obj):
        return f"{obj.sha256[:12]}…"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="committees_sourcepage_import"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        """The import creates, updates and removes records of every kind: it needs all those rights."""
        return request.user.is_active and request.user.has_perms(import_permissions())

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def import_view(self, request):
        """First a preview (the import run as a dry run: what it would create, change, keep as
        edited by hand, report as a conflict or as no longer on the page); applied on confirmation,
        in one transaction, with the option to remove what the page no longer lists."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = confirm = None
        if request.method == "POST":
            form = SourcePageImportForm(request.POST, request.FILES)
            if form.is_valid():
                apply = request.POST.get("confirm") == "apply"
                pages = form.pages()
                options = {
                    "user": request.user,
                    "dry_run": not apply,
                    "remove_missing": form.cleaned_data["remove_missing"],
                }
                try:
                    report = source_texts_import(pages=pages, **options) if pages else source_pages_import(**options)
                except ImportFailed as error:
                    form.add_error(None, f"Import refused, nothing was changed. {error}")
                else:
                    if apply:
                        self.message_user(
                            request,
                            report.summary_lines()[-1] if not report.changed else "Import done.",
                            messages.SUCCESS,
                        )
                        form = SourcePageImportForm()
                    else:
                        confirm = {
                            "action": form.cleaned_data["action"],
                            "page": form.cleaned_data["page"],
                            "kept_text": pages[0][1].decode("utf-8") if pages else "",
                            "kept_sha256": hashlib.sha256(pages[0][1]).hexdigest() if pages else "",
                            "remove_missing": form.cleaned_data["remove_missing"],
                        }
        else:
            form = SourcePageImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Import source pages",
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "confirm": confirm,
            "changelist_url": reverse("admin:committees_sourcepage_changelist"),
        }
        return TemplateResponse(request, self.import_template, context)


def import_permissions():
    from liaisons.models import CategoryNote, CommitteeLiaison, OrganizationLiaison
    from meetings.models import Meeting

    models = (
        SourcePage,
        SourcePageVersion,
        ImportSnapshot,
        Committee,
        TermOfReference,
        Group,
        Standard,
        GroupStandard,
        CommitteeLiaison,
        Organization,
        OrganizationLiaison,
        CategoryNote,
        GroupParticipation,
        Meeting,
    )
    return [
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in models
        for action in ("add", "change", "delete")
    ]


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
