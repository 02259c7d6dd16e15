"""Text as sent must fit the published schema, and no record holds control characters.

Found by schemathesis (negative mode, on PostgreSQL): an acronym of 41 characters starting with a
non-breaking space was stored, because DRF measures a value after trimming it and the reference
fields are tidied before that; the schema says ``maxLength: 40`` of what is sent. The same acronym
held U+0001, U+0002 and U+0013, which were stored unseen. Both are now refused, with a message per
field, by the API and by the admin (the model's own checks), and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from committees.models import Committee, Group
from liaisons.models import Organization
from meetings.models import Meeting
from tests.admin_forms import admin_add, admin_edit, errors_of
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db

ORGANIZATION_ACRONYM_MAX = Organization._meta.get_field("acronym").max_length


def assert_refused(response, field, text):
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert any(text in message for message in messages), messages


# --- Length as sent ------------------------------------------------------------------------------


@pytest.mark.parametrize("padding", ["\xa0", " ", "\t", "  "])
def test_padded_value_over_the_limit_is_refused(api, casco_data, padding):
    acronym = padding + "X" * ORGANIZATION_ACRONYM_MAX
    count = Organization.objects.count()
    response = api.post("/api/v1/organizations/", {"acronym": acronym}, format="json")
    assert_refused(response, "acronym", f"no more than {ORGANIZATION_ACRONYM_MAX} characters")
    assert Organization.objects.count() == count


def test_value_at_the_limit_is_stored_tidied(api, casco_data):
    acronym = "\xa0" + "Y" * (ORGANIZATION_ACRONYM_MAX - 2) + " "
    response = api.post("/api/v1/organizations/", {"acronym": acronym}, format="json")
    assert response.status_code == 201, response.content
    assert Organization.objects.filter(acronym="Y" * (ORGANIZATION_ACRONYM_MAX - 2)).exists()


def test_too_long_is_reported_with_the_other_field_errors(api, casco_data):
    title = " " + "T" * Group._meta.get_field("title").max_length
    response = api.post(
        "/api/v1/groups/",
        {"reference": "ISO/CASCO/WG 99", "title": title, "kind": "team", "committee": "ISO/CASCO"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"title", "kind"}
    assert not Group.objects.filter(reference="ISO/CASCO/WG 99").exists()


def test_form_encoded_bodies_are_measured_too(api, casco_data):
    response = api.post("/api/v1/organizations/", {"acronym": " " + "Z" * ORGANIZATION_ACRONYM_MAX})
    assert_refused(response, "acronym", "no more than")


# --- Control characters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("organizations", {"acronym": "AB\x01\x02C\x13"}, "acronym"),
        ("organizations", {"acronym": "NEWORG", "name": "Name\x07"}, "name"),
        (
            "committees",
            {"reference": "ISO/TC 991", "body": "ISO", "kind": "technical_committee", "title": "A\x1bB"},
            "title",
        ),
        (
            "committees",
            {"reference": "ISO/TC 991", "body": "ISO", "kind": "technical_committee", "summary": "Bell\x07"},
            "summary",
        ),
        (
            "groups",
            {
                "reference": "ISO/CASCO/WG 99",
                "title": "Tab\tin a title",
                "kind": "working_group",
                "committee": "ISO/CASCO",
            },
            "title",
        ),
        ("meetings", {"title": "Plen\x85ary", "kind": "meeting", "year": 2027}, "title"),
        ("meetings", {"title": "Plenary", "kind": "meeting", "year": 2027, "venue": "Hall\x7f"}, "venue"),
        ("standards", {"reference": "ISO 99999", "title": "Line\nbreak"}, "title"),
    ],
)
def test_api_refuses_control_characters(api, casco_data, path, body, field):
    counts = [model.objects.count() for model in (Committee, Group, Organization, Meeting)]
    response = api.post(f"/api/v1/{path}/", body, format="json")
    assert_refused(response, field, "control character U+")
    assert [model.objects.count() for model in (Committee, Group, Organization, Meeting)] == counts


def test_message_names_the_character_and_where_it_is(api, casco_data):
    response = api.post("/api/v1/organizations/", {"acronym": "NEWORG", "name": "Abc\x13def"}, format="json")
    assert response.json()["name"] == [
        "Remove the control character U+0013 (character 4): no published text holds one."
    ]


def test_multi_line_texts_keep_line_breaks_and_tabs(api, casco_data):
    summary = "First paragraph.\r\n\r\nSecond\tparagraph.\n"
    response = api.post(
        "/api/v1/committees/",
        {"reference": "ISO/TC 991", "body": "ISO", "kind": "technical_committee", "title": "T", "summary": summary},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Committee.objects.get(reference="ISO/TC 991").summary.startswith("First paragraph.")


def test_update_with_a_control_character_changes_nothing(api, casco):
    before = casco.title
    response = api.patch(f"/api/v1/committees/{casco.slug}/", {"title": "New\x00title"}, format="json")
    assert response.status_code == 400
    casco.refresh_from_db()
    assert casco.title == before


def test_admin_refuses_control_characters(admin_client, casco):
    before = casco.title
    errors = errors_of(admin_edit(admin_client, casco, title="Conformity\x0bassessment"))
    assert "control character U+000B" in " ".join(errors["title"])
    casco.refresh_from_db()
    assert casco.title == before


def test_admin_add_refuses_control_characters(admin_client, casco_data):
    count = Organization.objects.count()
    errors = errors_of(admin_add(admin_client, Organization, acronym="CTRL", description="Bo\x1fdy"))
    assert "control character U+001F" in " ".join(errors["description"])
    assert Organization.objects.count() == count


def test_model_check_reports_every_field(casco):
    group = Group(
        committee=casco, reference="ISO/CASCO/WG 98", title="A\x01", description="B\x02", kind="working_group"
    )
    with pytest.raises(ValidationError) as caught:
        group.full_clean()
    assert {"title", "description"} <= set(caught.value.error_dict)


def test_excluded_fields_are_not_checked(casco):
    group = Group(committee=casco, reference="ISO/CASCO/WG 98", title="A\x01", kind="working_group")
    group.full_clean(exclude=["title", "slug", "sort_key"])


# --- Strings only ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [3.366616270581227e16, 42, True, {"a": 1}])
def test_a_text_field_takes_a_string_only(api, casco_data, value):
    count = Organization.objects.count()
    response = api.post("/api/v1/organizations/", {"acronym": "NUMS", "country": value}, format="json")
    assert_refused(response, "country", "Not a valid string.")
    assert Organization.objects.count() == count


def test_null_stays_for_the_field_to_judge(api, casco_data):
    response = api.post("/api/v1/organizations/", {"acronym": "NULLS", "country": None}, format="json")
    assert_refused(response, "country", "may not be null")
