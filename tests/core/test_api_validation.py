"""Bad input gives 400 with a message per field (409 for conflicts), never 500, and stores nothing."""

from unittest import mock

import pytest
from django.db import IntegrityError

from committees.models import Committee, Group, Standard
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting
from tests.api_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db

COMMITTEE = {"reference": "ISO/TC 991", "body": "ISO", "kind": "technical_committee", "title": "New"}


def tables():
    return [
        model.objects.count()
        for model in (Committee, Group, Standard, CommitteeLiaison, Organization, OrganizationLiaison, Meeting)
    ]


def assert_refused(response, field, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert field in body, body
    messages = body[field] if isinstance(body[field], list) else [body[field]]
    assert all(isinstance(message, str) and message for message in messages)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("committees", {**COMMITTEE, "reference": "TC 991"}, "reference"),
        ("committees", {**COMMITTEE, "reference": "ISO/TC 207"}, "reference"),  # duplicate
        ("committees", {**COMMITTEE, "body": "ANSI"}, "body"),
        ("committees", {**COMMITTEE, "body": "IEC"}, "body"),  # an ISO reference given to IEC (model clean)
        ("committees", {**COMMITTEE, "kind": "club"}, "kind"),
        ("committees", {**COMMITTEE, "participating_members": -1}, "participating_members"),
        ("committees", {**COMMITTEE, "published_standards": "many"}, "published_standards"),
        ("committees", {**COMMITTEE, "parent": "ISO/TC 0"}, "parent"),
        ("committees", {k: v for k, v in COMMITTEE.items() if k != "kind"}, "kind"),
        ("committees", {k: v for k, v in COMMITTEE.items() if k != "reference"}, "reference"),
        (
            "groups",
            {"reference": "ISO/TC 207/WG 9", "title": "T", "kind": "working_group", "committee": "ISO/CASCO"},
            "reference",
        ),
        (
            "groups",
            {"reference": "ISO/CASCO/WG 30", "title": "T", "kind": "working_group", "committee": "ISO/CASCO"},
            "reference",
        ),
        ("groups", {"reference": "ISO/CASCO/WG 99", "title": "T", "kind": "team", "committee": "ISO/CASCO"}, "kind"),
        ("groups", {"reference": "ISO/CASCO/WG 99", "title": "T", "kind": "working_group"}, "committee"),
        (
            "groups",
            {
                "reference": "ISO/CASCO/WG 99",
                "title": "T",
                "kind": "working_group",
                "committee": "ISO/CASCO",
                "partner_organizations": ["NOPE"],
            },
            "partner_organizations",
        ),
        (
            "committee-liaisons",
            {"committee": "ISO/CASCO", "liaison_committee": "ISO/TC 207", "direction": "sideways"},
            "direction",
        ),
        (
            "committee-liaisons",
            {"committee": "ISO/CASCO", "liaison_committee": "ISO/TC 207", "direction": "both"},
            "non_field_errors",
        ),
        (
            "committee-liaisons",
            {"committee": "ISO/CASCO", "liaison_committee": "ISO/CASCO", "direction": "both"},
            "liaison_committee",
        ),
        ("organizations", {"acronym": "IAF"}, "acronym"),
        ("organizations", {"acronym": "iaf"}, "acronym"),  # the same address as IAF
        ("organizations", {"acronym": "!!!"}, "acronym"),
        ("organizations", {"name": "No acronym"}, "acronym"),
        ("organization-liaisons", {"organization": "IAF", "committee": "ISO/CASCO", "category": "D"}, "category"),
        (
            "organization-liaisons",
            {"organization": "IAF", "committee": "ISO/CASCO", "category": "A"},
            "non_field_errors",
        ),
        ("organization-liaisons", {"organization": "NOPE", "committee": "ISO/CASCO", "category": "A"}, "organization"),
        ("meetings", {"title": "M", "kind": "party", "year": 2021}, "kind"),
        ("meetings", {"title": "M", "kind": "meeting", "year": 1800}, "year"),
        (
            "meetings",
            {"title": "M", "kind": "meeting", "year": 2021, "start_date": "2021-05-02", "end_date": "2021-05-01"},
            "end_date",
        ),
        ("meetings", {"title": "M", "kind": "meeting", "year": 2020, "start_date": "2021-05-02"}, "year"),
        ("meetings", {"title": "2019 ISO/CASCO Plenary", "kind": "meeting", "year": 2019}, "slug"),
        ("meetings", {"title": "M", "kind": "meeting", "year": 2021, "start_date": "not a date"}, "start_date"),
        ("standards", {"reference": "ISO-17000"}, "reference"),
        ("standards", {"reference": "ISO 21030"}, "reference"),
    ],
)
def test_bad_create_is_400_per_field_and_stores_nothing(secretariat_client, casco_data, path, body, field):
    before = tables()
    assert_refused(secretariat_client.post(f"/api/v1/{path}/", body, format="json"), field)
    assert tables() == before


