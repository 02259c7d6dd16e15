"""On-the-fly gzip (casco_portal/compression.py): public reads are compressed — HTML, JSON, CSV,
iCalendar, the sitemap — and decompress to exactly the bytes sent uncompressed; responses that
may hold a secret (BREACH) never are: the admin, both login pages, the browsable API (it carries a
CSRF token), anything with a csrfmiddlewaretoken field, anything for a signed-in user or an API
token, anything that sets a cookie. Conditional requests keep working: the gzip body has its own
strong ETag ("…-gzip"), If-None-Match with it gives 304 (from the API and from the page cache),
and If-Match with it lets a write through (and a stale one is still 412)."""

import gzip
import re

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
STANDARD = "/api/v1/standards/iso-iec-17007/"
PUBLIC = [
    ("/liaisons/", "text/html"),
    ("/groups/iso-casco-wg-30/", "text/html"),
    ("/search/?q=accreditation", "text/html"),
    ("/api/v1/committees/", "application/json"),
    ("/api/v1/committees/?format=csv", "text/csv"),
    ("/liaisons/?format=csv", "text/csv"),
    ("/meetings/calendar.ics", "text/calendar"),
    ("/sitemap.xml", "application/xml"),
]


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def same_feed(body):
    """The iCal feed with its DTSTAMP (the time it was produced) blanked."""
    return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:-", body)


def test_public_reads_are_compressed_and_decompress_to_the_same_bytes(casco_data):
    for url, content_type in PUBLIC:
        plain = Client().get(url)
        packed = Client().get(url, **GZIP)
        assert plain.status_code == packed.status_code == 200, url
        assert packed["Content-Type"].startswith(content_type), url
        assert "Content-Encoding" not in plain, url
        assert packed["Content-Encoding"] == "gzip", url
        assert "accept-encoding" in vary(packed) and "accept-encoding" in vary(plain), url
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content), url
        assert same_feed(gzip.decompress(packed.content)) == same_feed(plain.content), url


def test_short_and_already_small_responses_are_left_alone():
    response = Client().get("/robots.txt", **GZIP)  # under 200 bytes
    assert response.status_code == 200 and "Content-Encoding" not in response


def test_admin_and_login_pages_are_never_compressed(casco_data):
    for url in ("/admin/login/", "/api/v1/auth/login/"):
        response = Client().get(url, **GZIP, **HTML)
        assert response.status_code == 200, url
        assert b"csrfmiddlewaretoken" in response.content, url
        assert "Content-Encoding" not in response, url
    admin_root = Client().get("/admin/", **GZIP)
    assert admin_root.status_code == 302 and "Content-Encoding" not in admin_root


def test_browsable_api_with_its_csrf_token_is_not_compressed(casco_data):
    response = Client().get("/api/v1/committees/", **GZIP, **HTML)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert b"csrfToken" in response.content  # DRF's page carries the token for its forms
    assert "Content-Encoding" not in response
    assert "csrftoken" in response.cookies


def test_a_csrf_token_in_the_page_stops_compression_even_without_a_cookie(casco_data, settings):
    """With CSRF_USE_SESSIONS the token lives in the session: a reader's second visit to the
    browsable API sets no cookie, yet the page carries the token, so it must not be compressed."""
    settings.CSRF_USE_SESSIONS = True
    browser = Client()
    first = browser.get("/api/v1/committees/", **GZIP, **HTML)
    assert "sessionid" in first.cookies and "Content-Encoding" not in first
    second = browser.get("/api/v1/committees/", **GZIP, **HTML)
    assert second.status_code == 200 and not second.cookies
    assert b"csrfToken" in second.content
    assert "Content-Encoding" not in second


def test_signed_in_users_and_api_tokens_get_nothing_compressed(casco_data, django_user_model, secretariat_token):
    user = django_user_model.objects.create_user("reader", password="not-used-9931")
    browser = Client()
    browser.force_login(user)
    for url in ("/liaisons/", "/groups/iso-casco-wg-30/", "/api/v1/committees/", "/meetings/calendar.ics"):
        response = browser.get(url, **GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secretariat_token}")
    for url in ("/api/v1/committees/", STANDARD, "/api/v1/committees/?format=csv"):
        response = api.get(url, **GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url


def test_no_compressed_response_holds_a_csrf_token(casco_data, django_user_model):
    """Whatever the page, a body with a CSRF field or token never goes out compressed."""
    urls = ["/", "/structure/", "/committees/", "/organizations/", "/meetings/", "/search/?q=iso", "/api/v1/"]
    urls += ["/admin/login/", "/api/v1/auth/login/", "/no/such/page/", "/committees/?body=CEN"]
    compressed = 0
    for url in urls:
        for headers in ({}, HTML):
            response = Client().get(url, **GZIP, **headers)
            body = response.content
            if response.get("Content-Encoding") == "gzip":
                compressed += 1
                body = gzip.decompress(body)
                assert b"csrfmiddlewaretoken" not in body and b"csrfToken" not in body, url
                assert not response.cookies, url
    assert compressed >= 10


def test_etag_of_a_gzip_response_works_for_if_none_match_and_if_match(casco_data, secretariat_token):
    anonymous = Client()
    plain = anonymous.get(STANDARD)
    packed = anonymous.get(STANDARD, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert packed["ETag"] == plain["ETag"][:-1] + '-gzip"'  # strong, and not the identity body's
    assert not packed["ETag"].startswith("W/")

    not_modified = anonymous.get(STANDARD, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == packed["ETag"]
    assert anonymous.get(STANDARD, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304

    writer = APIClient()
    writer.credentials(HTTP_AUTHORIZATION=f"Token {secretariat_token}")
    saved = writer.patch(STANDARD, {"title": "Written with a gzip ETag"}, format="json", HTTP_IF_MATCH=packed["ETag"])
    assert saved.status_code == 200, saved.content
    stale = writer.patch(STANDARD, {"title": "Stale"}, format="json", HTTP_IF_MATCH=packed["ETag"])
    assert stale.status_code == 412
    assert anonymous.get(STANDARD, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP).status_code == 200


def test_list_etag_from_a_gzip_response_gives_304(casco_data):
    url = "/api/v1/committees/"
    packed = Client().get(url, **GZIP)
    assert packed["Content-Encoding"] == "gzip" and packed["ETag"].endswith('-gzip"')
    assert Client().get(url, HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP).status_code == 304


def test_page_cache_keeps_identity_bodies_and_serves_both_encodings(casco_data, settings, django_assert_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    url = "/api/v1/committees/"
    first = Client().get(url, **GZIP)
    assert first["X-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    plain = Client().get(url)
    assert plain["X-Cache"] == "hit" and "Content-Encoding" not in plain
    assert gzip.decompress(first.content) == plain.content
    again = Client().get(url, **GZIP)
    assert again["X-Cache"] == "hit" and again["Content-Encoding"] == "gzip"
    assert again.content == first.content  # deterministic: same bytes, so the strong ETag holds
    assert again["ETag"] == first["ETag"]
    with django_assert_num_queries(1):  # the data version row only: answered from the cache's stored ETag
        cached_304 = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert cached_304.status_code == 304 and cached_304["ETag"] == first["ETag"]
    page = Client().get("/liaisons/", **GZIP)
    page_hit = Client().get("/liaisons/", **GZIP)
    assert page_hit["X-Cache"] == "hit"
    assert gzip.decompress(page_hit.content) == gzip.decompress(page.content)
