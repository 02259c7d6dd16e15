"""Meetings: upcoming and past, the detail page, and the iCalendar feed."""

import datetime

import pytest
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.ical import escape_text, fold, uid_domain
from meetings.models import Meeting, MeetingKind
from tests.factories import MeetingFactory
from tests.support import IN_CI

pytestmark = pytest.mark.django_db


def test_meetings_split_into_upcoming_and_past(client, casco_data, page_text):
    response = client.get("/meetings/")
    assert response.status_code == 200
    assert response.context["upcoming"] == []
    assert [m.title for m in response.context["past"]] == [
        "2019 ISO workshop on market surveillance",
        "2019 ISO/CASCO Plenary",
    ] or [m.title for m in response.context["past"]] == [
        "2019 ISO/CASCO Plenary",
        "2019 ISO workshop on market surveillance",
    ]
    text = page_text(response)
    assert "2019, dates not announced" in text
    assert "No meeting in" in text


def test_a_future_meeting_is_upcoming(client, casco_data):
    year = datetime.date.today().year + 1
    MeetingFactory(title="Future plenary", kind=MeetingKind.PLENARY, year=year)
    response = client.get("/meetings/")
    assert [m.slug for m in response.context["upcoming"]] == ["future-plenary"]


def _many_meetings(past, upcoming):
    """``past`` meetings in the years before this one and ``upcoming`` in the years from it."""
    year = datetime.date.today().year
    Meeting.objects.bulk_create(
        [
            Meeting(slug=f"past-{i:03}", title=f"Past meeting {i:03}", kind=MeetingKind.MEETING, year=year - 1 - i % 20)
            for i in range(past)
        ]
        + [
            Meeting(slug=f"soon-{i:03}", title=f"Soon {i:03}", kind=MeetingKind.WORKSHOP, year=year + i % 3)
            for i in range(upcoming)
        ]
    )


def test_meetings_are_paginated_upcoming_first_then_past(client, casco_data, page_text):
    _many_meetings(past=118, upcoming=5)  # with the two real ones, 120 past meetings: 125 in 3 pages of 50
    first = client.get("/meetings/")
    assert first.status_code == 200
    assert (len(first.context["upcoming"]), len(first.context["past"])) == (5, 45)
    text = page_text(first)
    assert "Upcoming 5" in text and "Past 120" in text and "Page 1 of 3 (125 rows)" in text
    assert 'href="?page=2" rel="next"' in first.content.decode()

    seen = [m.slug for m in first.context["upcoming"] + first.context["past"]]
    for number in (2, 3):
        page = client.get("/meetings/", {"page": number})
        assert page.status_code == 200
        assert page.context["upcoming"] == []
        text = page_text(page)
        assert "Upcoming" not in text.split("Past")[0].split("Download this list as CSV")[-1]
        assert "Past 120" in text and "Upcoming meetings are on the first page." in text
        seen += [m.slug for m in page.context["past"]]
    year = datetime.date.today().year
    upcoming = list(
        Meeting.objects.filter(year__gte=year).order_by("year", "start_date", "title").values_list("slug", flat=True)
    )
    past = list(
        Meeting.objects.filter(year__lt=year).order_by("-year", "start_date", "title").values_list("slug", flat=True)
    )
    assert seen == upcoming + past  # every meeting once: the upcoming soonest first, then the past newest first
    assert client.get("/meetings/", {"page": 4}).status_code == 404
    assert client.get("/meetings/", {"page": "last"}).status_code == 200  # Django's name for the last page


def test_cards_show_dates_host_and_country_escaped(client, casco_data):
    MeetingFactory(
        slug="dated",
        title="<Dated> & meeting",
        kind=MeetingKind.WORKSHOP,
        year=2030,
        start_date=datetime.date(2030, 9, 2),
        end_date=datetime.date(2030, 9, 4),
        country="Côte d'Ivoire",
    )
    MeetingFactory(
        title="One day",
        year=2031,
        start_date=datetime.date(2031, 1, 5),
        end_date=datetime.date(2031, 1, 5),
    )
    body = client.get("/meetings/").content.decode()
    assert (
        '<li class="meeting-card">\n    <h3><a href="/meetings/dated/">&lt;Dated&gt; &amp; meeting</a></h3>\n'
        '    <p class="meta">Workshop · 2 September 2030 – 4 September 2030 · Côte d&#x27;Ivoire</p>\n  </li>'
    ) in body
    assert '<p class="meta">Meeting · 5 January 2031</p>' in body
    assert '<p class="meta">Plenary meeting · 2019, dates not announced · hosted by KEBS · Kenya</p>' in body


def test_a_page_of_past_meetings_only_says_where_the_upcoming_ones_are(client, casco_data, page_text):
    _many_meetings(past=60, upcoming=0)
    text = page_text(client.get("/meetings/", {"page": 2}))
    assert "Past 62" in text and "are on the first page" not in text  # none upcoming
    first = page_text(client.get("/meetings/"))
    assert "Upcoming 0" in first and "No meeting in" in first


def test_upcoming_meetings_soonest_first_undated_after_dated(client, casco_data):
    year = datetime.date.today().year
    for slug, start in [
        ("b-undated", None),
        ("a-later", datetime.date(year + 1, 5, 1)),
        ("c-early", datetime.date(year + 1, 2, 1)),
    ]:
        MeetingFactory(slug=slug, title=slug, year=year + 1, start_date=start)
    MeetingFactory(slug="z-this-year", year=year)
    upcoming = [m.slug for m in client.get("/meetings/").context["upcoming"]]
    assert upcoming == ["z-this-year", "c-early", "a-later", "b-undated"]


