"""GET /api/v1/organizations/ and /api/v1/organization-liaisons/: categories A/B/C (23/0/2)."""

import pytest

from liaisons.models import Organization
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import results

URL = "/api/v1/organizations/"
LIAISONS = "/api/v1/organization-liaisons/"
pytestmark = pytest.mark.django_db


def acronyms(response):
    return [row["acronym"] for row in results(response)]


def test_list(client, casco_data):
    assert client.get(URL).json()["count"] == 28


@pytest.mark.parametrize(("category", "count"), [("A", 23), ("B", 0), ("C", 2)])
def test_filter_category(client, casco_data, category, count):
    response = client.get(URL, {"category": category, "page_size": 100})
    assert response.json()["count"] == count
    for row in results(response):
        assert category in [liaison["category"] for liaison in row["liaisons"]]


def test_category_c_are_nqsa_and_vet21001(client, casco_data):
    assert acronyms(client.get(URL, {"category": "C"})) == ["NQSA", "VET21001"]


def test_in_liaison(client, casco_data):
    assert client.get(URL, {"in_liaison": "true"}).json()["count"] == 25
    assert client.get(URL, {"in_liaison": "false"}).json()["count"] == 3


def test_invalid_category_is_400(client, casco_data):
    response = client.get(URL, {"category": "D"})
    assert response.status_code == 400
    assert "category" in response.json()


def test_detail_by_slug_and_id(client, casco_data):
    data = client.get(f"{URL}iaf/").json()
    assert data["acronym"] == "IAF"
    assert data["url"] == "http://testserver/organizations/iaf/"
    assert [(li["committee"]["reference"], li["category"]) for li in data["liaisons"]] == [("ISO/CASCO", "A")]
    assert [g["reference"] for g in data["joint_groups"]] == ["ISO/CASCO/IAF/ILAC JSG"]
    assert client.get(f"{URL}{Organization.objects.get(acronym='IAF').pk}/").json() == data
    assert client.get(f"{URL}tic-council/").json()["acronym"] == "TIC Council"


def test_hosted_meetings_and_participations(client, casco_data):
    assert [m["slug"] for m in client.get(f"{URL}kebs/").json()["hosted_meetings"]] == ["2019-iso-casco-plenary"]
    assert len(client.get(f"{URL}iioa/").json()["participations"]) == 2


def test_search_acronym_and_name(client, casco_data):
    assert acronyms(client.get(URL, {"search": "wada"})) == ["WADA"]
    assert "IAF" in acronyms(client.get(URL, {"search": "Accreditation Forum"}))


def test_ordering(client, casco_data):
    assert acronyms(client.get(URL, {"ordering": "-acronym", "page_size": 100}))[0] == "WADA"
    assert client.get(URL, {"ordering": "nope"}).status_code == 400


def test_csv(client, casco_data):
    lines = client.get(URL, {"category": "C", "format": "csv"}).content.decode().splitlines()
    assert lines[0].startswith("id,acronym,slug,")
    assert len(lines) == 3
    assert "ISO/CASCO C" in lines[1]


def test_304(client, casco_data):
    etag = client.get(f"{URL}iaf/")["ETag"]
    assert client.get(f"{URL}iaf/", HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- organization liaisons ---


@pytest.mark.parametrize(("category", "count"), [("A", 23), ("B", 0), ("C", 2)])
def test_organization_liaisons_by_category(client, casco_data, category, count):
    response = client.get(LIAISONS, {"category": category})
    assert response.json()["count"] == count
    assert {row["category"] for row in results(response)} <= {category}


def test_organization_liaison_detail_by_organization_slug_and_id(client, casco_data):
    data = client.get(f"{LIAISONS}nqsa/").json()
    assert data["organization"]["acronym"] == "NQSA"
    assert data["committee"]["reference"] == "ISO/CASCO"
    assert data["category"] == "C"
    assert data["url"] == "http://testserver/organizations/nqsa/"
    assert client.get(f"{LIAISONS}{data['id']}/").json() == data


def test_organization_liaison_filters_and_search(client, casco_data):
    assert client.get(LIAISONS, {"committee": "iso-casco"}).json()["count"] == 25
    assert [r["organization"]["acronym"] for r in results(client.get(LIAISONS, {"organization": "ilac"}))] == ["ILAC"]
    assert [r["organization"]["acronym"] for r in results(client.get(LIAISONS, {"search": "ILAC"}))] == ["ILAC"]
    assert client.get(LIAISONS, {"category": "Z"}).status_code == 400
    orgs = [r["organization"]["acronym"] for r in results(client.get(LIAISONS, {"ordering": "organization"}))]
    assert orgs[0] == "BIPM"


def test_organization_liaisons_csv_and_304(client, casco_data):
    response = client.get(LIAISONS, {"category": "C"}, HTTP_ACCEPT="text/csv")
    assert response.content.decode().splitlines()[1].split(",")[3] == "NQSA"
    assert (
        client.get(LIAISONS, {"category": "C"}, HTTP_IF_NONE_MATCH=response["ETag"], HTTP_ACCEPT="text/csv").status_code
        == 304
    )
