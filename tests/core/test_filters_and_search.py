"""One FilterSet per list serves its page and the API; one search definition per kind serves the
site search, the lists' ``?q=`` and the API's ``?search=`` (core/filters.py, core/search.py)."""

from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from casco_portal.search import portal_search_with_totals
from committees.filters import GroupFilter
from committees.models import Committee, Group, Standard
from core import search
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    settings.PUBLIC_CACHE_SECONDS = 0
    cache.clear()


def api_slugs(path, params):
    response = APIClient().get(path, {**params, "page_size": 200})
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


def page_rows(path, params):
    response = APIClient().get(path, params)
    assert response.status_code == 200
    return list(response.context["paginator"].object_list)


# (page, API list, parameter, value, how a page row names the record the API lists)
SHARED = [
    ("/committees/", "/api/v1/committees/", "body", "IEC", lambda row: row.slug),
    ("/committees/", "/api/v1/committees/", "kind", "subcommittee", lambda row: row.slug),
    ("/groups/", "/api/v1/groups/", "type", "joint_working_group", lambda row: row.slug),
    ("/groups/", "/api/v1/groups/", "kind", "joint_working_group", lambda row: row.slug),
    ("/liaisons/", "/api/v1/committee-liaisons/", "direction", "incoming", lambda row: row.liaison_committee.slug),
    ("/meetings/", "/api/v1/meetings/", "kind", "plenary", lambda row: row.slug),
]


@pytest.mark.parametrize(
    ("page", "api", "name", "value", "slug"), SHARED, ids=lambda v: v if isinstance(v, str) else ""
)
def test_page_and_api_agree_on_each_shared_filter(casco_data, page, api, name, value, slug):
    listed = {slug(row) for row in page_rows(page, {name: value})}
    if api.endswith("committee-liaisons/"):
        # The page lists CASCO's liaisons; the API every committee's.
        api_rows = APIClient().get(api, {name: value, "committee": "iso-casco", "page_size": 200}).json()["results"]
        expected = {row["liaison_committee"]["slug"] for row in api_rows}
    else:
        expected = api_slugs(api, {name: value})
    assert listed == expected
    assert listed  # the value selects something
    assert listed != {slug(row) for row in page_rows(page, {})}  # ... and not everything


def test_organization_category_is_the_same_filter_on_the_page_and_the_api(casco_data):
    listed = {row.pk for row in page_rows("/organizations/", {"category": "A"})}
    response = APIClient().get("/api/v1/organization-liaisons/", {"category": "A", "page_size": 200})
    assert listed == {row["id"] for row in response.json()["results"]} != set()


@pytest.mark.parametrize("name", ["type", "kind"])
def test_group_type_alias_works_on_both_sides(casco_data, name):
    working_groups = set(Group.objects.filter(kind="working_group").values_list("slug", flat=True))
    assert api_slugs("/api/v1/groups/", {name: "working_group"}) == working_groups
    assert {row.slug for row in page_rows("/groups/", {name: "working_group"})} == working_groups


def test_the_page_shows_its_own_name_for_the_alias(client, casco_data):
    html = client.get("/groups/", {"type": "working_group"}).content.decode()
    assert '<select name="kind" id="id_kind">' in html
    assert '<option value="working_group" selected>' in html
    assert 'name="type"' not in html


@pytest.mark.parametrize("name", ["type", "kind"])
def test_a_bad_alias_value_is_a_400_on_both_sides(client, casco_data, name):
    assert APIClient().get("/api/v1/groups/", {name: "nonsense"}).status_code == 400
    page = client.get("/groups/", {name: "nonsense"})
    assert page.status_code == 400
    assert "Select a valid choice. nonsense is not one of the available choices." in page.content.decode()
    csv = client.get("/groups/", {name: "nonsense", "format": "csv"})
    assert csv.status_code == 400
    assert csv.content.decode().startswith("Bad filter: kind: Select a valid choice.")


def test_the_alias_is_documented_in_the_schema(client):
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/groups/"]["get"]["parameters"]}
    assert parameters["kind"]["description"].startswith("Alias of `type`")
    assert parameters["kind"]["schema"] == parameters["type"]["schema"]
    assert "search" in parameters


