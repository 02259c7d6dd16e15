"""Users and settings for the hostile-input tests: a secretariat user (staff, in the Secretariat
group the roles code maintains), no anonymous throttling and no public response cache."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from api_tokens.services import api_token_create

# The fixtures a test module gets with `from tests.hostile_clients import *`: they were
# the conftest of one folder, and the modules that use them now live with the app they test.
__all__ = ["_no_throttling", "admin_client", "anon_api", "api", "secretariat_token", "secretariat_user"]


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Hostile requests are counted by the throttle like any others; these tests turn it off so
    they see the answer to the request itself (tests/core/test_api_common.py tests the throttle)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}


@pytest.fixture
def secretariat_user(db):
    from core.roles import secretariat_group_ensure

    group, _ = secretariat_group_ensure()
    user = get_user_model().objects.create_user("hostile-sec", password="not-used-here-5521")
    user.is_staff = True
    user.save()
    user.groups.add(group)
    return user


@pytest.fixture
def secretariat_token(secretariat_user):
    return api_token_create(user=secretariat_user, name="tests")[1]


@pytest.fixture
def api(secretariat_token):
    """An API client with the secretariat user's token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secretariat_token}")
    return client


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture
def admin_client(client, secretariat_user):
    """The Django test client logged in as the secretariat user (admin pages)."""
    client.force_login(secretariat_user)
    return client
