"""The admin base every app's ModelAdmin derives from, and the admin site's titles.

``PortalAdmin``: history per record (django-simple-history, with revert), "view on site", a change
reason on every save, a change form that refuses to overwrite a save made since it was opened
(core/concurrency.py), and deletes by the delete rules (core/deletion.py). ``PortalTabularInline``:
inline rows with their own version check. ``reference_column``: a changelist column showing a
reference in natural order (``sort_key``: WG 30 < WG 61 < WG 64, TC 34 < TC 207)."""

import hashlib
from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

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
from core.forms import reference_spaces_form
from core.history import history_baseline_ensure

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


class PortalTabularInline(admin.TabularInline):
    """An inline whose rows carry their own version check (concurrency.py): a row changed or
    deleted by someone else since the form was opened refuses the save, naming the row."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = inline_row_version_form(kwargs.get("form", self.form))
        return inline_row_version_formset(super().get_formset(request, obj, **kwargs))

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if LOADED_FIELD in fields else [*fields, LOADED_FIELD]
