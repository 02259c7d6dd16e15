"""The bad input catalogue: hostile or malformed requests on the pages, the API and the admin.

Each gets the right 4xx with a clear message (never a 500, a traceback or a half-written record):
the row counts of every portal table are the same before and after. What is valid but hostile
(SQL or HTML/JS in a title) is stored verbatim by the API and the admin and rendered escaped on
the pages. Decisions, also in the README ("Reliability"):

- Unknown query parameters are ignored, on the pages and in the API (as HTTP caches and link
  trackers expect); a known one with a bad value is 400, and one given twice is 400 in the API.
- A page number that is negative, not a number or past the end is 404 ("Page … does not exist");
  a page size outside 1–200 or not a number is 400.
- Non-breaking and doubled spaces in a reference are read as one space (as the importer reads
  the published pages); other characters a reference cannot hold are 400 with the expected form.
"""

import pytest
from rest_framework.test import APIClient

from committees.models import Standard
from tests.admin_forms import admin_url, errors_of, form_data
from tests.api_resources import IDS as RESOURCES  # the API's resources, by path
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)
from tests.support import row_counts

SQL = "'; DROP TABLE committees_standard; -- \" OR 1=1"
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TRAVERSALS = ["..%2F..%2Fetc%2Fpasswd", "..%2F..%2Fcasco_portal%2Fsettings.py", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"]


@pytest.fixture
def unchanged(casco_data):
    """Asserts, after the test, that no row was added, changed away or removed anywhere."""
    before = row_counts()
    yield
    assert row_counts() == before


def text(response):
    return response.content.decode()


# --- Pages -------------------------------------------------------------------------------------

LIST_PAGES = ["/groups/", "/committees/", "/organizations/", "/search/"]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_pages_refuse_over_long_and_null_search_text_with_a_message(client, unchanged, path):
    long = client.get(path, {"q": "x" * 5000})
    assert long.status_code == 400
    assert "at most 100 characters" in text(long)
    null = client.get(path, {"q": "a\x00b"})
    assert null.status_code == 400
    assert "Null characters are not allowed" in text(null)


@pytest.mark.parametrize("path", LIST_PAGES)
def test_pages_render_injection_strings_escaped(client, unchanged, path):
    for value in (SCRIPT[:100], SQL):
        response = client.get(path, {"q": value})
        assert response.status_code == 200
        assert "<script>alert" not in text(response) and "onerror=alert(1)>" not in text(response)
    assert "&lt;script&gt;alert" in text(client.get(path, {"q": SCRIPT[:100]}))


@pytest.mark.parametrize("query", ["page=-1", "page=0", "page=abc", "page=99999", "page=1e9"])
def test_pages_bad_page_numbers_are_404(client, ten_times_data, query):
    response = client.get(f"/committees/?{query}")
    assert response.status_code == 404
    assert "Page not found" in text(response) or "not found" in text(response).lower()
    assert "Traceback" not in text(response)


def test_pages_ignore_unknown_filters(client, casco_data):
    plain, odd = client.get("/committees/"), client.get("/committees/", {"colour": "red", "id__gt": "3"})
    assert odd.status_code == 200
    assert odd.context["object_list"].count() == plain.context["object_list"].count() == 56


@pytest.mark.parametrize("choice", ["body=ESA", "kind=%27%20OR%201%3D1"])
def test_pages_bad_filter_value_is_400_with_a_message(client, casco_data, choice):
    response = client.get(f"/committees/?{choice}")
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)


@pytest.mark.parametrize("typed", ["ISO/TC%C2%A0207", "ISO/TC%20%20207", "ISO%2FTC%C2%A0207"])
def test_pages_reference_with_nbsp_or_double_space_redirects_to_the_record(client, casco_data, typed):
    response = client.get(f"/committees/{typed}")
    assert response.status_code == 301
    assert response["Location"] == "/committees/iso-tc-207/"


