"""Two clients edit the same record: the second, stale write is refused, not silently applied.

API: PUT, PATCH and DELETE honour ``If-Match`` with the ETag a GET gave (optional: without it a
write is not checked); a stale ETag is 412 and nothing changes. Admin: a change form opened
before someone else saved the record refuses to overwrite their save."""

import pytest
from django.test import Client

from committees.models import CASCO_REFERENCE, Committee, Group, Standard, TermOfReference
from core.concurrency import GONE_MESSAGE, LOADED_FIELD
from liaisons.models import Organization
from meetings.models import Meeting
from tests.admin_forms import admin_url, errors_of, form_data
from tests.factories import StandardFactory, TermOfReferenceFactory
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)
from tests.support import row_counts

STANDARD = "/api/v1/standards/iso-iec-17007/"


@pytest.fixture
def two_api_clients(api, secretariat_token):
    from rest_framework.test import APIClient

    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {secretariat_token}")
    return api, other


def etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


@pytest.fixture
def standard(casco_data):
    return Standard.objects.get(slug="iso-iec-17007")


# --- API ---------------------------------------------------------------------------------------


def test_stale_patch_is_412_and_changes_nothing(two_api_clients, standard):
    first, second = two_api_clients
    tag_first, tag_second = etag(first, STANDARD), etag(second, STANDARD)
    assert tag_first == tag_second

    saved = first.patch(STANDARD, {"title": "First writer"}, format="json", HTTP_IF_MATCH=tag_first)
    assert saved.status_code == 200, saved.content
    stale = second.patch(STANDARD, {"title": "Second writer"}, format="json", HTTP_IF_MATCH=tag_second)

    assert stale.status_code == 412
    assert "changed since" in stale.json()["detail"]
    standard.refresh_from_db()
    assert standard.title == "First writer"


def test_stale_put_and_delete_are_412(two_api_clients, standard):
    first, second = two_api_clients
    old = etag(second, STANDARD)
    assert first.patch(STANDARD, {"abbreviation": "VOC"}, format="json").status_code == 200

    body = {"reference": standard.reference, "title": "Overwritten", "abbreviation": ""}
    assert second.put(STANDARD, body, format="json", HTTP_IF_MATCH=old).status_code == 412
    assert second.delete(STANDARD, HTTP_IF_MATCH=old).status_code == 412
    standard.refresh_from_db()
    assert (standard.title, standard.abbreviation) != ("Overwritten", "")
    assert standard.abbreviation == "VOC"


def test_current_etag_writes_and_the_answer_carries_the_new_etag(api, standard):
    tag = etag(api, STANDARD)
    saved = api.patch(STANDARD, {"title": "Renamed"}, format="json", HTTP_IF_MATCH=tag)
    assert saved.status_code == 200
    assert saved["ETag"] != tag
    assert saved["ETag"] == etag(api, STANDARD)  # the next write can use it without reading again
    assert api.patch(STANDARD, {"title": "Again"}, format="json", HTTP_IF_MATCH=saved["ETag"]).status_code == 200


def test_current_etag_deletes(api, casco_data):
    StandardFactory(reference="ISO 99001")
    url = "/api/v1/standards/iso-99001/"
    assert api.delete(url, HTTP_IF_MATCH='"not-the-etag"').status_code == 412
    assert api.delete(url, HTTP_IF_MATCH=etag(api, url)).status_code == 204
    assert not Standard.objects.filter(reference="ISO 99001").exists()


