"""Counts on the pages are written with thousands separators ("1,008 liaison committees"), while
years, page numbers in addresses and other figures that are not counts keep their digits as they are."""

import re

import pytest

from committees.models import Committee
from liaisons.models import CommitteeLiaison
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def thousands_data(casco_data):
    """The real data and twenty times as much synthetic data: 1,008 CASCO liaisons, 1,176 committees."""
    from sources.synthetic import synthetic_data_create

    synthetic_data_create(factor=20)
    assert CommitteeLiaison.objects.held_by("ISO/CASCO").count() == 1008
    assert Committee.objects.count() == 1176


def test_the_liaison_table_counts_with_separators(client, thousands_data, page_text):
    response = client.get("/liaisons/")
    assert response.status_code == 200
    text = page_text(response)
    assert "1,008 all" in text and "All liaison committees (1,008)" in text
    assert "1,008 liaison committees." in text
    assert re.search(r"Page 1 of \d+ \(1,008 rows\)", text)
    # The page links keep plain numbers.
    assert "page=2" in response.content.decode()


def test_the_committee_list_and_the_home_page(client, thousands_data, page_text):
    assert "1,176 committees." in page_text(client.get("/committees/"))
    home = page_text(client.get("/"))
    assert "1,008 liaison committees" in home
    structure = page_text(client.get("/structure/"))
    assert "1,008 liaison committees" in structure


def test_search_totals(client, thousands_data, page_text):
    response = client.get("/search/", {"q": "Synthetic committee"})
    committees = next(section for section in response.context["sections"] if section["kind"] == "committees")
    assert committees["total"] == 1120
    text = page_text(response)
    assert "Committees 1,120" in text and "Showing 50 of 1,120, best matches first." in text
    assert f"{response.context['result_count']:,} results for “Synthetic committee”" in text


def test_member_counts_and_years(client, casco, page_text):
    casco.participating_members = 100_000
    casco.save()
    text = page_text(client.get("/"))
    assert "Participating (P) members 100,000" in text
    # A year is a label, not a count: never "2,019".
    assert Meeting.objects.filter(year=2019).exists()
    assert "2019" in text and "2,019" not in text
    assert "2,019" not in page_text(client.get("/meetings/"))
