from django.apps import AppConfig


class LiaisonsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "liaisons"
