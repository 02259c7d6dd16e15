"""Long, number-heavy references through the API: 201 or 400, never 500, the same on SQLite and
PostgreSQL. Issue 17's reproductions (a 59-character standard reference, a group reference with
35 numbered parts, a 39-character acronym) overflowed the sort key: a 500 on PostgreSQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committees.models import Group, Standard
from core.references import (
    GROUP_SEGMENT_PATTERN,
    STANDARD_REFERENCE_PATTERN,
    natural_sort_key,
    normalise_spaces,
)
from liaisons.models import Organization
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.committees.test_lengths import LONG_ACRONYM, LONG_GROUP, LONG_STANDARD

pytestmark = pytest.mark.django_db


def created(response):
    assert response.status_code == 201, response.content
    return response.json()


def test_a_59_character_standard_reference(secretariat_client):
    created(secretariat_client.post("/api/v1/standards/", {"reference": LONG_STANDARD}, format="json"))
    standard = Standard.objects.get(reference=LONG_STANDARD)
    assert standard.sort_key == natural_sort_key(LONG_STANDARD)


def test_a_group_reference_with_35_numbered_parts(secretariat_client, casco_data):
    body = {"reference": LONG_GROUP, "title": "Many parts", "kind": "working_group", "committee": "ISO/CASCO"}
    created(secretariat_client.post("/api/v1/groups/", body, format="json"))
    assert Group.objects.get(reference=LONG_GROUP).sort_key == natural_sort_key(LONG_GROUP)


def test_a_39_character_acronym(secretariat_client):
    created(secretariat_client.post("/api/v1/organizations/", {"acronym": LONG_ACRONYM}, format="json"))
    assert Organization.objects.get(acronym=LONG_ACRONYM).sort_key == natural_sort_key(LONG_ACRONYM)


def test_a_title_too_long_for_its_slug_makes_a_shorter_slug(secretariat_client):
    title = "Workshop " + " ".join(["on conformity assessment"] * 11)
    data = created(secretariat_client.post("/api/v1/meetings/", {"title": title, "kind": "workshop", "year": 2026}))
    assert 0 < len(data["slug"]) <= 120


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("standards", {"reference": "ISO " + "1" * 57}, "reference"),  # 61 characters
        ("organizations", {"acronym": "1" * 41}, "acronym"),
        ("groups", {"reference": "ISO/CASCO/" + "A1" * 36, "title": "T", "kind": "working_group"}, "reference"),
    ],
)
def test_one_character_over_is_a_400_on_the_field(secretariat_client, casco_data, path, body, field):
    response = secretariat_client.post(f"/api/v1/{path}/", {**body, "committee": "ISO/CASCO"}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


standard_references = st.from_regex(rf"\A{STANDARD_REFERENCE_PATTERN}\Z").filter(lambda text: len(text) <= 70)
group_references = st.lists(st.from_regex(rf"\A{GROUP_SEGMENT_PATTERN}\Z"), min_size=1, max_size=30).map(
    lambda segments: "ISO/CASCO/" + "/".join(segments)
)
acronyms = st.text(st.sampled_from("0123456789 AZaz-/ß"), min_size=1, max_size=45)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reference=standard_references, acronym=acronyms)
def test_generated_standards_and_acronyms_are_stored_or_refused(secretariat_client, reference, acronym):
    for path, body, source in (
        ("standards", {"reference": reference}, Standard.objects.filter(reference=reference)),
        ("organizations", {"acronym": acronym}, Organization.objects.filter(acronym=normalise_spaces(acronym))),
    ):
        response = secretariat_client.post(f"/api/v1/{path}/", body, format="json")
        assert response.status_code in (201, 400), response.content
        if response.status_code == 201:
            record = source.get()
            assert len(record.sort_key) <= record._meta.get_field("sort_key").max_length


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reference=group_references)
def test_generated_group_references_are_stored_or_refused(secretariat_client, casco_data, reference):
    body = {"reference": reference, "title": "Generated", "kind": "working_group", "committee": "ISO/CASCO"}
    response = secretariat_client.post("/api/v1/groups/", body, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 201:
        assert Group.objects.get(reference=reference).sort_key == natural_sort_key(reference)
    else:
        assert len(reference) > 80 or Group.objects.filter(reference=reference).exists(), response.content
