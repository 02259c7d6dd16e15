"""The API refuses impossible committee structures with a 400 naming the field (the model's
validation, tests/committees/test_structure.py), and stores nothing."""

import pytest

from committees.models import Committee
from tests.api_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db

URL = "/api/v1/committees/"


def refused(response, field, text):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert text in " ".join(body[field]), body[field]


def test_a_parent_cycle_between_two_committees_is_refused(secretariat_client, casco_data):
    for reference in ("ISO/TC 999", "ISO/TC 998"):
        body = {"reference": reference, "body": "ISO", "kind": "technical_committee"}
        assert secretariat_client.post(URL, body, format="json").status_code == 201
    response = secretariat_client.patch(f"{URL}iso-tc-998/", {"parent": "ISO/TC 999"}, format="json")
    refused(response, "parent", "Only a subcommittee has a parent")
    response = secretariat_client.patch(f"{URL}iso-tc-999/", {"parent": "ISO/TC 998"}, format="json")
    refused(response, "parent", "Only a subcommittee has a parent")
    assert not Committee.objects.filter(reference__in=["ISO/TC 998", "ISO/TC 999"], parent__isnull=False).exists()


def test_a_subcommittee_cannot_be_reparented_under_casco(secretariat_client, casco_data):
    response = secretariat_client.patch(f"{URL}iso-tc-176-sc-2/", {"parent": "ISO/CASCO"}, format="json")
    refused(response, "parent", "“ISO/CASCO” is a policy committee")
    response = secretariat_client.patch(
        f"{URL}iso-tc-176-sc-2/", {"parent": "ISO/CASCO", "kind": "joint_technical_committee"}, format="json"
    )
    refused(response, "kind", "is a subcommittee, by its reference")
    assert Committee.objects.get(reference="ISO/TC 176/SC 2").parent.reference == "ISO/TC 176"


def test_a_subcommittee_under_another_technical_committee_is_refused(secretariat_client, casco_data):
    response = secretariat_client.patch(f"{URL}iso-tc-176-sc-2/", {"parent": "ISO/TC 207"}, format="json")
    refused(response, "parent", "The parent of “ISO/TC 176/SC 2” is “ISO/TC 176”")


@pytest.mark.parametrize(
    ("reference", "kind", "text"),
    [
        ("ISO/TC 207/SC 99", "technical_committee", "is a subcommittee"),
        ("ISO/IEC JTC 9", "technical_committee", "is a joint technical committee"),
        ("ISO/XYZ", "technical_committee", "is a policy committee or board"),
    ],
)
def test_a_new_committee_of_the_wrong_kind_is_refused(secretariat_client, casco_data, reference, kind, text):
    body = {"reference": reference, "body": "ISO/IEC" if "JTC" in reference else "ISO", "kind": kind}
    refused(secretariat_client.post(URL, body, format="json"), "kind", text)
    assert not Committee.objects.filter(reference=reference).exists()


def test_a_new_subcommittee_under_its_committee_is_created(secretariat_client, casco_data):
    body = {"reference": "ISO/TC 207/SC 99", "body": "ISO", "kind": "subcommittee", "parent": "ISO/TC 207"}
    response = secretariat_client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["parent"]["reference"] == "ISO/TC 207"
