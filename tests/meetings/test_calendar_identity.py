"""The iCalendar feed's identities do not depend on how it was reached: every event's UID is
``meeting-<primary key>@<SITE_DOMAIN without port>`` whatever host name the request used (before,
it was ``meeting-<slug>@<request host>``, so a calendar subscribed as 127.0.0.1 and as localhost
showed every meeting twice), it survives a change of slug, and DTSTAMP is when the feed was
produced (METHOD:PUBLISH), the same for every event, while LAST-MODIFIED is the record's last
change."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from meetings.ical import uid_domain
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def uids(response):
    return sorted(str(event["UID"]) for event in events(response))


def test_two_host_names_give_the_same_uids(casco_data, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "portal.example.org"]
    settings.SITE_DOMAIN = "casco.example.net"
    by_address = uids(Client().get("/meetings/calendar.ics", HTTP_HOST="127.0.0.1:8000"))
    by_name = uids(Client().get("/meetings/calendar.ics", HTTP_HOST="localhost"))
    by_domain = uids(Client().get("/meetings/calendar.ics", HTTP_HOST="portal.example.org", secure=True))
    expected = sorted(f"meeting-{pk}@casco.example.net" for pk in Meeting.objects.values_list("pk", flat=True))
    assert len(expected) == 2
    assert by_address == by_name == by_domain == expected


def test_uid_survives_a_change_of_slug(casco_data, settings):
    settings.SITE_DOMAIN = "casco.example.net"
    meeting = Meeting.objects.get(slug="2019-iso-casco-plenary")
    before = uids(Client().get("/meetings/calendar.ics"))
    meeting.slug = "2019-casco-plenary-nairobi"
    meeting.save()
    assert uids(Client().get("/meetings/calendar.ics")) == before
    assert f"meeting-{meeting.pk}@casco.example.net" in before


def test_uid_domain_drops_the_port_only():
    assert uid_domain("localhost:8000") == "localhost"
    assert uid_domain("portal.example.org") == "portal.example.org"
    assert uid_domain("[::1]:8000") == "[::1]"


def test_dtstamp_is_the_feed_generation_time_and_last_modified_the_record(casco_data):
    Meeting.objects.filter(slug="2019-iso-casco-plenary").update(
        updated_at=datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    )
    before = timezone.now().replace(microsecond=0)
    response = Client().get("/meetings/calendar.ics")
    after = timezone.now()
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    stamps = {event["DTSTAMP"].dt for event in calendar.walk("VEVENT")}
    assert len(stamps) == 1  # one feed, one generation time
    (stamp,) = stamps
    assert stamp.tzinfo is not None and stamp.utcoffset() == datetime.timedelta(0)
    assert before <= stamp <= after
    plenary = next(e for e in calendar.walk("VEVENT") if "Plenary" in str(e["SUMMARY"]))
    assert plenary["LAST-MODIFIED"].dt == datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    assert b"DTSTAMP:20210304T050607Z" not in response.content
