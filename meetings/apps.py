from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    portal_records = True  # core.registry: one of the apps holding the portal's records

    def ready(self):
        from core.deletion import delete_rules_register
        from meetings import deletion, search  # noqa: F401  (search.py registers the app's search definitions)

        delete_rules_register(deletion.DELETE_RULES)
