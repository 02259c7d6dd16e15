"""API tokens can be revoked: once deleted (admin, ORM or `manage.py revoke_api_token`), the next
request with the token is 401 and writes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from committees.models import Standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_superuser("tool", "tool@example.org", "unused-pass-1234")
    return Token.objects.create(user=user)


def write(token_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    return client.post("/api/v1/standards/", {"reference": "ISO 99992", "title": "T"}, format="json")


def revoke_by_orm(token):
    Token.objects.filter(user=token.user).delete()


def revoke_by_command(token):
    call_command("revoke_api_token", token.user.username, verbosity=0)


def revoke_in_admin(token):
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "unused-pass-1234"))
    response = admin.post(f"/admin/authtoken/tokenproxy/{token.user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302


@pytest.mark.parametrize("revoke", [revoke_by_orm, revoke_by_command, revoke_in_admin])
def test_revoked_token_is_refused(token, revoke):
    key = token.key
    assert write(key).status_code == 201
    revoke(token)
    response = write(key)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert Standard.objects.count() == 1


def test_revoke_command_messages(token, capsys):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("revoke_api_token", "nobody")
    call_command("revoke_api_token", "tool")
    assert "Revoked the API token of tool" in capsys.readouterr().out
    with pytest.raises(CommandError, match="has no API token"):
        call_command("revoke_api_token", "tool")
