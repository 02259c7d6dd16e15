"""Admin for API tokens (superusers; the Secretariat group holds no permission on them).

The list shows name, user, created, expires, last used and status, never the key (it is not
stored) nor its digest. Adding a token shows its key once, on the page answering the save. Tokens
are revoked with the “Revoke selected tokens” action (the row stays, marked revoked) or deleted."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from api_tokens.models import MAX_DAYS, MIN_DAYS, ApiToken, TokenStatus
from api_tokens.services import api_token_issue, api_tokens_revoke, default_days


class ApiTokenAddForm(forms.ModelForm):
    days = forms.IntegerField(
        min_value=MIN_DAYS,
        max_value=MAX_DAYS,
        help_text="The token stops working this many days from now.",
    )

    class Meta:
        model = ApiToken
        fields = ("user", "name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = default_days()


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return TokenStatus.choices

    def queryset(self, request, queryset):
        if self.value() in TokenStatus.values:
            return queryset.with_status(self.value())
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created", "expires", "last_used", "status_column")
    list_filter = (StatusFilter, "created", "expires")
    list_select_related = ("user",)
    search_fields = ("name", "user__username")
    autocomplete_fields = ("user",)
    actions = ("revoke_selected",)
    date_hierarchy = "created"
    readonly_fields = ("user", "name", "created", "expires", "last_used", "revoked", "status_column")

    @admin.display(description="status")
    def status_column(self, obj):
        return obj.status().label

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
            kwargs["fields"] = ("user", "name", "days")
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("user", "name", "days") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field is read-only once the token exists
        request._api_token_key = api_token_issue(token=obj, days=form.cleaned_data["days"])

    def response_add(self, request, obj, post_url_continue=None):
        """Instead of redirecting, answer with the page showing the key, the one time it exists."""
        context = {
            **self.admin_site.each_context(request),
            "title": "API token created",
            "opts": self.opts,
            "token": obj,
            "key": request._api_token_key,
        }
        response = TemplateResponse(request, "admin/api_tokens/apitoken/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_selected(self, request, queryset):
        count = api_tokens_revoke(tokens=queryset)
        self.message_user(request, f"Revoked {count} token{'s' if count != 1 else ''}.", messages.SUCCESS)
