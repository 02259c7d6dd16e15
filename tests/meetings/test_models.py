"""Meetings record only what the announcement states."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_2019_meetings(casco_data):
    plenary = Meeting.objects.get(slug="2019-iso-casco-plenary")
    assert plenary.get_absolute_url() == "/meetings/2019-iso-casco-plenary/"
    assert (plenary.kind, plenary.year, plenary.host.acronym, plenary.country) == ("plenary", 2019, "KEBS", "Kenya")
    assert "annual meeting of the ISO committee on conformity assessment" in plenary.description
    assert plenary.start_date is None and plenary.venue == ""
    workshop = Meeting.objects.get(kind="workshop")
    assert workshop.host.acronym == "ISO" and workshop.host.name == ""
    assert workshop.announced_on == datetime.date(2019, 5, 1)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "party"},
        {"year": 1200},
        {"start_date": datetime.date(2019, 5, 2), "end_date": datetime.date(2019, 5, 1)},
        {"slug": ""},
    ],
)
def test_database_refuses_broken_meetings(db, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(**fields)


def test_validation_messages(db):
    meeting = Meeting(
        title="Some meeting",
        kind="meeting",
        year=2020,
        start_date=datetime.date(2019, 5, 2),
        end_date=datetime.date(2019, 5, 1),
    )
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert meeting.slug == "some-meeting"
    assert set(caught.value.message_dict) >= {"end_date", "year"}
