"""Hypothesis tests of the importer on mutated source pages: it either imports or refuses with a
clear error (ImportFailed / SourcePageError naming where), never crashes with anything else, and
never half-writes."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.fixtures import comparable, dump_portal_data
from sources.importer import ImportFailed, source_texts_import
from sources.parsing import SourcePageError, parse_announcement, parse_committee_page

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
COMMITTEE_PAGE = (SOURCES / "iso-casco-committee-page.txt").read_text(encoding="utf-8")
ANNOUNCEMENT = (SOURCES / "casco-plenary-2019-announcement.txt").read_text(encoding="utf-8")
NASTY = [
    "\x00",
    "\xa0",
    "\u202e",
    "'; DROP TABLE committees_committee; --",
    "<script>x</script>",
    "Ω" * 300,
    "\t",
    "•",
    "*",
]


@st.composite
def mutated(draw, text):
    """The page with one to three edits: a line dropped, doubled, swapped, cut short or replaced,
    text inserted, or the page truncated."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "swap", "cut", "replace", "insert", "truncate", "char"]))
        if action == "drop":
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "cut":
            lines[index] = lines[index][: draw(st.integers(0, max(0, len(lines[index]) - 1)))]
        elif action == "replace":
            lines[index] = draw(st.one_of(st.text(max_size=80), st.sampled_from(NASTY)))
        elif action == "insert":
            lines.insert(index, draw(st.one_of(st.text(max_size=80), st.sampled_from(NASTY))))
        elif action == "truncate":
            lines = lines[:index]
        else:
            line = lines[index]
            if line:
                at = draw(st.integers(0, len(line) - 1))
                lines[index] = line[:at] + draw(st.characters()) + line[at + 1 :]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(page=mutated(COMMITTEE_PAGE))
def test_committee_page_parser_reads_or_refuses_clearly(page):
    try:
        parse_committee_page(page, page="fuzzed.txt")
    except SourcePageError as error:
        assert str(error).startswith("fuzzed.txt")


@settings(max_examples=300, deadline=None)
@given(page=mutated(ANNOUNCEMENT))
def test_announcement_parser_reads_or_refuses_clearly(page):
    try:
        parse_announcement(page, page="fuzzed.txt")
    except SourcePageError as error:
        assert str(error).startswith("fuzzed.txt")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(committee_page=mutated(COMMITTEE_PAGE), announcement=mutated(ANNOUNCEMENT))
def test_import_of_mutated_pages_imports_or_changes_nothing(casco_data, committee_page, announcement):
    before = comparable(dump_portal_data())
    pages = [
        ("iso-casco-committee-page.txt", committee_page.encode("utf-8", "surrogatepass")),
        ("casco-plenary-2019-announcement.txt", announcement.encode("utf-8", "surrogatepass")),
    ]
    try:
        source_texts_import(pages=pages)
    except ImportFailed as error:
        assert str(error)
        assert comparable(dump_portal_data()) == before
