from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "committees"

    def ready(self):
        from casco_portal import cache

        from . import history

        cache.connect_signals()
        history.connect_signals()