def test_page_only_filters_are_not_in_the_api():
    assert {"q", "sort", "body"} & set(GroupFilter.base_filters) == set()
    assert set(GroupFilter.for_page().base_filters) == {"kind", "q"}


# One definition per kind: (kind, model, API list, page list or None, text, the records' name field)
KINDS = [
    ("committees", Committee, "/api/v1/committees/", "/committees/", "environmental", "slug"),
    ("groups", Group, "/api/v1/groups/", "/groups/", "conformity", "slug"),
    ("standards", Standard, "/api/v1/standards/", None, "ITNS", "slug"),
    ("organizations", Organization, "/api/v1/organizations/", None, "council", "slug"),
    ("meetings", Meeting, "/api/v1/meetings/", "/meetings/", "market", "slug"),
]


@pytest.mark.parametrize(("kind", "model", "api", "page", "text", "field"), KINDS, ids=[k[0] for k in KINDS])
def test_one_definition_drives_site_search_lists_and_api(casco_data, kind, model, api, page, text, field):
    definition = search.definition_for(model)
    assert definition.kind == kind
    expected = set(definition.matches(model.objects.all(), text).values_list(field, flat=True))
    assert expected
    results, totals = portal_search_with_totals(text, limit=1000)
    assert {getattr(record, field) for record in results[kind]} == expected
    assert totals[kind] == len(expected)
    assert api_slugs(api, {"search": text}) == expected
    if page:
        assert {row.slug for row in page_rows(page, {"q": text})} == expected


def test_a_definition_change_reaches_all_three_uses(casco_data, monkeypatch):
    definition = search.definition_for(Organization)
    text = "Kenya"  # in KEBS's name
    assert "kebs" in api_slugs("/api/v1/organizations/", {"search": text})
    assert "kebs" in {record.slug for record in portal_search_with_totals(text)[0]["organizations"]}
    monkeypatch.setattr(definition, "contains", ["acronym"])
    monkeypatch.setattr(definition, "weighted", {"A": ["acronym"]})
    assert "kebs" not in api_slugs("/api/v1/organizations/", {"search": text})
    assert not portal_search_with_totals(text)[0]["organizations"]


def test_liaisons_are_searched_through_their_kind(casco_data):
    committees = search.definition_for(Committee).matches(Committee.objects.all(), "207")
    liaisons = search.matches(CommitteeLiaison.objects.all(), "207")
    assert set(liaisons.values_list("liaison_committee", flat=True)) <= set(committees.values_list("pk", flat=True))
    organizations = search.definition_for(Organization).matches(Organization.objects.all(), "council")
    found = search.matches(OrganizationLiaison.objects.all(), "council")
    assert set(found.values_list("organization", flat=True)) <= set(organizations.values_list("pk", flat=True))
    assert found.exists()


def test_the_site_search_links_each_kind_to_its_list():
    urls = {definition.kind: definition.list_url for definition in search.site_definitions()}
    assert list(urls) == ["committees", "groups", "standards", "organizations", "meetings"]
    assert urls["standards"] is None and urls["committees"] == "committees:list"


def test_the_pages_keep_their_wording_after_the_api_schema_is_made(client, casco_data, monkeypatch):
    """The schema reads the API filters' form fields, which django-filter builds once per filter;
    the page's copies of those filters must still build their own, worded for the page (as in a
    fresh process whose first request is for the schema)."""
    from django.core.cache import cache

    from committees.filters import CommitteeFilter

    if "_page_class" in CommitteeFilter.__dict__:
        monkeypatch.delattr(CommitteeFilter, "_page_class")
    for filter_ in CommitteeFilter.base_filters.values():
        monkeypatch.delitem(filter_.__dict__, "_field", raising=False)
    assert client.get("/api/v1/schema/").status_code == 200
    cache.clear()
    page = client.get("/committees/").content.decode()
    assert '<label for="id_body">Body:</label>' in page
    assert '<option value="" selected>All bodies</option>' in page
