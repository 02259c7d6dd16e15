from django.apps import AppConfig


class CascoPortalConfig(AppConfig):
    """The project: settings, URLs, the site-wide pages (home, structure, search) and operations
    (the data version behind the response cache, health, database routing)."""

    name = "casco_portal"
    verbose_name = "CASCO Portal"

    def ready(self):
        from casco_portal import cache

        cache.connect_signals()
