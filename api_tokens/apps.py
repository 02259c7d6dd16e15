from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api_tokens"
    verbose_name = "API tokens"

    def ready(self):
        # Registers the OpenAPI description of the token scheme with drf-spectacular.
        from api_tokens import schema  # noqa: F401
