"""Who may write what, as one table: every portal model × every write path (API with a token, API
with a session and its CSRF token, admin add / change / delete) × every role (anonymous, logged in
without permission, the Secretariat group as `ensure_secretariat_group` makes it, superuser).

Create, update and delete succeed only for the secretariat and superusers, and do what they say
(the record is created at the address the answer gives, changed, deleted). Elsewhere: API writes
401 anonymous (asking for a token) / 403 without permission, with a ``detail``; admin redirects
anonymous to the login page and answers 403 to staff outside the group. Every refused write leaves
the table exactly as it was. Reading needs no permission; each write verb needs its own model
permission; a session write needs the CSRF token."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from rest_framework.test import APIClient

from api_tokens.services import api_token_create
from tests.admin_forms import admin_url, form_data
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import token_client
from tests.api_resources import IDS, RESOURCES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "no_permission", "secretariat", "superuser"]
# The UserFactory role of each (staff, so the admin answers 403 for lack of permission rather than
# sending to the login page); an anonymous visitor has no user.
FACTORY_ROLES = {"no_permission": "staff", "secretariat": "secretariat", "superuser": "superuser"}
ALLOWED = {"secretariat", "superuser"}
API_VERBS = {"post": 201, "put": 200, "patch": 200, "delete": 204}


@pytest.fixture(autouse=True)
def _fast(settings):
    """No throttling (each role's requests come from one address)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}


def user_for(role):
    return None if role == "anonymous" else UserFactory(role=FACTORY_ROLES[role])


def snapshot(model):
    return sorted(map(str, model.objects.values_list()))


def prepare(resource, verb):
    """(url, body, record) for one write verb; PUT, PATCH and DELETE get a fresh record."""
    if verb == "post":
        return resource.url, resource.body(), None
    record = resource.make()
    body = {"put": resource.body, "patch": lambda: resource.change}.get(verb, lambda: None)()
    return f"{resource.url}{record.pk}/", body, record


def api_client(path, role):
    user = user_for(role)
    if path == "token":
        client = APIClient()
        if user:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='tests')[1]}")
        return client, {}
    client = APIClient(enforce_csrf_checks=True)
    if user:
        client.force_login(user)
    client.get("/api/v1/standards/", HTTP_ACCEPT="text/html")  # the browsable API sets the CSRF cookie
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", list(API_VERBS))
@pytest.mark.parametrize("path", ["token", "session"])
@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_api_write(resource, path, verb, role):
    client, headers = api_client(path, role)
    url, body, record = prepare(resource, verb)
    before = snapshot(resource.model)
    response = getattr(client, verb)(url, body, format="json", **headers)
    if role in ALLOWED:
        assert response.status_code == API_VERBS[verb], response.content
        assert snapshot(resource.model) != before
        assert_done(resource, verb, response, record)
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), response.content
        assert "detail" in response.json()
        if role == "anonymous":
            assert response["WWW-Authenticate"] == "Token"
        assert snapshot(resource.model) == before


def assert_done(resource, verb, response, record):
    """The write did what it says: a created record exists at the address the answer gives, a
    deleted one is gone, a patched one holds the change (in the database and in the answer)."""
    model = resource.model
    if verb == "post":
        data = response.json()
        assert model.objects.filter(pk=data["id"]).exists()
        assert response["Location"] == data["api_url"]
        assert data["url"].startswith("http://testserver/")
    elif verb == "delete":
        assert not model.objects.filter(pk=record.pk).exists()
    elif verb == "patch":
        record.refresh_from_db()
        for field, value in resource.change.items():
            assert getattr(record, field) == value
            assert response.json()[field] == value


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_api_read_needs_no_permission(reader_client, resource):
    assert reader_client.get(resource.url).status_code == 200


@pytest.mark.parametrize(("codename", "allowed"), [("add_standard", "post"), ("delete_standard", "delete")])
def test_api_each_verb_needs_its_own_permission(codename, allowed):
    standards = next(r for r in RESOURCES if r.path == "standards")
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename=codename))
    client = token_client(user)
    for verb in API_VERBS:
        standards.model.objects.all().delete()
        url, body, _ = prepare(standards, verb)
        before = snapshot(standards.model)
        response = getattr(client, verb)(url, body, format="json")
        assert (response.status_code < 300) == (verb == allowed), (verb, response.status_code)
        if verb != allowed:
            assert snapshot(standards.model) == before


def test_api_invalid_token_is_401(casco_data):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/committees/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_api_session_write_needs_csrf_token(secretariat):
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


@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_api_session_write_without_csrf_token_is_refused_even_for_the_secretariat(resource):
    client, _ = api_client("session", "secretariat")
    record = resource.make()
    before = snapshot(resource.model)
    response = client.patch(f"{resource.url}{record.pk}/", resource.change, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert snapshot(resource.model) == before


def admin_client(role):
    client = Client()
    if user := user_for(role):
        client.force_login(user)
    return client


def admin_post(resource, view, role):
    """(response, table before, table after) for one admin write. The form data comes from the
    form as a superuser sees it, so only permissions differ between roles."""
    record = resource.make()
    editor = Client()
    editor.force_login(UserFactory(role="superuser"))
    if view == "delete":
        url, data = admin_url(record, "delete"), {"post": "yes"}
    else:
        data = form_data(editor.get(admin_url(record)))
        if view == "change":
            url = admin_url(record)
            field = next(name for name in ("title", "name", "direction", "category") if name in data)
            data[field] = {"direction": "both", "category": "C"}.get(field, "Changed by the matrix")
        else:  # add: the same record again, after removing it
            record.delete()
            url = admin_url(resource.model, "add")
    client = admin_client(role)
    before = snapshot(resource.model)
    response = client.post(url, data)
    return response, before, snapshot(resource.model)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ["add", "change", "delete"])
@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_admin_write(resource, view, role):
    response, before, after = admin_post(resource, view, role)
    if role in ALLOWED:
        assert response.status_code == 302, getattr(response, "context", None) and response.context.get("errors")
        assert after != before
    else:
        assert after == before
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES, ids=IDS)
def test_admin_add_page(resource, role):
    response = admin_client(role).get(admin_url(resource.model, "add"))
    expected = {"anonymous": 302, "no_permission": 403}.get(role, 200)
    assert response.status_code == expected