@pytest.mark.parametrize(
    "path", ["committees", "groups", "committee-liaisons", "organizations", "meetings", "standards"]
)
def test_malformed_json_is_400(secretariat_client, casco_data, path):
    before = tables()
    response = secretariat_client.post(f"/api/v1/{path}/", '{"reference": "ISO/TC 1",', content_type="application/json")
    assert_refused(response, "detail")
    assert "JSON" in response.json()["detail"]
    assert tables() == before


def test_json_that_is_not_an_object_is_400(secretariat_client, casco_data):
    assert_refused(secretariat_client.post("/api/v1/standards/", [1, 2], format="json"), "non_field_errors")


def test_unsupported_media_type_is_415(secretariat_client, casco_data):
    response = secretariat_client.post("/api/v1/standards/", "reference=ISO 1", content_type="text/plain")
    assert response.status_code == 415


def test_patch_self_parent_is_400(secretariat_client, casco_data):
    response = secretariat_client.patch("/api/v1/committees/iso-tc-207/", {"parent": "ISO/TC 207"}, format="json")
    assert_refused(response, "parent")
    assert Committee.objects.get(reference="ISO/TC 207").parent is None


def test_patch_negative_count_is_400(secretariat_client, casco):
    response = secretariat_client.patch("/api/v1/committees/iso-casco/", {"observing_members": -5}, format="json")
    assert_refused(response, "observing_members")
    casco.refresh_from_db()
    assert casco.observing_members >= 0


def test_put_missing_field_is_400(secretariat_client, casco_data):
    response = secretariat_client.put("/api/v1/standards/iso-21030/", {"title": "only a title"}, format="json")
    assert_refused(response, "reference")
    assert Standard.objects.filter(reference="ISO 21030").exists()


def test_partial_update_is_validated_against_the_whole_record(secretariat_client, casco_data):
    response = secretariat_client.patch("/api/v1/committees/iso-tc-207/", {"body": "IEC"}, format="json")
    assert_refused(response, "body")


def test_delete_of_a_record_others_refer_to_is_409(secretariat_client, casco_data):
    before = tables()
    response = secretariat_client.delete("/api/v1/committees/iso-casco/")
    assert_refused(response, "detail", status=409)
    assert "ISO/CASCO" in response.json()["detail"]
    assert tables() == before


def test_integrity_error_at_save_is_409_not_500(secretariat_client, casco_data):
    before = tables()
    with mock.patch("committees.serializers.StandardWriteSerializer.save", side_effect=IntegrityError("boom")):
        response = secretariat_client.post("/api/v1/standards/", {"reference": "ISO 99999"}, format="json")
    assert_refused(response, "detail", status=409)
    assert tables() == before


def test_update_unknown_record_is_404(secretariat_client, casco_data):
    response = secretariat_client.patch("/api/v1/standards/iso-1/", {"title": "x"}, format="json")
    assert response.status_code == 404


def test_meeting_slug_is_made_from_the_title(secretariat_client, casco_data):
    response = secretariat_client.post(
        "/api/v1/meetings/",
        {"title": "2027 ISO/CASCO Plenary", "kind": "plenary", "year": 2027, "committee": "ISO/CASCO"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "2027-iso-casco-plenary"
    assert response.json()["committee"]["reference"] == "ISO/CASCO"


@pytest.mark.parametrize("body_format", ["json", "multipart"])
def test_meeting_slug_left_blank_is_made_from_the_title(secretariat_client, casco_data, body_format):
    response = secretariat_client.post(
        "/api/v1/meetings/",
        {"title": "Blank Slug Workshop", "kind": "workshop", "year": 2027, "slug": ""},
        format=body_format,
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "blank-slug-workshop"


def test_meeting_slug_blank_on_update_keeps_the_address(secretariat_client, casco_data):
    meeting = Meeting.objects.first()
    response = secretariat_client.patch(f"/api/v1/meetings/{meeting.slug}/", {"slug": ""}, format="json")
    assert response.status_code == 200, response.content
    assert Meeting.objects.get(pk=meeting.pk).slug == meeting.slug


def test_multipart_body_with_no_readable_part_is_400(secretariat_client, casco_data):
    standard = Standard.objects.first()
    boundary = "bae637d4baefd1aa392ef93dba14bb9c"
    body = f"--{boundary}\r\n[[[]], -346, {{'x': 1}}]--{boundary}--\r\n"
    response = secretariat_client.patch(
        f"/api/v1/standards/{standard.slug}/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert_refused(response, "detail")
    assert "no field or file" in response.json()["detail"]
    assert Standard.objects.get(pk=standard.pk).updated_at == standard.updated_at


def test_group_with_partners_round_trip(secretariat_client, casco_data):
    body = {
        "reference": "ISO/CASCO/JWG 99",
        "title": "Joint",
        "kind": "joint_working_group",
        "committee": "ISO/CASCO",
        "partner_committees": ["ISO/TC 207"],
        "partner_organizations": ["IAF"],
    }
    response = secretariat_client.post("/api/v1/groups/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [c["reference"] for c in data["partner_committees"]] == ["ISO/TC 207"]
    assert [o["acronym"] for o in data["partner_organizations"]] == ["IAF"]
