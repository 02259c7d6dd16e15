"""GET /api/v1/groups/: list, detail by slug and id, type and committee filters, search, ordering."""

import pytest

from committees.models import Group
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import references, results

URL = "/api/v1/groups/"
pytestmark = pytest.mark.django_db


def test_list_and_count(client, casco_data):
    response = client.get(URL)
    assert response.json()["count"] == 17
    assert len(results(response)) == 17


def test_detail_by_slug_and_id_carries_partners_and_standards(client, casco_data):
    data = client.get(f"{URL}iso-casco-jwg-58/").json()
    assert data["committee"]["reference"] == "ISO/CASCO"
    assert [c["reference"] for c in data["partner_committees"]] == ["ISO/TC 232"]
    link = Group.objects.get(reference="ISO/CASCO/JWG 58").group_standards.get()
    assert [(s["standard"]["reference"], s["work"]) for s in data["standards"]] == [("ISO 21030", link.work)]
    assert data["url"] == "http://testserver/groups/iso-casco-jwg-58/"
    group = Group.objects.get(reference="ISO/CASCO/JWG 58")
    assert client.get(f"{URL}{group.pk}/").json() == data


def test_partner_organizations_and_participations(client, casco_data):
    jsg = client.get(f"{URL}iso-casco-iaf-ilac-jsg/").json()
    assert sorted(org["acronym"] for org in jsg["partner_organizations"]) == ["IAF", "ILAC"]
    star = client.get(f"{URL}iso-casco-star/").json()
    assert [p["organization"]["acronym"] for p in star["participations"]] == ["IIOA"]


def test_filter_type(client, casco_data):
    response = client.get(URL, {"type": "joint_working_group"})
    assert response.json()["count"] == 5
    assert {row["kind"] for row in results(response)} == {"joint_working_group"}


def test_filter_committee_by_slug(client, casco_data):
    assert client.get(URL, {"committee": "iso-casco"}).json()["count"] == 15
    assert references(client.get(URL, {"committee": "iso-tc-207-sc-2"})) == ["ISO/TC 207/SC 2/JWG 1"]


def test_filter_partner(client, casco_data):
    assert references(client.get(URL, {"partner": "iso-casco"})) == ["ISO/TC 207/SC 2/JWG 1", "ISO/TC 207/SC 7/JWG 6"]


@pytest.mark.parametrize(
    ("param", "value"), [("type", "club"), ("committee", "nobody"), ("updated_since", "2019-13-45")]
)
def test_invalid_filter_is_400(client, casco_data, param, value):
    response = client.get(URL, {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_search_title_and_reference(client, casco_data):
    assert references(client.get(URL, {"search": "WG 61"})) == ["ISO/CASCO/WG 61"]
    assert "ISO/CASCO/JWG 58" in references(client.get(URL, {"search": "educational"}))


def test_ordering_by_reference_is_natural(client, casco_data):
    refs = references(client.get(URL, {"committee": "iso-casco", "ordering": "reference"}))
    assert refs.index("ISO/CASCO/WG 30") < refs.index("ISO/CASCO/WG 61") < refs.index("ISO/CASCO/WG 64")
    assert references(client.get(URL, {"committee": "iso-casco", "ordering": "-reference"})) == refs[::-1]


def test_csv(client, casco_data):
    response = client.get(URL, {"committee": "iso-tc-207-sc-2"}, HTTP_ACCEPT="text/csv")
    lines = response.content.decode().splitlines()
    assert len(lines) == 2
    assert "ISO/TC 207/SC 2/JWG 1" in lines[1]
    assert "ISO/CASCO" in lines[1]  # the partner committee


def test_304(client, casco_data):
    etag = client.get(f"{URL}iso-casco-wg-30/")["ETag"]
    assert client.get(f"{URL}iso-casco-wg-30/", HTTP_IF_NONE_MATCH=etag).status_code == 304
