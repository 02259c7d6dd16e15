"""The one list of the portal's apps and models, read from Django's apps registry: an app holding
portal records sets ``portal_records = True`` on its AppConfig. History, roles, delete rules, the
data version and the tests all ask here rather than naming the apps."""

from functools import cache

from django.apps import apps
from simple_history.models import HistoricalChanges


def portal_app_configs():
    """The AppConfigs of the apps holding the portal's records, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if getattr(config, "portal_records", False)]


@cache
def portal_app_labels():
    """The labels of those apps (read once the apps registry is ready: signal handlers ask on
    every write)."""
    return tuple(config.label for config in portal_app_configs())


def is_history_model(model):
    """Whether ``model`` is a django-simple-history table (``HistoricalCommittee`` …, and the
    history of a many-to-many field, ``HistoricalGroup_partner_committees``). False for None (the
    model of a stale content type)."""
    return isinstance(model, type) and issubclass(model, HistoricalChanges)


def portal_models(*, history=False, include_auto_created=False):
    """The models of the portal's apps: without history tables unless ``history=True``, without
    the auto-created tables of many-to-many fields unless ``include_auto_created=True``."""
    return [
        model
        for config in portal_app_configs()
        for model in config.get_models(include_auto_created=include_auto_created)
        if history or not is_history_model(model)
    ]
