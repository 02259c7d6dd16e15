"""Login guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords the account is locked on
both login paths (admin, API session login), even the right password gets the 429 lockout page, and
`axes_reset` lets it in again. Requests carry no CSRF checks here (Django's test client)."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from casco_portal.security import client_ip

pytestmark = pytest.mark.django_db
LOGIN_PATHS = ["/admin/login/", "/api/v1/auth/login/"]
PASSWORD = "the-right-password-4471"


@pytest.fixture
def user(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def login(path, password, username="editor", ip="203.0.113.5"):
    return Client(REMOTE_ADDR=ip).post(path, {"username": username, "password": password, "next": "/admin/"})


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_right_password_logs_in(user, path):
    assert login(path, PASSWORD).status_code == 302


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_wrong_passwords_lock_the_account_then_reset_lets_it_in(user, path, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(path, "wrong")
        assert response.status_code == 200  # the login form again, with its error
    locked = login(path, "wrong")
    assert locked.status_code == 429
    refused = login(path, PASSWORD)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many login attempts" in page and "portal.css" in page  # the site's own page
    assert "sessionid" not in refused.cookies  # not logged in
    call_command("axes_reset", verbosity=0)
    assert login(path, PASSWORD).status_code == 302


def test_lockout_is_shared_by_both_login_paths_and_follows_the_username_across_addresses(user, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        login(LOGIN_PATHS[index % 2], "wrong", ip=f"198.51.100.{index}")
    assert login("/admin/login/", PASSWORD, ip="192.0.2.77").status_code == 429
    assert login("/api/v1/auth/login/", PASSWORD, ip="192.0.2.78").status_code == 429
    call_command("axes_reset_username", "editor", verbosity=0)
    assert login("/admin/login/", PASSWORD, ip="192.0.2.77").status_code == 302


def test_one_address_guessing_many_usernames_is_locked(user, settings, django_user_model):
    for index in range(settings.AXES_FAILURE_LIMIT):
        login("/admin/login/", "wrong", username=f"guess{index}", ip="203.0.113.9")
    assert login("/admin/login/", PASSWORD, ip="203.0.113.9").status_code == 429
    assert login("/admin/login/", PASSWORD, ip="203.0.113.10").status_code == 302


def test_lockout_wears_off_after_the_cool_off(user, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("/admin/login/", "wrong")
    assert login("/admin/login/", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert login("/admin/login/", PASSWORD).status_code == 302


def test_client_address_behind_the_load_balancer(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "198.51.100.7"  # not the address the client made up
    with override_settings(TRUSTED_PROXY_COUNT=3):
        assert client_ip(request) == "10.0.0.2"
