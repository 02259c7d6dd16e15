"""Every admin changelist runs the same number of queries with ten times the real data as with
the real data (no query per row), and lists references in natural order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committees.models import CASCO_REFERENCE, Committee, Group, GroupStandard, SourcePage, Standard, TermOfReference
from liaisons.models import CategoryNote, CommitteeLiaison, GroupParticipation, Organization, OrganizationLiaison
from meetings.models import Meeting, MeetingGroup
from sources.synthetic import synthetic_data_create
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)
from tests.admin_forms import admin_url

# Queries per changelist page for a secretariat user: session, user, permissions (user and
# group), the page of rows with their related rows, the prefetches, the filters' choices.
EXPECTED = {
    SourcePage: 9,
    Committee: 9,
    TermOfReference: 9,
    Group: 13,
    Standard: 9,
    GroupStandard: 8,
    CommitteeLiaison: 9,
    Organization: 12,
    OrganizationLiaison: 9,
    CategoryNote: 8,
    GroupParticipation: 9,
    Meeting: 10,
    MeetingGroup: 9,
}


def _meeting_groups():
    """The real data has no meeting groups: give each meeting every group, as a meeting might."""
    groups = list(Group.objects.all()[:40])
    MeetingGroup.objects.bulk_create(
        [MeetingGroup(meeting=meeting, group=group) for meeting in Meeting.objects.all() for group in groups],
        ignore_conflicts=True,
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_the_data(secretariat_client, casco_data, model, django_assert_num_queries):
    url = admin_url(model, "changelist")
    _meeting_groups()
    real, response = _count(secretariat_client, url)
    real_rows = len(response.context["cl"].result_list)

    synthetic_data_create(factor=9)  # ten times the real data
    _meeting_groups()
    with django_assert_num_queries(EXPECTED[model]):
        response = secretariat_client.get(url)
    assert len(response.context["cl"].result_list) >= real_rows
    assert real == EXPECTED[model]


@pytest.mark.parametrize("model", [Group, Committee, CommitteeLiaison], ids=lambda m: m.__name__)
def test_changelist_queries_with_a_search_and_a_filter(secretariat_client, ten_times_data, model):
    url = admin_url(model, "changelist")
    plain, _ = _count(secretariat_client, url)
    searched, response = _count(secretariat_client, f"{url}?q=ISO")
    assert response.context["cl"].result_count > 0
    assert searched <= plain + 1  # the count of the unfiltered list, shown beside the results


def test_groups_in_natural_order(secretariat_client, casco_data):
    response = secretariat_client.get(
        admin_url(Group, "changelist")
        + "?committee__id__exact="
        + str(Committee.objects.get(reference=CASCO_REFERENCE).pk)
    )
    references = [group.reference for group in response.context["cl"].result_list]
    working = [r for r in references if "/WG " in r]
    assert working == ["ISO/CASCO/WG 30", "ISO/CASCO/WG 31", "ISO/CASCO/WG 61", "ISO/CASCO/WG 64", "ISO/CASCO/WG 65"]


def test_reference_column_sorts_naturally_both_ways(secretariat_client, casco_data):
    assert Committee.objects.filter(reference__in=["ISO/TC 34", "ISO/TC 207", "ISO/TC 207/SC 2"]).count() == 3
    url = admin_url(Committee, "changelist")
    response = secretariat_client.get(url + "?o=1")  # sorted by the reference column
    references = [committee.reference for committee in response.context["cl"].result_list]
    assert references.index("ISO/TC 34") < references.index("ISO/TC 207") < references.index("ISO/TC 207/SC 2")
    response = secretariat_client.get(url + "?o=-1")
    references = [committee.reference for committee in response.context["cl"].result_list]
    assert references.index("ISO/TC 207") < references.index("ISO/TC 34")
