"""?ordering= on every list of the API: paging through any ordering gives every record exactly once
(ties broken by the model's order and the id), and records without a value come last either way
on every database."""

import datetime

import pytest

from committees.models import Committee
from core.filters import StableOrderingFilter
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting
from sources.synthetic import synthetic_data_create
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_clients import results

pytestmark = pytest.mark.django_db

# Every ordering each list offers, with the model behind it.
ORDERINGS = [
    ("committees", Committee, ["reference", "title", "body", "kind", "updated_at"]),
    ("committee-liaisons", CommitteeLiaison, ["liaison_committee", "direction", "updated_at"]),
    ("organizations", Organization, ["acronym", "name", "updated_at"]),
    ("organization-liaisons", OrganizationLiaison, ["category", "organization", "updated_at"]),
    ("meetings", Meeting, ["year", "start_date", "title", "updated_at"]),
]


@pytest.fixture
def many_records(casco_data):
    """The real data and twice as much synthetic data: hundreds of records that tie on category,
    direction, body, kind, year and (bulk-created in one go) updated_at."""
    synthetic_data_create(factor=2)


def page_through(client, path, ordering, page_size=7):
    """The id of every record on every page of the list, in order."""
    ids, page = [], 1
    while True:
        response = client.get(f"/api/v1/{path}/", {"ordering": ordering, "page_size": page_size, "page": page})
        assert response.status_code == 200, response.content
        data = response.json()
        ids += [row["id"] for row in data["results"]]
        if not data["next"]:
            return ids, data["count"]
        page += 1


@pytest.mark.parametrize(("path", "model", "names"), ORDERINGS, ids=[path for path, _, _ in ORDERINGS])
def test_pages_hold_every_record_once(client, many_records, path, model, names):
    every = sorted(model.objects.values_list("pk", flat=True))
    for ordering in [*names, *(f"-{name}" for name in names)]:
        ids, count = page_through(client, path, ordering)
        assert (count, len(ids)) == (len(every), len(every)), ordering
        assert sorted(ids) == every, ordering


@pytest.mark.parametrize(
    ("path", "ordering"), [("organization-liaisons", "category"), ("committee-liaisons", "-direction")]
)
def test_the_same_ordering_gives_the_same_order_in_any_page_size(client, many_records, path, ordering):
    assert page_through(client, path, ordering, page_size=5)[0] == page_through(client, path, ordering, page_size=50)[0]


def test_ties_go_by_the_models_order_then_the_id(client, many_records):
    ids, _ = page_through(client, "organization-liaisons", "-category", page_size=100)
    expected = list(
        OrganizationLiaison.objects.order_by("-category", *OrganizationLiaison._meta.ordering, "pk").values_list(
            "pk", flat=True
        )
    )
    assert ids == expected


@pytest.fixture
def dated_meetings(many_records):
    """Some meetings with an announced start date, the rest (the real ones among them) without."""
    for day, meeting in enumerate(Meeting.objects.order_by("slug")[:4], start=1):
        meeting.start_date = datetime.date(meeting.year, 3, day)
        meeting.save()


@pytest.mark.parametrize("ordering", ["start_date", "-start_date"])
def test_meetings_without_a_date_come_last_in_both_directions(client, dated_meetings, ordering):
    dates = [
        row["start_date"] for row in results(client.get("/api/v1/meetings/", {"ordering": ordering, "page_size": 100}))
    ]
    known = [date for date in dates if date is not None]
    assert len(known) == 4
    assert dates[:4] == sorted(known, reverse=ordering.startswith("-"))
    assert dates[4:] == [None] * (len(dates) - 4)


def test_a_path_through_a_nullable_relation_counts_as_nullable():
    assert StableOrderingFilter._nullable(Meeting, "start_date")
    assert StableOrderingFilter._nullable(Meeting, "host__name")  # no host: no name
    assert not StableOrderingFilter._nullable(Meeting, "title")
    assert not StableOrderingFilter._nullable(Meeting, "host")  # a relation: the related model's order
    assert not StableOrderingFilter._nullable(OrganizationLiaison, "organization__sort_key")
