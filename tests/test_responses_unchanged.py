"""The portal answers a fixed set of page and API requests (filters, CSV, iCal, the schema, errors)
exactly as recorded in ``tests/snapshots/responses-<database>.json``: status, the headers clients act on, and
the body.

The record was taken before the code was reorganised into ``core`` and the domain apps (issue 19),
so this test is the proof that the move changed no answer. After a deliberate change of an answer,
record again with ``RECORD_RESPONSES=1 bin/test tests/test_responses_unchanged.py`` and review the
diff of the snapshot file. What varies per request or per day is masked before comparing: CSRF
tokens, CSP nonces and the calendar's DTSTAMP."""

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
RECORD = os.environ.get("RECORD_RESPONSES") == "1"
BIG_BODY = 40_000

HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Location",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Allow",
    "Link",
    "Content-Language",
    "WWW-Authenticate",
)

PAGES = [
    "/",
    "/structure/",
    "/search/?q=conformity",
    "/search/?q=IAF",
    "/search/?q=" + "x" * 101,
    "/committees/",
    "/committees/?body=IEC",
    "/committees/?kind=subcommittee&q=207",
    "/committees/?q=conformity&page=2",
    "/committees/?kind=nonsense",
    "/committees/?format=csv",
    "/committees/?body=ISO&format=csv",
    "/committees/iso-casco/",
    "/committees/ISO-CASCO/",
    "/committees/ISO/TC 207/SC 2",
    "/committees/no-such-committee/",
    "/groups/",
    "/groups/?kind=working_group",
    "/groups/?type=working_group",
    "/groups/?kind=joint_working_group&format=csv",
    "/groups/?q=accreditation",
    "/groups/?kind=bad",
    "/groups/iso-casco-cpc/",
    "/standards/iso-21030/",
    "/liaisons/",
    "/liaisons/?direction=incoming",
    "/liaisons/?direction=outgoing&body=IEC",
    "/liaisons/?sort=-title",
    "/liaisons/?sort=sideways",
    "/liaisons/?format=csv&direction=both",
    "/organizations/",
    "/organizations/?category=A",
    "/organizations/?category=Z",
    "/organizations/?q=council",
    "/organizations/?format=csv",
    "/organizations/bipm/",
    "/organizations/TIC Council",
    "/meetings/",
    "/meetings/?kind=plenary",
    "/meetings/?q=market",
    "/meetings/?format=csv",
    "/meetings/2019-iso-casco-plenary/",
    "/meetings/calendar.ics",
    "/sources/iso-casco-committee-page.txt/",
    "/sources/casco-plenary-2019-announcement.txt/",
    "/sources/nothing.txt/",
    "/robots.txt",
    "/sitemap.xml",
    "/no/such/page/",
]

API = [
    "/api/v1/",
    "/api/v1/schema/",
    "/api/v1/schema/?format=json",
    "/api/v1/committees/",
    "/api/v1/committees/?body=IEC&kind=technical_committee",
    "/api/v1/committees/?parent=iso-tc-207",
    "/api/v1/committees/?parent=nothing",
    "/api/v1/committees/?ordering=-reference&page_size=5",
    "/api/v1/committees/?search=conformity",
    "/api/v1/committees/?updated_since=2000-01-01T00:00:00Z",
    "/api/v1/committees/?updated_since=yesterday",
    "/api/v1/committees/?page_size=0",
    "/api/v1/committees/?page=99",
    "/api/v1/committees/?format=csv",
    "/api/v1/committees/?format=xml",
    "/api/v1/committees/iso-casco/",
    "/api/v1/committees/nothing/",
    "/api/v1/groups/",
    "/api/v1/groups/?type=working_group",
    "/api/v1/groups/?kind=working_group",
    "/api/v1/groups/?type=nonsense",
    "/api/v1/groups/?committee=iso-casco&ordering=title",
    "/api/v1/groups/?partner=iso-tc-176",
    "/api/v1/groups/?search=accreditation",
    "/api/v1/groups/iso-casco-cpc/",
    "/api/v1/groups/?format=csv",
    "/api/v1/standards/",
    "/api/v1/standards/?group=iso-casco-cpc",
    "/api/v1/standards/iso-21030/",
    "/api/v1/committee-liaisons/",
    "/api/v1/committee-liaisons/?direction=incoming",
    "/api/v1/committee-liaisons/?direction=up",
    "/api/v1/committee-liaisons/?can_access_documents=true",
    "/api/v1/committee-liaisons/?can_access_documents=perhaps",
    "/api/v1/committee-liaisons/?search=207",
    "/api/v1/committee-liaisons/?format=csv",
    "/api/v1/organizations/",
    "/api/v1/organizations/?category=A",
    "/api/v1/organizations/?search=council",
    "/api/v1/organizations/bipm/",
    "/api/v1/organizations/?format=csv",
    "/api/v1/organization-liaisons/",
    "/api/v1/organization-liaisons/?category=C",
    "/api/v1/organization-liaisons/?organization=bipm",
    "/api/v1/meetings/",
    "/api/v1/meetings/?kind=plenary&year=2019",
    "/api/v1/meetings/?year=soon",
    "/api/v1/meetings/?host=bipm",
    "/api/v1/meetings/?search=market",
    "/api/v1/meetings/2019-iso-casco-plenary/",
    "/api/v1/meetings/?format=csv",
    "/api/v1/nothing/",
]

