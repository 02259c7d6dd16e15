"""Who may write: anonymous clients read only (401), an authenticated user needs the matching
model permission (403 without), the secretariat writes by token or by session with CSRF."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import token_client
from tests.api_resources import IDS, RESOURCES

pytestmark = pytest.mark.django_db
VERBS = ["post", "put", "patch", "delete"]


def prepare(resource, verb):
    """(url, body, record) for one write verb; PUT, PATCH and DELETE get a fresh record."""
    if verb == "post":
        return resource.url, resource.body(), None
    record = resource.make()
    url = f"{resource.url}{record.pk}/"
    body = {"put": resource.body, "patch": lambda: resource.change}.get(verb, lambda: None)()
    return url, body, record


def write(client, resource, verb, *, check_unchanged=False):
    """Perform one write verb; returns (response, the record changed or None for POST). With
    check_unchanged, asserts that the table is exactly as it was before the request."""
    url, body, record = prepare(resource, verb)
    before = snapshot(resource)
    response = getattr(client, verb)(url, body, format="json") if body is not None else getattr(client, verb)(url)
    if check_unchanged:
        assert snapshot(resource) == before
    return response, record


def snapshot(resource):
    return sorted(map(str, resource.model.objects.values_list()))


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_anonymous_cannot_write(client, resource, verb):
    response, _ = write(client, resource, verb, check_unchanged=True)
    assert response.status_code == 401, response.content
    assert "detail" in response.json()
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_authenticated_without_permission_is_403(reader_client, resource, verb):
    response, _ = write(reader_client, resource, verb, check_unchanged=True)
    assert response.status_code == 403, response.content
    assert "detail" in response.json()


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_authenticated_without_permission_can_read(reader_client, resource):
    assert reader_client.get(resource.url).status_code == 200


@pytest.mark.parametrize(("verb", "expected"), [("post", 201), ("put", 200), ("patch", 200), ("delete", 204)])
@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_secretariat_writes_by_token(secretariat_client, resource, verb, expected):
    response, record = write(secretariat_client, resource, verb)
    assert response.status_code == expected, response.content
    model = resource.model
    if verb == "post":
        data = response.json()
        assert model.objects.filter(pk=data["id"]).exists()
        assert response["Location"] == data["api_url"]
        assert data["url"].startswith("http://testserver/")
    elif verb == "delete":
        assert not model.objects.filter(pk=record.pk).exists()
    else:
        record.refresh_from_db()
        if verb == "patch":
            for field, value in resource.change.items():
                assert getattr(record, field) == value
            assert response.json()[field] == value


@pytest.mark.parametrize(("codename", "allowed"), [("add_standard", "post"), ("delete_standard", "delete")])
def test_each_verb_needs_its_own_permission(django_user_model, codename, allowed):
    standards = next(r for r in RESOURCES if r.path == "standards")
    user = django_user_model.objects.create_user("partial")
    user.user_permissions.add(Permission.objects.get(codename=codename))
    client = token_client(user)
    for verb in VERBS:
        standards.model.objects.all().delete()
        response, _ = write(client, standards, verb, check_unchanged=verb != allowed)
        assert (response.status_code < 300) == (verb == allowed), (verb, response.status_code)


def test_invalid_token_is_401(casco_data):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/committees/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_session_write_needs_csrf_token(secretariat):
    resource = next(r for r in RESOURCES if r.path == "standards")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(secretariat)
    refused = client.post(resource.url, resource.body(), format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not resource.model.objects.exists()

    client.get("/api/v1/standards/", HTTP_ACCEPT="text/html")  # the browsable API sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(resource.url, resource.body(), format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content
    assert resource.model.objects.count() == 1
