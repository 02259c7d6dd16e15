"""An iCalendar (RFC 5545) feed of the meetings.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); text values
escape backslash, semicolon, comma and newlines. Every event's UID is built from the meeting's
primary key (its slug can be edited; the key never changes) and the configured SITE_DOMAIN, never
from the host name a request used: a calendar subscribed as 127.0.0.1 and as localhost, or through
two domain names, still sees one event per meeting. With METHOD:PUBLISH, DTSTAMP is when the feed
was produced (RFC 5545 section 3.8.7.2), the same for every event of one feed, in UTC; when the
record last changed is LAST-MODIFIED.

Dates: most meetings are announced with a year only. The portal never invents a date, so such
a meeting is written as an all-day event covering the whole year (DTSTART 1 January, DTEND the
next 1 January, both VALUE=DATE), marked TRANSP:TRANSPARENT so it does not block anybody's
time, with "(dates not announced)" in its summary and the reason in its description. Calendar
programs show it as a banner across the year, which is what we know. A meeting with a start
date is an all-day event from its start to the day after its end date (DTEND is exclusive)."""

import datetime

from django.http.request import split_domain_port
from django.utils import timezone

PRODID = "-//CASCO Portal//Meetings//EN"


def escape_text(value):
    """TEXT value escaping (RFC 5545 section 3.3.11)."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line):
    """Fold a content line into lines of at most 75 octets (RFC 5545 section 3.1), each as full
    as it can be without cutting a UTF-8 character (a cut never falls before a continuation byte)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(encoded[start:end])
        start, limit = end, 74  # continuation lines start with one space
    parts.append(encoded[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def _date(value):
    return value.strftime("%Y%m%d")


def _utc(value):
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def uid_domain(site_domain):
    """The domain part of every UID: SITE_DOMAIN without a port."""
    return split_domain_port(site_domain)[0] or site_domain


def meeting_uid(meeting, *, domain):
    """The meeting's permanent identity for calendar programs (RFC 5545 section 3.8.4.7)."""
    return f"meeting-{meeting.pk}@{domain}"


def meeting_event(meeting, *, url, domain, stamp):
    """The VEVENT lines for one meeting."""
    summary = meeting.title
    description = meeting.description
    if meeting.start_date:
        start = meeting.start_date
        end = (meeting.end_date or meeting.start_date) + datetime.timedelta(days=1)
    else:
        start = datetime.date(meeting.year, 1, 1)
        end = datetime.date(meeting.year + 1, 1, 1)
        summary = f"{summary} (dates not announced)"
        description = (
            f"Only the year ({meeting.year}) has been announced; this entry covers the whole year.\n\n{description}"
        ).strip()
    if meeting.host:
        description = f"Hosted by {meeting.host.name or meeting.host.acronym}.\n\n{description}".strip()
    location = ", ".join(part for part in (meeting.venue, meeting.country) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting, domain=domain)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;VALUE=DATE:{_date(start)}",
        f"DTEND;VALUE=DATE:{_date(end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        f"CATEGORIES:{escape_text(meeting.get_kind_display())}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if meeting.updated_at:
        lines.append(f"LAST-MODIFIED:{_utc(meeting.updated_at)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings, *, url_for, site_domain, name="CASCO meetings", now=None):
    """The whole feed as text with CRLF line endings; ``now`` (default: the current time) is its
    DTSTAMP."""
    domain = uid_domain(site_domain)
    stamp = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines.extend(meeting_event(meeting, url=url_for(meeting), domain=domain, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
