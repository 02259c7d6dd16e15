"""The liaison table reads a page in any of its sorts from an index instead of sorting every
liaison CASCO holds (at N = 100, 4,848 rows: 10-13 ms a page before these indexes, 0.3-0.9 ms
with them): the reference sort from the liaisons' sort-key copies, title and body from the
committees' (title, sort_key) and (body, sort_key) indexes, direction from the liaisons'
(committee, direction, liaison_committee_sort_key) indexes, one per way.

PostgreSQL only (the planner's choices are what is tested); the suite's PostgreSQL run has them.
With the real data's few rows a sort is cheaper, so sorting is turned off for the test's
transaction: the planner still sorts where no index gives the order, and that shows in the plan."""

import re

import pytest
from django.db import connection

from committees.models import CASCO_REFERENCE
from liaisons.filters import LIAISON_SORTS, CommitteeLiaisonFilter
from liaisons.models import CommitteeLiaison, OrganizationLiaison


def sorted_by(queryset, sort):
    """The liaison table's rows sorted as the page sorts them (its FilterSet's ``sort``)."""
    filterset = CommitteeLiaisonFilter.for_page()({"sort": sort})
    assert filterset.is_valid()
    return filterset.filter_queryset(queryset)


pytestmark = pytest.mark.django_db

# Where a page of each sort is read from. "-title" walks the title index backwards and orders
# the few committees of one title by sort key as it goes (an incremental sort, not a full one).
INDEX_OF_SORT = {
    "reference": "committeeliaison_sort_keys",
    "-reference": "committeeliaison_sort_keys",
    "title": "committee_title_sort",
    "-title": "committee_title_sort",
    "body": "committee_body_sort",
    "-body": "committee_body_sort",
    "direction": "committeeliaison_direction",
    "-direction": "liaison_direction_desc",
}


@pytest.fixture
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the planner's use of indexes is PostgreSQL's: run the suite with DATABASE_URL=postgres://…")


def test_every_sort_of_the_table_is_covered():
    assert set(INDEX_OF_SORT) == set(LIAISON_SORTS)


@pytest.mark.postgres
@pytest.mark.usefixtures("_postgresql_only")
@pytest.mark.parametrize("sort", INDEX_OF_SORT)
def test_a_page_of_the_liaison_table_is_read_from_an_index(casco_data, sort):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = sorted_by(CommitteeLiaison.objects.held_by(CASCO_REFERENCE).for_list(), sort)
    plan = queryset[:100].explain()
    main = plan.split("InitPlan", 1)[0] + plan.split("Index Cond: ((reference)::text", 1)[-1]
    assert INDEX_OF_SORT[sort] in plan, plan
    assert not re.search(r"(?<!Incremental )Sort\b(?! Key| Method)", main), plan


@pytest.mark.postgres
@pytest.mark.usefixtures("_postgresql_only")
def test_a_page_of_the_organization_list_is_read_from_the_index(casco_data):
    """The organization list (by category, then the organization liaisons' copy of their
    organizations' sort keys) is read from one index too."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = OrganizationLiaison.objects.for_list()[:100].explain()
    assert "organizationliaison_order" in plan, plan
    assert "Sort Key" not in plan, plan