@pytest.mark.parametrize(
    "prefix", ["/committees/", "/groups/", "/standards/", "/organizations/", "/meetings/", "/sources/"]
)
@pytest.mark.parametrize("traversal", TRAVERSALS)
def test_pages_path_traversal_in_slugs_is_404(client, casco_data, prefix, traversal):
    for path in (f"{prefix}{traversal}/", f"{prefix}{traversal}", f"{prefix}../../etc/passwd"):
        response = client.get(path)
        assert response.status_code in (404, 301), path
        if response.status_code == 301:  # only ever to a record of the portal, never outside
            assert response["Location"].startswith(prefix), path
        assert "root:" not in text(response) and "SECRET_KEY" not in text(response)


def test_pages_escape_a_title_stored_with_html(client, api, casco_data):
    assert api.post("/api/v1/standards/", {"reference": "ISO 99990", "title": SCRIPT}, format="json").status_code == 201
    page = client.get("/standards/iso-99990/")
    assert page.status_code == 200
    assert SCRIPT not in text(page)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text(page)


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"reference": "ISO 99990", "title": "x" * 5000}, "title", "no more than 400 characters"),
        ({"reference": "I" * 5000, "title": "t"}, "reference", "no more than 60 characters"),
        ({"reference": "ISO 99990", "title": "a\x00b"}, "title", "Null characters are not allowed"),
        ({"reference": "ISO\u200b99990", "title": "t"}, "reference", "Enter a standard reference"),
        ({"reference": "ИСО 99990", "title": "t"}, "reference", "Enter a standard reference"),
        ({"reference": "ISO 99990", "title": ["a list"]}, "title", "Not a valid string"),
        ({"reference": "ISO 99990", "title": {"nested": 1}}, "title", "Not a valid string"),
        ({"reference": None, "title": "t"}, "reference", "may not be null"),
    ],
)
def test_api_bad_values_are_400_per_field_and_store_nothing(api, unchanged, body, field, message):
    response = api.post("/api/v1/standards/", body, format="json")
    assert response.status_code == 400
    assert any(message in error for error in response.json()[field]), response.json()


@pytest.mark.parametrize("count", [-1, 10**30, "many", 1.5])
def test_api_bad_numbers_are_400(api, unchanged, count):
    response = api.patch("/api/v1/committees/iso-casco/", {"observing_members": count}, format="json")
    assert response.status_code == 400
    assert "observing_members" in response.json()


