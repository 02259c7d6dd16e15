"""Query counts per request stay constant however much data there is (ten times the real data)."""

import pytest
from django.conf import settings

from tests.api_clients import *  # noqa: F403 (this module's fixtures)

# With ATOMIC_REQUESTS each request runs in a transaction: inside a test that is a SAVEPOINT and
# its RELEASE, two statements more per request.
TX = 2 if settings.DATABASES["default"].get("ATOMIC_REQUESTS") else 0

pytestmark = pytest.mark.django_db

# Queries for one full page of each list: COUNT, the page, and one per prefetched relation.
LISTS = {
    "committees": 6,  # count, page (with parent), subcommittees, terms of reference, liaisons, their holders
    "groups": 6,  # count, page (with committee), partner committees, partner organizations, group standards
    # (with their standards), participations (with their organizations)
    "committee-liaisons": 2,  # count, page (holder, liaison committee and its parent joined)
    "organizations": 8,  # count, page, liaisons, their committees, joint groups, participations, their groups, meetings
    "organization-liaisons": 2,  # count, page (organization and committee joined)
    "meetings": 3,  # count, page (committee and host joined), groups (with committee)
    "standards": 5,  # count, page, groups, group standards, their groups
}


@pytest.mark.parametrize(("path", "queries"), LISTS.items())
def test_list_queries_do_not_grow_with_the_data(
    client, ten_times_data, django_assert_num_queries, django_assert_max_num_queries, path, queries
):
    with django_assert_num_queries(queries + TX):
        response = client.get(f"/api/v1/{path}/", {"page_size": 200})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(200, response.json()["count"])
    # Another page: never more (a nested prefetch is skipped when the page has nothing to nest).
    with django_assert_max_num_queries(queries + TX):
        client.get(f"/api/v1/{path}/", {"page_size": 10, "page": 2, "ordering": "-updated_at"})


@pytest.mark.parametrize(("path", "queries"), LISTS.items())
def test_list_queries_are_the_same_on_the_real_data(client, casco_data, django_assert_num_queries, path, queries):
    with django_assert_num_queries(queries + TX):
        assert client.get(f"/api/v1/{path}/", {"page_size": 200}).status_code == 200


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/committees/iso-casco/", 4),
        ("/api/v1/groups/iso-casco-iaf-ilac-jsg/", 5),
        ("/api/v1/organizations/iaf/", 6),
        ("/api/v1/committee-liaisons/iso-tc-207/", 1),
    ],
)
def test_detail_queries(client, ten_times_data, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries + TX):
        assert client.get(url).status_code == 200
