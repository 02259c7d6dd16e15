"""The secretariat role: a ``Secretariat`` auth group that may add, change, delete and view every
record of the portal (committees, liaisons and meetings apps) and read their history, and nothing
else — no users, groups, permissions, API tokens or sessions.

API tokens are left out on purpose: whoever may create tokens may create one for any user,
superusers included. A superuser issues tokens (the admin's "API tokens" or ``manage.py
create_api_token``); the api_tokens app does not hold portal records (core/registry.py), so the
group gets none of its permissions."""

from dataclasses import dataclass

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import transaction

from core.registry import is_history_model, portal_app_configs, portal_app_labels

SECRETARIAT_GROUP_NAME = "Secretariat"
RECORD_ACTIONS = ("add", "change", "delete", "view")
# History rows are written by the application, never by hand: the secretariat may read them.
HISTORY_ACTIONS = ("view",)


def secretariat_permissions():
    """The permissions the Secretariat group holds (a queryset, recomputed from the models)."""
    for config in portal_app_configs():
        # Permissions exist after ``migrate``; make sure anyway (e.g. a model added since).
        create_permissions(config, verbosity=0)
    wanted = []
    for permission in Permission.objects.filter(content_type__app_label__in=portal_app_labels()).select_related(
        "content_type"
    ):
        action = permission.codename.split("_", 1)[0]
        model = permission.content_type.model_class()
        allowed = HISTORY_ACTIONS if is_history_model(model) else RECORD_ACTIONS
        if model is not None and action in allowed:
            wanted.append(permission.pk)
    return Permission.objects.filter(pk__in=wanted)


@dataclass
class RoleReport:
    created: bool
    added: list
    removed: list
    total: int


@transaction.atomic
def secretariat_group_ensure():
    """Create the Secretariat group if needed and give it exactly the secretariat's permissions
    (adding missing ones, removing any other). Idempotent: a second run changes nothing."""
    group, created = AuthGroup.objects.get_or_create(name=SECRETARIAT_GROUP_NAME)
    wanted = {p.pk: p for p in secretariat_permissions().select_related("content_type")}
    current = {p.pk: p for p in group.permissions.select_related("content_type")}
    added = sorted(f"{wanted[pk].content_type.app_label}.{wanted[pk].codename}" for pk in wanted.keys() - current)
    removed = sorted(
        f"{current[pk].content_type.app_label}.{current[pk].codename}" for pk in current.keys() - wanted.keys()
    )
    if added or removed:
        group.permissions.set(list(wanted.values()))
    return group, RoleReport(created=created, added=added, removed=removed, total=len(wanted))