def test_api_reference_with_nbsp_is_read_as_a_space(api, casco_data):
    created = api.post("/api/v1/standards/", {"reference": "ISO\u00a099990", "title": "NBSP"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["reference"] == "ISO 99990"
    group = {
        "reference": "ISO/CASCO/JWG 98",
        "title": "Joint",
        "type_label": "Working group",
        "kind": "joint_working_group",
        "committee": "ISO/CASCO",
        "partner_committees": ["ISO/TC\u00a0108", "ISO/TC  135"],
    }
    response = api.post("/api/v1/groups/", group, format="json")
    assert response.status_code == 201, response.content
    assert [c["reference"] for c in response.json()["partner_committees"]] == ["ISO/TC 108", "ISO/TC 135"]
    # An NBSP duplicate of an existing reference is the same reference: refused, not a second record.
    duplicate = api.post("/api/v1/standards/", {"reference": "ISO\u00a0\u00a099990", "title": "again"}, format="json")
    assert duplicate.status_code == 400
    assert Standard.objects.filter(reference="ISO 99990").count() == 1


@pytest.mark.parametrize("value", [SQL, SCRIPT, "Ünïcödé — 标准 🚀 \u202eevil"])
def test_api_stores_hostile_but_valid_text_verbatim(api, casco_data, value):
    created = api.post("/api/v1/standards/", {"reference": "ISO 99990", "title": value}, format="json")
    assert created.status_code == 201
    assert created.json()["title"] == value
    assert api.get("/api/v1/standards/iso-99990/").json()["title"] == value
    assert Standard.objects.get(reference="ISO 99990").title == value
    assert Standard.objects.count() == 7  # the table is still there, with one more row


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("traversal", [*TRAVERSALS, "..", "%00", "iso-casco%00", "iso-casco;drop"])
def test_api_path_traversal_and_odd_ids_are_json_404(anon_api, casco_data, resource, traversal):
    response = anon_api.get(f"/api/v1/{resource}/{traversal}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "query, status, key, message",
    [
        ("page_size=100000000000000000000", 400, "page_size", "between 1 and 200"),
        ("page_size=0", 400, "page_size", "between 1 and 200"),
        ("page_size=-5", 400, "page_size", "between 1 and 200"),
        ("page_size=ten", 400, "page_size", "whole number"),
        ("page=-1", 404, "detail", "does not exist"),
        ("page=0", 404, "detail", "does not exist"),
        ("page=abc", 404, "detail", "does not exist"),
        ("page=99999999999999999999", 404, "detail", "does not exist"),
        ("ordering=password", 400, "ordering", "not one of the available choices"),
        ("body=ESA", 400, "body", "Select a valid choice"),
        ("updated_since=yesterday", 400, "updated_since", "Enter a valid date/time"),
        ("parent=..%2F..%2Fetc", 400, "parent", "Select a valid choice"),
        ("body=ISO&body=IEC", 400, "body", "Give this parameter once"),
        ("format=xml", 406, "detail", "Unknown format"),
    ],
)
def test_api_bad_query_parameters(anon_api, unchanged, query, status, key, message):
    response = anon_api.get(f"/api/v1/committees/?{query}")
    assert response.status_code == status, response.content
    value = response.json()[key]
    assert message in (value if isinstance(value, str) else " ".join(value))


def test_api_ignores_unknown_filters(anon_api, casco_data):
    plain = anon_api.get("/api/v1/committees/", {"page_size": 200}).json()
    odd = anon_api.get("/api/v1/committees/", {"page_size": 200, "colour": "red", "id__gt": 3, "password": "x"})
    assert odd.status_code == 200
    assert odd.json()["results"] == plain["results"] and plain["count"] == 56


def test_api_empty_filter_values_are_like_leaving_them_out(anon_api, casco_data):
    assert anon_api.get("/api/v1/committees/", {"body": "", "ordering": "", "page": ""}).json()["count"] == 56


@pytest.mark.parametrize(
    "body", ["{bad json", '{"reference": "ISO 99990",}', "[1, 2", '{"title": "\\ud800"}', "\xff\xfe", "" + "[" * 5000]
)
def test_api_malformed_json_is_400_with_a_message(api, unchanged, body):
    response = api.post("/api/v1/standards/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()  # a message, not an empty answer
    assert "Traceback" not in text(response)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "text/csv", "application/x-yaml", "image/png"]
)
@pytest.mark.parametrize("verb", ["post", "put", "patch"])
def test_api_wrong_content_type_is_415(api, unchanged, content_type, verb):
    url = "/api/v1/standards/" if verb == "post" else "/api/v1/standards/iso-iec-17007/"
    response = getattr(api, verb)(url, "reference=ISO 99990&title=t", content_type=content_type)
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("verb", ["post", "put", "patch", "delete"])
def test_api_every_write_verb_anonymously_is_401(anon_api, unchanged, resource, verb):
    url = f"/api/v1/{resource}/"
    if verb != "post":
        first = anon_api.get(url).json()["results"][0]
        url = f"{url}{first['id']}/"
    response = getattr(anon_api, verb)(url, {"title": "anonymous"}, format="json")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token " + "a" * 5000, "Bearer x", "Token a b"])
def test_api_bad_credentials_are_401(casco_data, unchanged, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post("/api/v1/standards/", {"reference": "ISO 99990", "title": "t"}, format="json")
    assert response.status_code == 401
    assert response.json()["detail"]


# --- Admin -------------------------------------------------------------------------------------


def test_admin_refuses_over_long_and_null_text_with_form_errors(admin_client, unchanged):
    standard = Standard.objects.get(slug="iso-iec-17007")
    url = admin_url(standard)
    data = form_data(admin_client.get(url))
    errors = errors_of(admin_client.post(url, {**data, "title": "x" * 5000}))
    assert "at most 400 characters" in " ".join(errors["title"])
    errors = errors_of(admin_client.post(url, {**data, "title": "a\x00b"}))
    assert "Null characters are not allowed" in " ".join(errors["title"])


def test_admin_refuses_a_bad_reference_with_a_form_error(admin_client, unchanged):
    data = form_data(admin_client.get(admin_url(Standard, "add")))
    for reference in ("I" * 5000, "ISO\u200b99990", "../../etc/passwd"):
        errors = errors_of(
            admin_client.post(admin_url(Standard, "add"), {**data, "reference": reference, "title": "t"})
        )
        assert errors["reference"], reference


def test_admin_reads_nbsp_in_a_reference_as_a_space(admin_client, casco_data):
    data = form_data(admin_client.get(admin_url(Standard, "add")))
    response = admin_client.post(admin_url(Standard, "add"), {**data, "reference": "ISO\u00a099990", "title": "t"})
    assert response.status_code == 302, errors_of(response)
    assert Standard.objects.filter(reference="ISO 99990").exists()


@pytest.mark.parametrize("value", [SQL, SCRIPT])
def test_admin_stores_hostile_text_verbatim_and_the_page_escapes_it(admin_client, client, casco_data, value):
    standard = Standard.objects.get(slug="iso-iec-17007")
    url = admin_url(standard)
    data = form_data(admin_client.get(url))
    assert admin_client.post(url, {**data, "title": value}).status_code == 302
    standard.refresh_from_db()
    assert standard.title == value
    changelist = admin_client.get(admin_url(Standard, "changelist"))
    assert changelist.status_code == 200 and value not in text(changelist)
    page = client.get(standard.get_absolute_url())
    assert value not in text(page) and "<script>alert" not in text(page)


@pytest.mark.parametrize("query", ["q=%27%20OR%201%3D1%20--", "q=%3Cscript%3E", "q=" + "x" * 2000, "p=-1", "p=abc"])
def test_admin_changelist_survives_hostile_queries(admin_client, unchanged, query):
    response = admin_client.get(f"{admin_url(Standard, 'changelist')}?{query}")
    assert response.status_code in (200, 302)  # Django's admin answers an unusable lookup by ?e=1
    assert "<script>" not in text(response).split("<body", 1)[-1].replace('<script src="', "")


@pytest.mark.parametrize("traversal", TRAVERSALS)
def test_admin_path_traversal_in_object_ids_finds_nothing(admin_client, unchanged, traversal):
    response = admin_client.get(f"/admin/committees/standard/{traversal}/change/")
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


@pytest.mark.parametrize("model_path", ["committees/standard", "committees/committee", "liaisons/organization"])
def test_admin_writes_anonymously_go_to_the_login_and_store_nothing(client, unchanged, model_path):
    response = client.post(f"/admin/{model_path}/add/", {"reference": "ISO 99990", "title": "t", "acronym": "X"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("value", ["yes please", "1", "True", "TRUE "])
def test_api_boolean_filter_takes_true_or_false_only(anon_api, casco_data, value):
    response = anon_api.get("/api/v1/organizations/", {"in_liaison": value})
    assert response.status_code == 400
    assert response.json() == {"in_liaison": ["Enter true or false (in lower case)."]}


@pytest.mark.parametrize("value", ["2019.5", "2e3", "twenty"])
def test_api_year_filter_takes_a_whole_number(anon_api, casco_data, value):
    response = anon_api.get("/api/v1/meetings/", {"year": value})
    assert response.status_code == 400
    assert "whole number" in response.json()["year"][0]
