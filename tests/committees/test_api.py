"""GET /api/v1/committees/: list, detail by slug and id, filters, search, ordering, CSV, 304."""

import pytest

from committees.models import Committee
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import references, results

URL = "/api/v1/committees/"
pytestmark = pytest.mark.django_db


def test_list_counts_every_committee(client, casco_data):
    response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == 56
    assert len(results(response)) == 56


def test_detail_by_slug_carries_parent_and_page_url(client, casco_data):
    data = client.get(f"{URL}iso-tc-207-sc-2/").json()
    assert data["reference"] == "ISO/TC 207/SC 2"
    assert data["kind"] == "subcommittee"
    assert data["parent"]["reference"] == "ISO/TC 207"
    assert data["parent"]["api_url"] == "http://testserver/api/v1/committees/iso-tc-207/"
    assert data["parent"]["url"] == "http://testserver/committees/iso-tc-207/"
    assert data["url"] == "http://testserver/committees/iso-tc-207-sc-2/"
    assert data["liaisons"][0]["committee"]["reference"] == "ISO/CASCO"


def test_detail_by_id_is_the_same_record(client, casco_data):
    committee = Committee.objects.get(reference="ISO/TC 207")
    by_id = client.get(f"{URL}{committee.pk}/").json()
    by_slug = client.get(f"{URL}iso-tc-207/").json()
    assert by_id == by_slug
    assert [sub["reference"] for sub in by_id["subcommittees"]] == [
        "ISO/TC 207/SC 1",
        "ISO/TC 207/SC 2",
        "ISO/TC 207/SC 3",
        "ISO/TC 207/SC 4",
        "ISO/TC 207/SC 5",
        "ISO/TC 207/SC 7",
    ]


def test_casco_detail_has_counts_and_terms_of_reference(client, casco):
    data = client.get(f"{URL}iso-casco/").json()
    assert data["participating_members"] == casco.participating_members
    assert [term["position"] for term in data["terms_of_reference"]] == [1, 2, 3]


@pytest.mark.parametrize("missing", ["iso-tc-99999", "999999", "99999999999999999999999", "bad%20slug"])
def test_unknown_detail_is_404_with_message(client, casco_data, missing):
    response = client.get(f"{URL}{missing}/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("params", "count"), [({"body": "IEC"}, 1), ({"body": "ISO/IEC"}, 4), ({"kind": "subcommittee"}, 19)]
)
def test_filter_body_and_kind(client, casco_data, params, count):
    response = client.get(URL, {**params, "page_size": 100})
    assert response.json()["count"] == count
    key, value = next(iter(params.items()))
    assert {row[key] for row in results(response)} == {value}


def test_filter_parent_by_slug(client, casco_data):
    response = client.get(URL, {"parent": "iso-iec-jtc-1"})
    assert references(response) == ["ISO/IEC JTC 1/SC 7", "ISO/IEC JTC 1/SC 27", "ISO/IEC JTC 1/SC 42"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"body": "XYZ"}, "body"), ({"kind": "club"}, "kind"), ({"parent": "no-such-committee"}, "parent")],
)
def test_invalid_filter_value_is_400_with_message(client, casco_data, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()[field]


def test_updated_since(client, casco_data):
    assert client.get(URL, {"updated_since": "2000-01-01T00:00:00Z"}).json()["count"] == 56
    assert client.get(URL, {"updated_since": "2999-01-01T00:00:00Z"}).json()["count"] == 0
    Committee.objects.get(reference="ISO/TC 207").save()
    latest = Committee.objects.latest("updated_at").updated_at
    response = client.get(URL, {"updated_since": latest.isoformat()})
    assert references(response) == ["ISO/TC 207"]


def test_updated_since_not_a_timestamp_is_400(client, casco_data):
    response = client.get(URL, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_search_reference_and_title(client, casco_data):
    assert references(client.get(URL, {"search": '"TC 207/SC 2"'})) == ["ISO/TC 207/SC 2"]
    # Over the committees' search definition (committees/search.py), each word on its own, as
    # DRF's SearchFilter matched them before there was one definition.
    assert references(client.get(URL, {"search": "jtc 1/sc 42"})) == ["ISO/IEC JTC 1/SC 42"]
    assert references(client.get(URL, {"search": "jtc sc 42"})) == ["ISO/IEC JTC 1/SC 42"]
    assert "ISO/TC 207" in references(client.get(URL, {"search": "environmental management"}))


def test_ordering_by_reference_is_natural(client, casco_data):
    refs = references(
        client.get(URL, {"ordering": "reference", "body": "ISO", "kind": "technical_committee", "page_size": 100})
    )
    assert refs.index("ISO/TC 34") < refs.index("ISO/TC 207")
    reverse = references(
        client.get(URL, {"ordering": "-reference", "body": "ISO", "kind": "technical_committee", "page_size": 100})
    )
    assert reverse == list(reversed(refs))


def test_ordering_by_title(client, casco_data):
    titles = [row["title"] for row in results(client.get(URL, {"ordering": "title", "page_size": 100}))]
    assert titles == sorted(titles)


def test_unknown_ordering_is_400(client, casco_data):
    response = client.get(URL, {"ordering": "password"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_csv_list_and_detail(client, casco_data):
    response = client.get(URL, {"format": "csv", "parent": "iso-tc-207"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,reference,slug,url,api_url,title,body,kind,parent,")
    assert len(lines) == 1 + 6
    assert ",ISO/TC 207/SC 2,iso-tc-207-sc-2," in lines[2]
    assert ",ISO/TC 207," in lines[2]  # the parent, as its reference

    detail = client.get(f"{URL}iso-tc-207-sc-2/", HTTP_ACCEPT="text/csv")
    assert detail["Content-Type"].startswith("text/csv")
    assert len(detail.content.decode().splitlines()) == 2


def test_etag_gives_304_until_the_committee_changes(client, casco_data):
    first = client.get(f"{URL}iso-tc-207/")
    etag = first["ETag"]
    assert client.get(f"{URL}iso-tc-207/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    listing = client.get(URL)
    assert client.get(URL, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304

    Committee.objects.filter(reference="ISO/TC 207").update(title="Environment")
    assert client.get(f"{URL}iso-tc-207/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.get(URL, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200


@pytest.mark.parametrize("stamp", ["0242-01-04T09:33:14.32+23:18", "2020-01-01T00:00:00-23:59"])
def test_updated_since_with_any_iso_offset_is_answered(client, casco_data, stamp):
    """Found by schemathesis on PostgreSQL, which refuses offsets beyond ±15:59: 500 before."""
    assert client.get(URL, {"updated_since": stamp}).status_code == 200


def test_updated_since_that_leaves_the_calendar_is_400(client, casco_data):
    response = client.get(URL, {"updated_since": "0001-01-01T00:00:00+05:00"})
    assert response.status_code == 400
    assert "updated_since" in response.json()