# Requests with a method, headers or body: (name, method, path, headers, body).
OTHER = [
    ("browsable committee list", "get", "/api/v1/committees/", {"HTTP_ACCEPT": "text/html"}, None),
    ("csv by accept", "get", "/api/v1/groups/", {"HTTP_ACCEPT": "text/csv"}, None),
    ("not acceptable", "get", "/api/v1/groups/", {"HTTP_ACCEPT": "application/xml"}, None),
    ("anonymous post", "post", "/api/v1/committees/", {}, {"reference": "ISO/TC 999"}),
    ("anonymous patch", "patch", "/api/v1/groups/iso-casco-cpc/", {}, {"title": "x"}),
    ("anonymous delete", "delete", "/api/v1/meetings/2019-iso-casco-plenary/", {}, None),
    ("options", "options", "/api/v1/committees/", {}, None),
    ("head page", "head", "/committees/", {}, None),
    ("conditional get", "get", "/api/v1/committees/iso-casco/", {"HTTP_IF_NONE_MATCH": "*"}, None),
]

CSV_ROW_ID = re.compile(r"(?m)^\d+,")  # a CSV row's first column, the record's id

MASKS = [
    # Ids are the order rows were loaded in, not behaviour: the data may have been loaded again
    # (after a test that commits) before this test runs.
    (re.compile(r'"id": ?\d+'), '"id": …'),
    (re.compile(r"&quot;id&quot;: ?\d+"), "&quot;id&quot;: …"),
    (re.compile(r"(/api/v1/[a-z-]+/)\d+/"), r"\1…/"),
    (re.compile(r"(/admin/[a-z_]+/[a-z]+/)\d+/"), r"\1…/"),
    (re.compile(r"UID:meeting-\d+@"), "UID:meeting-…@"),
    (re.compile(r'(csrfmiddlewaretoken" value=")[^"]+'), r"\1…"),
    (re.compile(r'("csrfToken": ")[^"]+'), r"\1…"),
    (re.compile(r"nonce-[A-Za-z0-9+/=_-]+"), "nonce-…"),
    (re.compile(r'nonce="[^"]+"'), 'nonce="…"'),
    (re.compile(r"DTSTAMP:\d{8}T\d{6}Z"), "DTSTAMP:…"),
]


def masked(text):
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def answer(response, path):
    """Status, headers and body; a body over 40 kB (the schema, the browsable API, long lists) is
    kept as its length and SHA-256, so the record stays reviewable."""
    raw = response.content.decode("utf-8", "replace") if response.content else ""
    body = masked(raw)
    if response.get("Content-Type", "").startswith("text/csv"):
        body = CSV_ROW_ID.sub("…,", body)
    headers = {name: masked(response[name]) for name in HEADERS if response.has_header(name)}
    if "ETag" in headers and (body != raw or path.startswith("/api/")):
        # The hash of a body with a per-request token, or of API records with their ids.
        headers["ETag"] = "…"
    if len(body) > BIG_BODY:
        body = f"{len(body)} characters, sha256 {hashlib.sha256(body.encode()).hexdigest()}"
    return {
        "status": response.status_code,
        "headers": headers,
        "body": body,
    }


def requests():
    from committees.models import CASCO_REFERENCE, Committee

    for path in PAGES + API:
        yield path, "get", path, {}, None
    casco_id = Committee.objects.get(reference=CASCO_REFERENCE).pk
    yield "/api/v1/committees/<id of ISO/CASCO>/", "get", f"/api/v1/committees/{casco_id}/", {}, None
    yield from OTHER


def answers():
    """``({name: answer}, {name: full body})`` for every request."""
    client = APIClient()
    recorded, bodies = {}, {}
    for name, method, path, headers, body in requests():
        kwargs = {"format": "json"} if body is not None else {}
        response = getattr(client, method)(path, body, **kwargs, **headers)
        recorded[name] = answer(response, path)
        bodies[name] = response.content.decode("utf-8", "replace")
    return recorded, bodies


@pytest.mark.django_db
def test_answers_are_as_recorded(casco_data, settings, artifacts_dir):
    # One record per database: search ranks by full-text relevance on PostgreSQL only.
    snapshot = SNAPSHOTS / f"responses-{connection.vendor}.json"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    current, bodies = answers()
    if RECORD:
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(json.dumps(current, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        pytest.skip(f"recorded {len(current)} answers in {snapshot}")
    recorded = json.loads(snapshot.read_text())
    assert sorted(current) == sorted(recorded)
    changed = [name for name in recorded if current[name] != recorded[name]]
    if changed:  # the full answers that differ, to compare with the recording by eye
        differing = {name: {**current[name], "body": bodies[name]} for name in changed}
        (artifacts_dir / f"responses-{connection.vendor}-changed.json").write_text(
            json.dumps(differing, indent=1, ensure_ascii=False, sort_keys=True)
        )
    for name in changed:
        for part in ("status", "headers", "body"):
            assert current[name][part] == recorded[name][part], f"{name}: {part} changed"
    assert not changed