def test_if_match_is_optional_and_star_matches_any_version(api, standard):
    assert api.patch(STANDARD, {"title": "No precondition"}, format="json").status_code == 200
    assert api.patch(STANDARD, {"title": "Any version"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    standard.refresh_from_db()
    assert standard.title == "Any version"


def test_one_of_several_etags_may_match(api, standard):
    tag = etag(api, STANDARD)
    response = api.patch(STANDARD, {"title": "Listed"}, format="json", HTTP_IF_MATCH=f'"elsewhere", {tag}')
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url, change",
    [
        ("/api/v1/committees/iso-casco/", {"observing_members": 99}),
        ("/api/v1/groups/iso-casco-wg-61/", {"title": "Changed"}),
        ("/api/v1/organizations/iaf/", {"name": "Changed"}),
        ("/api/v1/meetings/", None),
        ("/api/v1/committee-liaisons/iso-tc-207/", {"direction": "both"}),
        ("/api/v1/organization-liaisons/iaf/", {"category": "C"}),
    ],
)
def test_every_resource_refuses_a_stale_write(two_api_clients, casco_data, url, change):
    first, second = two_api_clients
    if change is None:  # meetings: the first one, addressed by its slug
        url = first.get(url).json()["results"][0]["api_url"].removeprefix("http://testserver")
        change = {"title": "Changed"}
    old = etag(second, url)
    assert first.patch(url, change, format="json").status_code == 200
    before = first.get(url).json()
    assert second.patch(url, change, format="json", HTTP_IF_MATCH=old).status_code == 412
    assert first.get(url).json() == before


def test_schema_documents_if_match_and_412(api, casco_data):
    schema = api.get("/api/v1/schema/?format=json").json()
    for method in ("put", "patch", "delete"):
        operation = schema["paths"]["/api/v1/standards/{id_or_slug}/"][method]
        header = next(p for p in operation["parameters"] if p["name"] == "If-Match")
        assert header["in"] == "header" and header.get("required", False) is False
        assert "412" in operation["responses"]
    assert "If-Match" not in str(schema["paths"]["/api/v1/standards/{id_or_slug}/"]["get"])


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def two_admin_clients(secretariat_user):
    first, second = Client(), Client()
    first.force_login(secretariat_user)
    second.force_login(secretariat_user)
    return first, second


@pytest.mark.parametrize(
    "lookup, field",
    [
        (lambda: Committee.objects.get(reference="ISO/CASCO"), "title"),
        (lambda: Group.objects.get(reference="ISO/CASCO/WG 61"), "title"),
        (lambda: Standard.objects.get(slug="iso-iec-17007"), "title"),
        (lambda: Organization.objects.get(acronym="IAF"), "name"),
        (lambda: Meeting.objects.order_by("pk").first(), "title"),
    ],
)
def test_admin_form_opened_before_another_save_refuses_to_overwrite(two_admin_clients, casco_data, lookup, field):
    first, second = two_admin_clients
    obj = lookup()
    url = admin_url(obj)
    data_first, data_second = form_data(first.get(url)), form_data(second.get(url))
    assert data_second[LOADED_FIELD]  # the hidden field carries the version opened

    data_first[field] = "Saved first"
    assert first.post(url, data_first).status_code == 302
    data_second[field] = "Saved second"
    refused = second.post(url, data_second)

    messages = errors_of(refused)["__all__"]
    assert any("changed by someone else since you opened it" in message for message in messages)
    obj.refresh_from_db()
    assert getattr(obj, field) == "Saved first"

    # Opened again, the form shows the first save and can be saved.
    data_again = form_data(second.get(url))
    assert data_again[field] == "Saved first"
    data_again[field] = "Saved second"
    assert second.post(url, data_again).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Saved second"


@pytest.mark.parametrize(
    "lookup",
    [
        lambda: Group.objects.get(reference="ISO/CASCO/WG 61"),
        lambda: Organization.objects.get(acronym="IAF"),
        lambda: Meeting.objects.order_by("pk").first(),
    ],
)
def test_admin_form_saved_after_another_deleted_the_record_says_so(two_admin_clients, casco_data, lookup):
    first, second = two_admin_clients
    obj = lookup()
    model, url = type(obj), admin_url(obj)
    data = form_data(second.get(url))
    assert first.post(admin_url(obj, "delete") + "?cascade=1", {"post": "yes"}).status_code == 302
    counts = row_counts()

    data["title" if hasattr(obj, "title") else "name"] = "Saved after the delete"
    refused = second.post(url, data, follow=True)

    assert refused.redirect_chain == [(admin_url(model, "changelist"), 302)]
    assert [str(message) for message in refused.context["messages"]] == [GONE_MESSAGE]
    assert not model.objects.filter(pk=obj.pk).exists()
    assert row_counts() == counts  # nothing stored, no history row either


def test_admin_missing_record_opened_keeps_djangos_answer(admin_client, casco_data):
    response = admin_client.get("/admin/committees/standard/999999/change/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert ["doesn’t exist. Perhaps it was deleted?" in str(message) for message in response.context["messages"]] == [
        True
    ]


def test_admin_revert_still_works(admin_client, casco_data):
    standard = Standard.objects.get(slug="iso-iec-17007")
    data = form_data(admin_client.get(admin_url(standard)))
    original = data["title"]
    assert admin_client.post(admin_url(standard), {**data, "title": "Changed once"}).status_code == 302
    version = standard.history.filter(title=original).order_by("-history_date").first()
    url = f"/admin/committees/standard/{standard.pk}/history/{version.history_id}/"
    revert = form_data(admin_client.get(url))
    assert admin_client.post(url, revert).status_code == 302
    standard.refresh_from_db()
    assert standard.title == original


def test_an_unreadable_body_is_400_even_with_a_stale_if_match(api, standard):
    """Found by schemathesis: the precondition was checked before the body was read, so garbage
    with a stale ETag got 412 instead of 400."""
    url = f"/api/v1/standards/{standard.slug}/"
    response = api.generic("PUT", url, b"\xff\xfeI", content_type="application/json", HTTP_IF_MATCH='W/"stale"')
    assert response.status_code == 400


def test_an_invalid_body_is_400_even_with_a_stale_if_match(api, standard):
    url = f"/api/v1/standards/{standard.slug}/"
    response = api.patch(url, {"title": "x" * 5000}, format="json", HTTP_IF_MATCH='W/"stale"')
    assert response.status_code == 400


# --- Inline rows and nested rows -----------------------------------------------------------------


def _inline_prefix(data, field_suffix, value):
    """The form prefix of the inline row whose ``field_suffix`` field holds ``value``."""
    return next(
        key.removesuffix(field_suffix)
        for key, item in data.items()
        if key.endswith(field_suffix) and str(item) == value
    )


@pytest.fixture
def casco_terms(casco_data):
    committee = Committee.objects.get(reference=CASCO_REFERENCE)
    return committee, list(committee.terms_of_reference.order_by("position"))


def test_admin_inline_row_changed_meanwhile_refuses_the_save(two_admin_clients, casco_terms):
    """The issue's reproduction: A opens CASCO; B edits term of reference 1 on its own page; A
    saves a change to another field. Before, term 1 went back to A's stale text, silently."""
    first, second = two_admin_clients
    casco, terms = casco_terms
    data_a = form_data(first.get(admin_url(casco)))

    data_b = form_data(second.get(admin_url(terms[0])))
    data_b["text"] = "Changed by B on the term's own page."
    assert second.post(admin_url(terms[0]), data_b).status_code == 302

    data_a["title"] = "Changed by A"
    refused = first.post(admin_url(casco), data_a)
    errors = errors_of(refused)
    row = next(key for key in errors if key.startswith("terms_of_reference-"))
    assert errors[row][0].startswith(
        f"Term of reference “ISO/CASCO ToR {terms[0].position}” was changed by someone else"
    )
    terms[0].refresh_from_db()
    casco.refresh_from_db()
    assert terms[0].text == "Changed by B on the term's own page."
    assert casco.title != "Changed by A"


def test_admin_inline_row_deleted_meanwhile_refuses_the_save(two_admin_clients, casco_terms):
    first, second = two_admin_clients
    casco, terms = casco_terms
    data_a = form_data(first.get(admin_url(casco)))
    assert second.post(admin_url(terms[1], "delete"), {"post": "yes"}).status_code == 302
    counts = row_counts()

    data_a["title"] = "Changed by A"
    refused = first.post(admin_url(casco), data_a)
    messages = errors_of(refused)["terms_of_reference-__all__"]
    assert "Term of reference (row 2) was deleted by someone else since you opened the form." in messages
    assert row_counts() == counts
    assert not TermOfReference.objects.filter(pk=terms[1].pk).exists()  # not recreated either


def test_admin_inline_row_deleted_by_a_after_b_changed_it_is_refused(two_admin_clients, casco_terms):
    first, second = two_admin_clients
    casco, terms = casco_terms
    data_a = form_data(first.get(admin_url(casco)))
    data_b = form_data(second.get(admin_url(terms[0])))
    data_b["text"] = "Still needed, says B."
    assert second.post(admin_url(terms[0]), data_b).status_code == 302

    data_a[_inline_prefix(data_a, "-id", str(terms[0].pk)) + "-DELETE"] = "on"
    refused = first.post(admin_url(casco), data_a)
    messages = errors_of(refused)["terms_of_reference-__all__"]
    assert any("was changed by someone else" in message for message in messages)
    assert TermOfReference.objects.get(pk=terms[0].pk).text == "Still needed, says B."


def test_admin_inline_row_added_meanwhile_is_kept(two_admin_clients, casco_terms):
    first, _ = two_admin_clients
    casco, _ = casco_terms
    data_a = form_data(first.get(admin_url(casco)))
    added = TermOfReferenceFactory(committee=casco, text="Added by B meanwhile.")

    data_a["title"] = "Changed by A"
    assert first.post(admin_url(casco), data_a).status_code == 302
    assert TermOfReference.objects.filter(pk=added.pk, text="Added by B meanwhile.").exists()
    assert Committee.objects.get(reference=CASCO_REFERENCE).title == "Changed by A"


def test_admin_partner_rows_changed_through_the_api_meanwhile_refuse_the_save(two_admin_clients, api, casco_data):
    """A many-to-many table's rows have no updated_at: their version is what they link."""
    first, _ = two_admin_clients
    group = Group.objects.get(reference="ISO/CASCO/IAF/ILAC JSG")
    data_a = form_data(first.get(admin_url(group)))
    url = f"/api/v1/groups/{group.slug}/"
    assert api.patch(url, {"partner_organizations": ["IAF"]}, format="json").status_code == 200

    data_a["title"] = "Changed by A"
    refused = first.post(admin_url(group), data_a)
    assert any(
        "was deleted by someone else" in message for key, value in errors_of(refused).items() for message in value
    )
    assert [o.acronym for o in Group.objects.get(pk=group.pk).partner_organizations.all()] == ["IAF"]


def test_api_etag_covers_the_partners_it_writes(two_admin_clients, api, casco_data):
    first, _ = two_admin_clients
    group = Group.objects.get(reference="ISO/CASCO/IAF/ILAC JSG")
    url = f"/api/v1/groups/{group.slug}/"
    old = etag(api, url)
    data = form_data(first.get(admin_url(group)))
    data[_inline_prefix(data, "-organization", str(Organization.objects.get(acronym="ILAC").pk)) + "-DELETE"] = "on"
    assert first.post(admin_url(group), data).status_code == 302

    assert etag(api, url) != old
    assert (
        api.patch(url, {"partner_organizations": ["IAF", "ILAC"]}, format="json", HTTP_IF_MATCH=old).status_code == 412
    )
    assert [o.acronym for o in Group.objects.get(pk=group.pk).partner_organizations.all()] == ["IAF"]


def test_api_etag_of_a_committee_covers_its_terms_of_reference(two_admin_clients, api, casco_terms):
    first, _ = two_admin_clients
    _, terms = casco_terms
    url = "/api/v1/committees/iso-casco/"
    old = etag(api, url)
    data = form_data(first.get(admin_url(terms[0])))
    data["text"] = "Changed in the admin."
    assert first.post(admin_url(terms[0]), data).status_code == 302
    assert api.patch(url, {"title": "Stale"}, format="json", HTTP_IF_MATCH=old).status_code == 412
    assert Committee.objects.get(reference=CASCO_REFERENCE).title != "Stale"
