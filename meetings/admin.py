"""Admin for meetings, with the groups meeting there."""

from django.contrib import admin

from core.admin import PortalAdmin, PortalTabularInline, reference_column
from meetings.models import MEETING_ORDER, Meeting, MeetingGroup


class MeetingGroupInline(PortalTabularInline):
    model = MeetingGroup
    fields = ("group",)
    autocomplete_fields = ("group",)
    extra = 0
    verbose_name = "participating group"
    verbose_name_plural = "participating groups"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group", "meeting")


@admin.register(Meeting)
class MeetingAdmin(PortalAdmin):
    list_display = (
        "title",
        "kind",
        "year",
        "committee_display",
        "host_display",
        "country",
        "start_date",
        "end_date",
        "announced_on",
    )
    list_filter = ("kind", "year", "country")
    search_fields = ("title", "description", "host__acronym", "host__name", "country", "venue")
    ordering = MEETING_ORDER
    autocomplete_fields = ("committee", "host", "source")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("imported_at", "created_at", "updated_at")
    inlines = (MeetingGroupInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "year", "committee", "host")}),
        ("Where and when", {"fields": ("country", "venue", ("start_date", "end_date"), "announced_on")}),
        (None, {"fields": ("description",)}),
        ("Provenance", {"classes": ("collapse",), "fields": ("source", "imported_at", "created_at", "updated_at")}),
    )

    committee_display = reference_column("committee__reference", "committee__sort_key", "committee")
    host_display = reference_column("host__acronym", "host__sort_key", "host")

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()


@admin.register(MeetingGroup)
class MeetingGroupAdmin(PortalAdmin):
    list_display = ("meeting", "group_display")
    list_filter = ("meeting",)
    search_fields = ("meeting__title", "group__reference", "group__title")
    ordering = ("meeting", "group__sort_key")
    autocomplete_fields = ("meeting", "group", "source")
    list_select_related = ("meeting", "group")

    group_display = reference_column("group__reference", "group__sort_key", "group")
