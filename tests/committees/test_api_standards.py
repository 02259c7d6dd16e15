"""GET /api/v1/standards/."""

import pytest

from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import references

URL = "/api/v1/standards/"
pytestmark = pytest.mark.django_db


def test_list_detail_and_groups(client, casco_data):
    assert client.get(URL).json()["count"] == 6
    data = client.get(f"{URL}iso-ts-23406/").json()
    assert data["abbreviation"] == "ITNS"
    assert data["url"] == "http://testserver/standards/iso-ts-23406/"
    assert data["groups"] and "reference" in data["groups"][0]["group"]
    assert client.get(f"{URL}{data['id']}/").json() == data


def test_filter_group_search_ordering(client, casco_data):
    assert references(client.get(URL, {"group": "iso-casco-jwg-58"})) == ["ISO 21030"]
    assert client.get(URL, {"group": "no-group"}).status_code == 400
    assert references(client.get(URL, {"search": "ITNS"})) == ["ISO/TS 23406"]
    refs = references(client.get(URL, {"ordering": "-reference"}))
    assert refs == references(client.get(URL, {"ordering": "reference"}))[::-1]


def test_csv_and_304(client, casco_data):
    response = client.get(URL, HTTP_ACCEPT="text/csv")
    assert len(response.content.decode().splitlines()) == 7
    assert client.get(URL, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
