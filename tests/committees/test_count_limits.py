"""Integer counts have the same bounds on every database. Django's own integer range check depends
on the backend (SQLite accepts any 64-bit number, PostgreSQL's integer stops at 2,147,483,647), so
without a bound of its own the API stored 2**40 members on SQLite and refused it on PostgreSQL.
The committee counts stop at COUNT_MAX and a term of reference's position at TERM_POSITION_MAX, in
validation (a message on the field) and in a database check constraint alike."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from api_tokens.services import api_token_create
from committees.models import COUNT_MAX, TERM_POSITION_MAX, Committee, TermOfReference
from tests.factories import CommitteeFactory, TermOfReferenceFactory, UserFactory

pytestmark = pytest.mark.django_db

COUNT_FIELDS = ["participating_members", "observing_members", "published_standards", "standards_under_development"]
NEW_COMMITTEE = {"reference": "ISO/TC 991", "body": "ISO", "kind": "technical_committee", "title": "New"}
TOO_BIG = [2**40, COUNT_MAX + 1, 2**31, 2**63]


@pytest.fixture
def secretariat_client():
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="committees"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='tests')[1]}")
    return client


def assert_field_refused(response, field):
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert messages == [f"Ensure this value is less than or equal to {COUNT_MAX}."], messages


@pytest.mark.parametrize("value", TOO_BIG)
@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_api_refuses_a_count_past_the_limit_on_create(secretariat_client, field, value):
    response = secretariat_client.post("/api/v1/committees/", {**NEW_COMMITTEE, field: value}, format="json")
    assert_field_refused(response, field)
    assert not Committee.objects.filter(reference="ISO/TC 991").exists()


@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_api_refuses_a_count_past_the_limit_on_update(secretariat_client, field):
    committee = CommitteeFactory(**{field: 7})
    for value in (2**40, COUNT_MAX + 1):
        response = secretariat_client.patch(f"/api/v1/committees/{committee.slug}/", {field: value}, format="json")
        assert_field_refused(response, field)
    committee.refresh_from_db()
    assert getattr(committee, field) == 7


@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_api_accepts_the_limit(secretariat_client, field):
    response = secretariat_client.post("/api/v1/committees/", {**NEW_COMMITTEE, field: COUNT_MAX}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()[field] == COUNT_MAX
    assert getattr(Committee.objects.get(reference="ISO/TC 991"), field) == COUNT_MAX
    committee = Committee.objects.get(reference="ISO/TC 991")
    response = secretariat_client.patch(f"/api/v1/committees/{committee.slug}/", {field: 0}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()[field] == 0


def test_api_refuses_every_count_at_once_with_a_message_each(secretariat_client):
    response = secretariat_client.post(
        "/api/v1/committees/", {**NEW_COMMITTEE, **dict.fromkeys(COUNT_FIELDS, 2**40)}, format="json"
    )
    for field in COUNT_FIELDS:
        assert_field_refused(response, field)


@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_validation_gives_the_same_message_on_every_database(field):
    with pytest.raises(ValidationError) as caught:
        Committee(**NEW_COMMITTEE, **{field: 2**40}).full_clean()
    assert caught.value.message_dict == {field: [f"Ensure this value is less than or equal to {COUNT_MAX}."]}
    Committee(**NEW_COMMITTEE, **{field: COUNT_MAX}).full_clean()


@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_database_refuses_a_count_past_the_limit(field):
    committee = CommitteeFactory(**{field: COUNT_MAX})
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.filter(pk=committee.pk).update(**{field: COUNT_MAX + 1})
    Committee.objects.filter(pk=committee.pk).update(**{field: None})  # unknown counts stay allowed


def test_schema_documents_the_limit(secretariat_client):
    schema = secretariat_client.get("/api/v1/schema/", {"format": "json"}).json()
    for component in ("Committee", "CommitteeWrite", "PatchedCommitteeWrite"):
        properties = schema["components"]["schemas"][component]["properties"]
        for field in COUNT_FIELDS:
            assert properties[field]["maximum"] == COUNT_MAX, (component, field)
            assert properties[field]["minimum"] == 0, (component, field)


def test_term_of_reference_position_is_bounded():
    committee = CommitteeFactory()
    TermOfReference(committee=committee, position=TERM_POSITION_MAX, text="last").full_clean()
    for position in (TERM_POSITION_MAX + 1, 2**40):
        with pytest.raises(ValidationError) as caught:
            TermOfReference(committee=committee, position=position, text="too far").full_clean()
        assert caught.value.message_dict == {
            "position": [f"Ensure this value is less than or equal to {TERM_POSITION_MAX}."]
        }
    term = TermOfReferenceFactory(committee=committee, position=TERM_POSITION_MAX)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermOfReference.objects.filter(pk=term.pk).update(position=TERM_POSITION_MAX + 1)
