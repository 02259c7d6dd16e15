from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "committees"
    portal_records = True  # core.registry: one of the apps holding the portal's records

    def ready(self):
        from committees import deletion, search  # noqa: F401  (search.py registers the app's search definitions)
        from core.deletion import delete_rules_register

        delete_rules_register(deletion.DELETE_RULES, targets=deletion.TARGET_RULES)
