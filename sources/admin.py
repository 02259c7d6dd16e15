"""The admin of the source pages the data was imported from (committees' ``SourcePage``), with
the import view: re-run the import of the kept copies or upload a newer copy of one page,
previewed before it is applied. The importer lives in this app; the pages are committees' records,
so their admin pages stay under /admin/committees/sourcepage/."""

import hashlib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from committees.models import (
    SourcePage,
    SourcePageVersion,
)
from core.admin import DeleteRulesAdminMixin
from core.registry import portal_models
from sources.forms import SourcePageImportForm
from sources.importer import ImportFailed, source_pages_import, source_texts_import


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
    """The import creates, updates and removes records of the portal's kinds: the add, change and
    delete permissions of each portal model (``core.registry``)."""
    models = portal_models()
    return [
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in models
        for action in ("add", "change", "delete")
    ]
