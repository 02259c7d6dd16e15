"""What every list shares: pagination bounds, the API root, throttling of anonymous clients,
the browsable API and the interactive docs served from the portal's own static files."""

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache

from tests.api_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db
URL = "/api/v1/committees/"


def test_root_lists_every_resource(client):
    data = client.get("/api/v1/").json()
    assert set(data) == {
        "committees",
        "groups",
        "committee-liaisons",
        "organizations",
        "organization-liaisons",
        "meetings",
        "standards",
    }


def test_pages_and_page_size(client, casco_data):
    first = client.get(URL, {"page_size": 20}).json()
    assert first["count"] == 56
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get(URL, {"page_size": 20, "page": 3}).json()
    assert len(last["results"]) == 16
    assert last["next"] is None
    assert client.get(URL, {"page_size": 20, "page": "last"}).json() == last


def test_default_page_size_is_50(client, casco_data):
    assert len(client.get(URL).json()["results"]) == 50


def test_page_size_up_to_200(client, ten_times_data):
    response = client.get(URL, {"page_size": 200})
    assert response.json()["count"] == 560
    assert len(response.json()["results"]) == 200


@pytest.mark.parametrize("page", ["0", "-1", "4", "99999999999999999999", "abc", "1.5"])
def test_page_out_of_range_or_not_a_number_is_404(client, casco_data, page):
    response = client.get(URL, {"page_size": 20, "page": page})
    assert response.status_code == 404
    assert "does not exist" in response.json()["detail"]


@pytest.mark.parametrize("size", ["0", "-3", "201", "abc", "10.5"])
def test_bad_page_size_is_400(client, casco_data, size):
    response = client.get(URL, {"page_size": size})
    assert response.status_code == 400
    assert response.json()["page_size"]


def test_null_character_in_search_is_400(client, casco_data):
    response = client.get(URL, {"search": "a\x00b"})
    assert response.status_code == 400
    assert "search" in response.json()


@pytest.mark.parametrize("value", ["\x00", "a" * 500, "%00"])
def test_odd_lookup_values_are_404(client, casco_data, value):
    assert client.get(f"{URL}{value}/").status_code == 404


def test_unknown_accept_is_406(client, casco_data):
    assert client.get(URL, HTTP_ACCEPT="application/pdf").status_code == 406


def test_browsable_api_is_available(client, casco_data):
    response = client.get(URL, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Committee" in response.content
    assert response["Content-Type"].startswith("text/html")


def test_anonymous_clients_are_throttled_with_retry_after(client, settings, casco_data):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    cache.clear()
    statuses = [client.get(URL, {"page": 1, "page_size": n}).status_code for n in (1, 2, 3, 4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/groups/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()


def test_authenticated_clients_are_not_throttled(reader_client, settings, casco_data):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    cache.clear()
    assert [reader_client.get(URL).status_code for _ in range(3)] == [200, 200, 200]


def test_swagger_ui_uses_the_portals_own_static_files(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    # ReDoc cannot run under the CSP (it injects inline styles): its address leads to Swagger UI.
    response = client.get("/api/v1/redoc/")
    assert response.status_code == 301 and response["Location"] == "/api/v1/docs/"


@pytest.mark.django_db
def test_benchmark_baselines_are_mounted_only_by_the_benchmark_urlconf(client, settings):
    assert client.get("/api/v1/_ping/").status_code == 404
    assert client.get("/_ping").status_code == 404
    settings.ROOT_URLCONF = "benchmarks.urls"  # what benchmarks.settings sets
    assert client.get("/api/v1/_ping/").json() == {"status": "ok"}
    assert client.get("/_ping").content == b"ok\n"
    assert client.get("/api/v1/committees/?page_size=1").status_code == 200  # the portal's URLs too


@pytest.mark.parametrize("lookup", ["²", "١٢", "0x1", "9" * 40])
def test_lookups_that_look_like_numbers_but_are_not_ids_are_404(client, casco_data, lookup):
    """Found by schemathesis: "²".isdigit() is true but int("²") raised, a 500."""
    assert client.get(f"/api/v1/committees/{lookup}/").status_code == 404
    assert client.patch(f"/api/v1/committees/{lookup}/", {}, content_type="application/json").status_code in (401, 404)
