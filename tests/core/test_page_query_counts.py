"""Each page issues a fixed number of queries however many rows it shows: the same pinned count
with the real data and with ten times the real data (the `ten_times_data` fixture)."""

import pytest

# Path -> queries the page issues (an anonymous visitor; sessions are not touched), including the
# SAVEPOINT and RELEASE of the request's transaction (ATOMIC_REQUESTS).
PINNED = {
    "/": 8,
    "/structure/": 10,
    "/committees/": 6,
    "/committees/?body=ISO&q=TC": 6,
    "/committees/iso-casco/": 12,
    "/committees/iso-tc-207/": 11,
    "/groups/": 7,
    "/groups/?kind=joint_working_group": 7,
    "/groups/iso-casco-jwg-58/": 9,
    "/liaisons/": 6,
    "/liaisons/?direction=both&sort=-title": 6,
    "/liaisons/?format=csv": 3,
    "/organizations/": 10,
    "/organizations/?format=csv": 3,
    "/organizations/iaf/": 8,
    "/meetings/": 5,
    "/meetings/2019-iso-casco-plenary/": 4,
    "/meetings/calendar.ics": 3,
    # One query a kind, and a COUNT for each kind with more than the 50 matches shown: with the
    # real data the committees (56 match), with ten times the data three kinds.
    "/search/?q=ISO": 9,
    "/groups/?format=csv": 6,
    "/committees/?format=csv": 4,
}


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


@pytest.mark.parametrize("path", PINNED)
def test_query_count_with_real_data(client, casco_data, django_assert_num_queries, path):
    with django_assert_num_queries(PINNED[path]):
        _get(client, path)


# With ten times the data the organizations list has three pages of liaisons; the organizations
# named without a liaison (3 queries: their count, the page of them, participations, meetings,
# less the ones the page count already answers) follow on the last page only.
TEN_TIMES = {**PINNED, "/organizations/": 6, "/organizations/?page=3": 10, "/search/?q=ISO": 11}


@pytest.mark.parametrize("path", TEN_TIMES)
def test_query_count_with_ten_times_the_data(client, ten_times_data, django_assert_num_queries, path):
    with django_assert_num_queries(TEN_TIMES[path]):
        _get(client, path)
