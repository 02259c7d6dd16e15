"""The one list of the portal's apps and models, read from Django's apps registry: an app holding
portal records sets ``portal_records = True`` on its AppConfig. History, roles, delete rules, the
data version and the tests all ask here rather than naming the apps."""

from django.apps import apps


def portal_app_configs():
    """The AppConfigs of the apps holding the portal's records, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if getattr(config, "portal_records", False)]


def portal_app_labels():
    return tuple(config.label for config in portal_app_configs())


def is_history_model(model):
    """Whether ``model`` is a django-simple-history table (``HistoricalCommittee`` …)."""
    return hasattr(model, "instance_type") and hasattr(model, "history_object")


def portal_models(*, history=False):
    """The models of the portal's apps, auto-created many-to-many tables left out; with
    ``history=True`` their history tables are included."""
    return [
        model
        for config in portal_app_configs()
        for model in config.get_models()
        if history or not is_history_model(model)
    ]
