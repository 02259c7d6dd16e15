"""The Secretariat role: the group's permissions, the idempotent command, setup_portal calling it,
and the command that creates a secretariat user."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from core.registry import portal_app_labels
from core.roles import SECRETARIAT_GROUP_NAME
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)

PORTAL_MODELS = {
    "committees": ["sourcepage", "committee", "termofreference", "group", "standard", "groupstandard"],
    "liaisons": ["committeeliaison", "organization", "organizationliaison", "categorynote", "groupparticipation"],
    "meetings": ["meeting", "meetinggroup"],
}


def _names(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_group_has_every_record_permission_and_history_view_only(secretariat_group):
    names = _names(secretariat_group)
    for app, models in PORTAL_MODELS.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                assert f"{app}.{action}_{model}" in names
    assert "committees.view_historicalgroup" in names
    assert "liaisons.view_historicalcommitteeliaison" in names
    assert "committees.change_historicalgroup" not in names
    assert "committees.delete_historicalcommittee" not in names


def test_group_has_nothing_outside_the_portal_apps(secretariat_group):
    apps = {name.split(".")[0] for name in _names(secretariat_group)}
    assert apps == set(portal_app_labels())
    for forbidden in (
        "auth.add_user",
        "auth.change_user",
        "auth.change_group",
        "api_tokens.add_apitoken",
        "api_tokens.view_apitoken",
    ):
        assert forbidden not in _names(secretariat_group)


def test_command_is_idempotent_and_removes_strays(db, capsys):
    call_command("ensure_secretariat_group")
    group = AuthGroup.objects.get(name=SECRETARIAT_GROUP_NAME)
    first = _names(group)
    assert "Created the Secretariat group" in capsys.readouterr().out

    call_command("ensure_secretariat_group")
    assert "up to date" in capsys.readouterr().out
    assert _names(group) == first
    assert AuthGroup.objects.filter(name=SECRETARIAT_GROUP_NAME).count() == 1

    group.permissions.add(Permission.objects.get(codename="change_user"))
    group.permissions.remove(Permission.objects.get(codename="change_group", content_type__app_label="committees"))
    call_command("ensure_secretariat_group")
    assert "1 permissions added, 1 removed" in capsys.readouterr().out
    assert _names(group) == first


def test_setup_portal_creates_the_group(db):
    call_command("setup_portal", verbosity=0)
    assert AuthGroup.objects.filter(name=SECRETARIAT_GROUP_NAME).exists()


def test_create_secretariat_user_from_environment(db, monkeypatch, client):
    monkeypatch.setenv("SECRETARIAT_PASSWORD", "a-long-secretariat-pass-2024")
    call_command("create_secretariat_user", "anna", "--email", "anna@example.org", "--no-input", verbosity=0)
    user = get_user_model().objects.get(username="anna")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=SECRETARIAT_GROUP_NAME).exists()
    assert user.email == "anna@example.org"
    assert user.has_perm("committees.change_group") and not user.has_perm("auth.change_user")
    # django-axes (first authentication backend) needs the request it counts failures against.
    assert client.login(request=HttpRequest(), username="anna", password="a-long-secretariat-pass-2024")
    assert client.get("/admin/committees/group/").status_code == 200


def test_create_secretariat_user_needs_a_password_and_a_good_one(db, monkeypatch):
    monkeypatch.delenv("SECRETARIAT_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="SECRETARIAT_PASSWORD"):
        call_command("create_secretariat_user", "bob", "--no-input")
    monkeypatch.setenv("SECRETARIAT_PASSWORD", "password")
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_secretariat_user", "bob", "--no-input")
    assert not get_user_model().objects.filter(username="bob").exists()


def test_create_secretariat_user_promotes_an_existing_user(db, monkeypatch):
    monkeypatch.delenv("SECRETARIAT_PASSWORD", raising=False)
    user = get_user_model().objects.create_user("carol", password="carol-old-password-77")
    call_command("create_secretariat_user", "carol", "--no-input", verbosity=0)
    user.refresh_from_db()
    assert user.is_staff and user.check_password("carol-old-password-77")
    assert user.groups.filter(name=SECRETARIAT_GROUP_NAME).exists()
