"""Fixtures for the API tests: clients for anonymous, authenticated-without-permission and
secretariat (model permissions) users, and no throttling or response cache unless a test asks."""

import itertools

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.test import APIClient

from api_tokens.services import api_token_create
from core.registry import portal_app_labels

# The fixtures a test module gets with `from tests.api_clients import *`: they were
# the conftest of one folder, and the modules that use them now live with the app they test.
__all__ = ["_api_settings", "client", "reader", "reader_client", "secretariat", "secretariat_client"]


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """Each test starts with an empty cache, no anonymous throttling and no public response cache
    (tests that need either turn it on themselves)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    settings.PUBLIC_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def reader(django_user_model):
    """Authenticated, but without any model permission."""
    return django_user_model.objects.create_user("reader", password="reader-password-1")


@pytest.fixture
def secretariat(django_user_model):
    """A user with every model permission of the portal's apps (as the secretariat has)."""
    user = django_user_model.objects.create_user("secretariat", password="secretariat-password-1")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=portal_app_labels()))
    return user


_token_numbers = itertools.count(1)


def token_client(user):
    client = APIClient()
    _token, key = api_token_create(user=user, name=f"tests {next(_token_numbers)}")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def reader_client(reader):
    return token_client(reader)


@pytest.fixture
def secretariat_client(secretariat):
    return token_client(secretariat)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def references(response, key="reference"):
    return [row[key] for row in results(response)]