def test_filters_keep_to_the_pages_and_the_csv_has_every_meeting(client, casco_data):
    _many_meetings(past=118, upcoming=5)
    page = client.get("/meetings/", {"kind": "meeting", "page": 2})
    assert page.status_code == 200
    assert {m.kind for m in page.context["past"]} == {"meeting"}
    assert 'href="?kind=meeting&amp;page=3" rel="next"' in page.content.decode()
    rows = client.get("/meetings/", {"format": "csv"}).content.decode().splitlines()[1:]
    assert len(rows) == Meeting.objects.count() == 125


def test_the_page_costs_the_same_queries_with_many_meetings(client, casco_data, django_assert_num_queries):
    _many_meetings(past=300, upcoming=30)
    for page in (1, 2, 7):
        with django_assert_num_queries(5):  # as with the real data (tests/core/test_page_query_counts.py)
            response = client.get("/meetings/", {"page": page})
        assert len(response.context["upcoming"] + response.context["past"]) == (50 if page < 7 else 32)


def test_meeting_filters_and_csv(client, casco_data):
    response = client.get("/meetings/", {"kind": "workshop"})
    assert [m.slug for m in response.context["past"]] == ["2019-iso-workshop-on-market-surveillance"]
    assert client.get("/meetings/", {"kind": "party"}).status_code == 400
    csv_text = client.get("/meetings/", {"q": "Kenya", "format": "csv"}).content.decode()
    assert csv_text.splitlines()[1].startswith("2019 ISO/CASCO Plenary,Plenary meeting,2019,,,KEBS,Kenya")


def test_meeting_detail(client, casco_data, page_text):
    response = client.get("/meetings/2019-iso-casco-plenary/")
    text = page_text(response)
    assert "<title>2019 ISO/CASCO Plenary · CASCO Portal</title>" in response.content.decode()
    assert "When 2019 (the announcement gives no dates)" in text
    assert "Host KEBS Kenya Bureau of Standards" in text and "Country Kenya" in text
    assert "Venue Not announced" in text
    assert "The ISO CASCO Plenary is the annual meeting" in text
    assert "Groups named" in text
    assert "Source: ISO CASCO plenary, workshop and meetings (published 1 May 2019)" in text
    assert 'href="/sources/casco-plenary-2019-announcement.txt/"' in response.content.decode()


def test_source_page_copy(client, casco_data):
    response = client.get("/sources/casco-plenary-2019-announcement.txt/")
    assert response.status_code == 200 and b"KEBS" in response.content
    assert client.get("/sources/..%2Fsettings.py/").status_code == 404
    assert client.get("/sources/nothing.txt/").status_code == 404


def unfold(text):
    return text.replace("\r\n ", "")


def test_calendar_feed_is_valid_rfc5545(client, casco_data):
    response = client.get("/meetings/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body).split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 2
    plenary = Meeting.objects.get(slug="2019-iso-casco-plenary")
    assert f"UID:meeting-{plenary.pk}@{uid_domain(django_settings.SITE_DOMAIN)}" in lines
    assert "DTSTART;VALUE=DATE:20190101" in lines and "DTEND;VALUE=DATE:20200101" in lines
    assert "SUMMARY:2019 ISO/CASCO Plenary (dates not announced)" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert "LOCATION:Kenya" in lines


def test_calendar_feed_parses_with_icalendar(client, casco_data):
    import icalendar

    calendar = icalendar.Calendar.from_ical(client.get("/meetings/calendar.ics").content)
    events = calendar.walk("VEVENT")
    assert {str(event["SUMMARY"]) for event in events} == {
        "2019 ISO/CASCO Plenary (dates not announced)",
        "2019 ISO workshop on market surveillance (dates not announced)",
    }
    plenary = next(event for event in events if "Plenary" in str(event["SUMMARY"]))
    assert plenary["DTSTART"].dt == datetime.date(2019, 1, 1)
    assert "Kenya Bureau of Standards" in str(plenary["DESCRIPTION"])
    assert "The ISO CASCO Plenary is the annual meeting" in str(plenary["DESCRIPTION"])


def test_calendar_uses_announced_dates_when_there_are_some(client, casco_data):
    import icalendar

    MeetingFactory(
        title="Dated; meeting, with \\ odd text",
        year=2030,
        start_date=datetime.date(2030, 9, 2),
        end_date=datetime.date(2030, 9, 4),
        venue="Geneva",
        country="Switzerland",
    )
    calendar = icalendar.Calendar.from_ical(client.get("/meetings/calendar.ics").content)
    event = next(e for e in calendar.walk("VEVENT") if "Dated" in str(e["SUMMARY"]))
    assert str(event["SUMMARY"]) == "Dated; meeting, with \\ odd text"
    assert event["DTSTART"].dt == datetime.date(2030, 9, 2)
    assert event["DTEND"].dt == datetime.date(2030, 9, 5)  # DTEND is exclusive
    assert str(event["LOCATION"]) == "Geneva, Switzerland"


def test_escape_and_fold():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def _fold_char_by_char(line):
    """The folding rule spelled out: whole characters, as many as fit in 75 octets (74 after the
    leading space of a continuation line)."""
    parts, current, limit = [], b"", 75
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74
        current += octets
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400))
@settings(max_examples=300, deadline=None, derandomize=IN_CI)
def test_fold_fills_each_line_without_cutting_a_character(text):
    line = f"DESCRIPTION:{text}"
    folded = fold(line)
    assert folded == _fold_char_by_char(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_fold_at_every_character_width(width):
    char = {1: "a", 2: "é", 3: "€", 4: "𝄞"}[width]
    for length in range(60, 200):
        line = char * length
        assert fold(line) == _fold_char_by_char(line)
