"""GET /api/v1/committee-liaisons/: directions (42 incoming / 27 outgoing / 21 both) and the rest."""

import pytest

from liaisons.models import CommitteeLiaison
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import results

URL = "/api/v1/committee-liaisons/"
pytestmark = pytest.mark.django_db


def liaison_refs(response):
    return [row["liaison_committee"]["reference"] for row in results(response)]


def test_list(client, casco_data):
    assert client.get(URL).json()["count"] == 48


@pytest.mark.parametrize(("direction", "count"), [("incoming", 42), ("outgoing", 27), ("both", 21)])
def test_filter_direction(client, casco_data, direction, count):
    response = client.get(URL, {"direction": direction, "page_size": 100})
    assert response.json()["count"] == count
    rows = results(response)
    assert len(rows) == count
    if direction in ("incoming", "both"):
        assert all(row["can_access_committee_documents"] for row in rows)
    if direction in ("outgoing", "both"):
        assert all(row["committee_can_access_documents"] for row in rows)


def test_invalid_direction_is_400(client, casco_data):
    response = client.get(URL, {"direction": "sideways"})
    assert response.status_code == 400
    assert "direction" in response.json()


def test_detail_by_liaison_committee_slug_and_id(client, casco_data):
    data = client.get(f"{URL}iso-tc-207-sc-2/").json()
    assert data["committee"]["reference"] == "ISO/CASCO"
    assert data["liaison_committee"]["reference"] == "ISO/TC 207/SC 2"
    assert data["parent"]["reference"] == "ISO/TC 207"
    liaison = CommitteeLiaison.objects.get(liaison_committee__reference="ISO/TC 207/SC 2")
    assert data["direction"] == liaison.direction
    assert data["can_access_committee_documents"] == liaison.can_access_documents
    assert data["committee_can_access_documents"] == liaison.documents_accessible
    assert data["url"] == "http://testserver/committees/iso-tc-207-sc-2/"
    assert client.get(f"{URL}{liaison.pk}/").json() == data


def test_filters_committee_and_liaison_committee(client, casco_data):
    assert client.get(URL, {"committee": "iso-casco"}).json()["count"] == 48
    assert liaison_refs(client.get(URL, {"liaison_committee": "iso-tc-207"})) == ["ISO/TC 207"]


def test_search_and_ordering(client, casco_data):
    assert liaison_refs(client.get(URL, {"search": "JTC 1/SC 27"})) == ["ISO/IEC JTC 1/SC 27"]
    refs = liaison_refs(client.get(URL, {"ordering": "liaison_committee", "page_size": 100}))
    assert refs.index("ISO/TC 34") < refs.index("ISO/TC 207")
    by_direction = [row["direction"] for row in results(client.get(URL, {"ordering": "direction", "page_size": 100}))]
    assert by_direction == sorted(by_direction)


def test_csv_has_direction_columns(client, casco_data):
    lines = client.get(URL, {"format": "csv", "direction": "both"}).content.decode().splitlines()
    assert "direction,can_access_committee_documents,committee_can_access_documents" in lines[0]
    assert len(lines) == 22
    assert all(",both,true,true," in line for line in lines[1:])


def test_304(client, casco_data):
    etag = client.get(URL, {"direction": "both"})["ETag"]
    assert client.get(URL, {"direction": "both"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(URL, {"direction": "incoming"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
