"""API writes are recorded by django-simple-history with the user who made them."""

import pytest
from rest_framework.test import APIClient

from committees.models import Standard
from tests.api_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db


def test_token_write_records_the_api_user(secretariat_client, secretariat):
    response = secretariat_client.post("/api/v1/standards/", {"reference": "ISO 99991", "title": "New"}, format="json")
    assert response.status_code == 201
    standard = Standard.objects.get(reference="ISO 99991")
    created = standard.history.get()
    assert created.history_type == "+"
    assert created.history_user == secretariat

    secretariat_client.patch(f"/api/v1/standards/{standard.slug}/", {"title": "Changed"}, format="json")
    changed = standard.history.latest()
    assert (changed.history_type, changed.title, changed.history_user) == ("~", "Changed", secretariat)


def test_session_write_records_the_user(secretariat):
    client = APIClient()
    client.force_login(secretariat)
    client.post("/api/v1/standards/", {"reference": "ISO 99992"}, format="json")
    assert Standard.objects.get(reference="ISO 99992").history.get().history_user == secretariat


def test_delete_records_the_user(secretariat_client, secretariat):
    standard = Standard.objects.create(reference="ISO 99993")
    assert secretariat_client.delete(f"/api/v1/standards/{standard.pk}/").status_code == 204
    deleted = Standard.history.filter(reference="ISO 99993").latest()
    assert (deleted.history_type, deleted.history_user) == ("-", secretariat)
