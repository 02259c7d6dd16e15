"""GET /api/v1/meetings/: year and kind filters, search, ordering, detail by slug and id."""

import pytest

from meetings.models import Meeting
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import results

URL = "/api/v1/meetings/"
pytestmark = pytest.mark.django_db


def slugs(response):
    return [row["slug"] for row in results(response)]


def test_list_and_detail(client, casco_data):
    assert client.get(URL).json()["count"] == 2
    data = client.get(f"{URL}2019-iso-casco-plenary/").json()
    assert data["committee"]["reference"] == "ISO/CASCO"
    assert data["host"]["acronym"] == "KEBS"
    assert data["host"]["url"] == "http://testserver/organizations/kebs/"
    assert data["start_date"] is None
    assert data["url"] == "http://testserver/meetings/2019-iso-casco-plenary/"
    assert client.get(f"{URL}{Meeting.objects.get(slug='2019-iso-casco-plenary').pk}/").json() == data


def test_filter_year_and_kind(client, casco_data):
    assert client.get(URL, {"year": 2019}).json()["count"] == 2
    assert client.get(URL, {"year": 2020}).json()["count"] == 0
    assert slugs(client.get(URL, {"kind": "workshop"})) == ["2019-iso-workshop-on-market-surveillance"]
    assert slugs(client.get(URL, {"host": "kebs"})) == ["2019-iso-casco-plenary"]


@pytest.mark.parametrize(("param", "value"), [("year", "last"), ("kind", "party"), ("host", "nobody")])
def test_invalid_filter_is_400(client, casco_data, param, value):
    response = client.get(URL, {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_search(client, casco_data):
    assert slugs(client.get(URL, {"search": "Kenya"})) == ["2019-iso-casco-plenary"]
    assert slugs(client.get(URL, {"search": "surveillance"})) == ["2019-iso-workshop-on-market-surveillance"]


def test_ordering(client, casco_data):
    titles = [row["title"] for row in results(client.get(URL, {"ordering": "-title"}))]
    assert titles == sorted(titles, reverse=True)


def test_csv_and_304(client, casco_data):
    response = client.get(URL, {"format": "csv"})
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,slug,url,api_url,title,kind,year,committee,host,")
    assert ",KEBS," in response.content.decode()
    assert client.get(URL, {"format": "csv"}, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
