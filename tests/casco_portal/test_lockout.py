"""Login guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for a username from one
address, that username is locked from that address on both login paths (admin, API session login),
even the right password gets the 429 lockout page, and `axes_reset` lets it in again. The account's
owner at another address still logs in (nobody can lock the secretariat out); one address guessing
many usernames is locked after AXES_IP_FAILURE_LIMIT. The address is core.security.client_ip:
a made-up X-Forwarded-For neither escapes a lock nor moves it onto someone else unless
TRUSTED_PROXY_COUNT trusts it. Requests carry no CSRF checks here (Django's test client)."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, override_settings

from core.security import client_ip
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db
LOGIN_PATHS = ["/admin/login/", "/api/v1/auth/login/"]
PASSWORD = "the-right-password-4471"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def login(path, password, username="editor", ip="203.0.113.5", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return Client(REMOTE_ADDR=ip).post(path, {"username": username, "password": password, "next": "/admin/"}, **headers)


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


def test_lockout_is_shared_by_both_login_paths(user, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        login(LOGIN_PATHS[index % 2], "wrong")
    assert login("/admin/login/", PASSWORD).status_code == 429
    assert login("/api/v1/auth/login/", PASSWORD).status_code == 429


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(user, settings):
    """The attack the issue describes: five wrong passwords for the secretariat's username. The
    attacker's address is locked for that username; the owner, elsewhere, still logs in."""
    attacker, owner = "198.51.100.66", "192.0.2.77"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("/admin/login/", "wrong", ip=attacker)
    assert login("/admin/login/", PASSWORD, ip=attacker).status_code == 429
    assert login("/api/v1/auth/login/", PASSWORD, ip=attacker).status_code == 429
    assert login("/admin/login/", PASSWORD, ip=owner).status_code == 302
    assert login("/api/v1/auth/login/", PASSWORD, ip=owner).status_code == 302
    # The owner's success lifts nothing at the attacker's address.
    assert login("/admin/login/", PASSWORD, ip=attacker).status_code == 429
    call_command("axes_reset_ip", attacker, verbosity=0)
    assert login("/admin/login/", PASSWORD, ip=attacker).status_code == 302


def test_one_address_guessing_many_usernames_is_locked_for_every_username(user, settings):
    assert settings.AXES_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    guesser = "203.0.113.9"
    for index in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        assert login("/admin/login/", "wrong", username=f"guess{index}", ip=guesser).status_code == 200
    # Below the per-address limit a username the address has not guessed still logs in there, and
    # that success does not wipe the address's failures for the other usernames.
    assert login("/admin/login/", PASSWORD, ip=guesser).status_code == 302
    assert login("/admin/login/", "wrong", username="one-more-guess", ip=guesser).status_code == 429
    assert login("/admin/login/", PASSWORD, ip=guesser).status_code == 429
    assert login("/api/v1/auth/login/", PASSWORD, ip=guesser).status_code == 429
    assert login("/admin/login/", PASSWORD, ip="203.0.113.10").status_code == 302


def test_a_made_up_forwarded_for_neither_escapes_nor_moves_a_lock(user, settings):
    """TRUSTED_PROXY_COUNT 0 (the default): X-Forwarded-For is ignored. The attacker sends a new
    one with every guess and is still locked after the limit, and the address it names (the
    owner's) is not locked."""
    attacker, owner = "198.51.100.66", "192.0.2.77"
    for index in range(settings.AXES_FAILURE_LIMIT):
        response = login("/admin/login/", "wrong", ip=attacker, forwarded=f"10.9.8.{index}")
        assert response.status_code == (429 if index == settings.AXES_FAILURE_LIMIT - 1 else 200)
    assert login("/admin/login/", PASSWORD, ip=attacker, forwarded="10.9.8.200").status_code == 429
    assert login("/admin/login/", PASSWORD, ip=attacker, forwarded=owner).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker}
    assert login("/admin/login/", PASSWORD, ip=owner).status_code == 302


def test_behind_one_trusted_proxy_the_forwarded_address_is_the_one_locked(user, settings):
    """TRUSTED_PROXY_COUNT 1 (nginx alone in front): every request comes from the proxy's address;
    the client is the rightmost X-Forwarded-For entry (what the proxy appended), whatever the client
    put to its left."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy, attacker, owner = "127.0.0.1", "198.51.100.66", "192.0.2.77"
    for index in range(settings.AXES_FAILURE_LIMIT):
        login("/admin/login/", "wrong", ip=proxy, forwarded=f"10.9.8.{index}, {attacker}")
    assert login("/admin/login/", PASSWORD, ip=proxy, forwarded=f"{owner}, {attacker}").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker}
    # The owner, through the same proxy, is not locked: the lock is on the attacker's address.
    assert login("/admin/login/", PASSWORD, ip=proxy, forwarded=owner).status_code == 302


def test_login_without_next_lands_on_a_page_that_exists(user):
    client = Client(REMOTE_ADDR="203.0.113.5")
    response = client.post("/api/v1/auth/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/api/v1/"
    assert client.get(response.headers["Location"], HTTP_ACCEPT="application/json").status_code == 200


def test_lockout_wears_off_after_the_cool_off(user, settings):
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
