from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The machinery every portal app shares. It imports no domain app: the apps that hold the
    portal's records say so (``portal_records = True`` on their AppConfig) and register their
    delete rules and search definitions in their own ``ready()``."""

    name = "core"
    verbose_name = "Portal core"

    def ready(self):
        from core import history

        history.connect_signals()
