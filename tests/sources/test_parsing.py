"""The source-page parsers: what they read from the published pages, and how they refuse pages
they cannot read (naming the section and line)."""

from pathlib import Path

import pytest

from core.references import natural_sort_key, normalise_committee_reference, slug_for
from sources.parsing import (
    SourcePageError,
    derive_group_kind,
    parse_announcement,
    parse_committee_page,
    standards_in_title,
)

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
COMMITTEE_PAGE = (SOURCES / "iso-casco-committee-page.txt").read_text(encoding="utf-8")
ANNOUNCEMENT = (SOURCES / "casco-plenary-2019-announcement.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page():
    return parse_committee_page(COMMITTEE_PAGE)


@pytest.fixture(scope="module")
def announcement():
    return parse_announcement(ANNOUNCEMENT)


def test_the_copies_are_the_published_pages():
    shared = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    assert (shared / "001_8b02e32657d24972.txt").read_bytes() == (SOURCES / "iso-casco-committee-page.txt").read_bytes()
    assert (shared / "000_5d8babe49f6b8254.txt").read_bytes() == (
        SOURCES / "casco-plenary-2019-announcement.txt"
    ).read_bytes()


def test_committee_figures(page):
    assert page.committee_reference == "ISO/CASCO"
    assert page.title == "ISO committee for conformity assessment (CASCO)"
    assert page.summary == "CASCO is the ISO committee that works on issues relating to conformity assessment."
    assert (page.participating_members, page.observing_members) == (95, 49)
    assert (page.published_standards, page.standards_under_development) == (37, 6)
    assert page.standards_count_note == "number includes updates"
    assert page.membership_rules.startswith("CASCO membership is open to interested member bodies")
    assert len(page.terms_of_reference) == 3
    assert page.terms_of_reference[0].startswith("To study means of assessing the conformity")
    assert page.terms_of_reference[2].endswith("assessment and related purposes.")


def test_groups(page):
    casco_groups = [g for g in page.groups if g.committee_reference == "ISO/CASCO"]
    others = [g for g in page.groups if g.committee_reference != "ISO/CASCO"]
    assert len(casco_groups) == 15
    assert [g.reference for g in others] == ["ISO/TC 207/SC 2/JWG 1", "ISO/TC 207/SC 7/JWG 6"]
    by_ref = {g.reference: g for g in page.groups}
    assert by_ref["ISO/CASCO/INetQI"].title == "Hosted ISO/CASCO INetQI group"
    assert by_ref["ISO/CASCO/INetQI"].kind == "hosted_group"
    assert by_ref["ISO/CASCO/IAF/ILAC JSG"].title == "IAF-ILAC-ISO Joint Strategic Group"
    assert by_ref["ISO/CASCO/IAF/ILAC JSG"].partner_organizations == ["IAF", "ILAC"]
    assert by_ref["ISO/CASCO/JWG 58"].partner_committees == ["ISO/TC 232"]
    assert by_ref["ISO/CASCO/JWG 62"].partner_committees == ["ISO/TC 85"]
    assert by_ref["ISO/CASCO/JWG 63"].partner_committees == ["ISO/TC 304"]
    assert by_ref["ISO/TC 207/SC 2/JWG 1"].partner_committees == ["ISO/CASCO"]
    assert by_ref["ISO/TC 207/SC 7/JWG 6"].partner_committees == ["ISO/CASCO"]
    assert by_ref["ISO/CASCO/WG 64"].title == (
        "Revision of ISO/IEC 17007 - Conformity assessment - Guidance for drafting normative documents "
        "suitable for use for conformity assessment."
    )
    assert {g.type_label for g in casco_groups} == {"Working group"}
    assert {g.type_label for g in others} == {""}


@pytest.mark.parametrize(
    ("reference", "title", "kind"),
    [
        ("ISO/CASCO/WG 30", "x", "working_group"),
        ("ISO/CASCO/JWG 58", "x", "joint_working_group"),
        ("ISO/CASCO/AHG", "x", "ad_hoc_group"),
        ("ISO/CASCO/CPC", "x", "policy_coordination_group"),
        ("ISO/CASCO/STAR", "x", "strategic_regulatory_group"),
        ("ISO/CASCO/STTF", "x", "task_force"),
        ("ISO/CASCO/IAF/ILAC JSG", "x", "joint_strategic_group"),
        ("ISO/CASCO/INetQI", "Hosted ISO/CASCO INetQI group", "hosted_group"),
    ],
)
def test_group_kind_is_derived_from_the_reference(reference, title, kind):
    assert derive_group_kind(reference, title) == kind


def test_standards_named_in_titles(page):
    mentions = {m.reference: (g.reference, m) for g in page.groups for m in g.standards}
    assert set(mentions) == {
        "ISO 21030",
        "ISO/TS 23406",
        "ISO/IEC 17021-15",
        "ISO/TS 17012",
        "ISO/IEC 17007",
        "ISO/IEC 17067",
    }
    assert mentions["ISO/TS 17012"][0] == "ISO/CASCO/WG 61"  # written "ISO TS 17012" on the page
    assert mentions["ISO/TS 23406"][1].abbreviation == "ITNS"
    assert mentions["ISO/IEC 17021-15"][1].work == "development"
    assert mentions["ISO/IEC 17067"][1].work == "revision"
    assert mentions["ISO 21030"][1].title.startswith("Requirements for bodies providing audit")
    assert standards_in_title("Conformity assessment - General requirements for bodies") == []


def test_liaison_lists(page):
    incoming = {row.reference for row in page.incoming}
    outgoing = {row.reference for row in page.outgoing}
    assert (len(incoming), len(outgoing), len(incoming & outgoing)) == (42, 27, 21)
    rows = {row.reference: row for row in page.incoming}
    assert (rows["IEC/CAB"].title, rows["IEC/CAB"].body) == ("CAB", "IEC")
    assert rows["ISO/IEC JTC 1/SC 27"].body == "ISO/IEC"
    assert rows["ISO/PC 250"].title == "Sustainability in event management"
    assert "ISO/TC 323" in outgoing and "ISO/TC 323" not in incoming


def test_organizations(page):
    by_acronym = {row.acronym: row for row in page.organizations}
    categories = [row.category for row in page.organizations]
    assert (categories.count("A"), categories.count("B"), categories.count("C")) == (23, 0, 2)
    assert by_acronym["TIC Council"].name == "TIC Council"
    assert by_acronym["VET21001"].name == "VET21001 Consortium"
    assert by_acronym["IIOC"].name == "Independant International Organization for Certification"  # as published
    assert by_acronym["UILI"].name == "Union Internationale des Laboratoires Indépendants (UILI)"
    assert page.category_notes == {"C": "C liaisons participate at the level of a Working Group"}


def test_announcement(announcement):
    assert announcement.title == "ISO CASCO plenary, workshop and meetings"
    assert announcement.published_on.isoformat() == "2019-05-01"
    plenary, workshop = announcement.meetings
    assert (plenary.kind, plenary.year, plenary.host_acronym, plenary.country) == ("plenary", 2019, "KEBS", "Kenya")
    assert plenary.host_name == "Kenya Bureau of Standards"
    assert plenary.description.startswith("The ISO CASCO Plenary is the annual meeting of the ISO committee")
    assert (workshop.kind, workshop.year, workshop.title) == (
        "workshop",
        2019,
        "2019 ISO workshop on market surveillance",
    )
    assert workshop.description.startswith("Market surveillance is a crucial policy tool")
    assert workshop.description.endswith("how ISO standards and conformity assessment can help?")
    assert [p.group_name for p in announcement.participations] == [
        "Chairman’s Policy and Coordination Group",
        "Strategic Alliance and Regulatory Group",
    ]
    assert {p.organization_acronym for p in announcement.participations} == {"IIOA"}
    assert announcement.participations[1].group_description == (
        "provides a forum for industry sectors and regulators to interact with CASCO."
    )


def test_aims_quoted_in_the_announcement_are_the_terms_of_reference(page, announcement):
    assert announcement.aims == page.terms_of_reference


# --- refusals ------------------------------------------------------------------------------


def _cut_after(text, marker):
    return text[: text.index(marker) + len(marker)]


@pytest.mark.parametrize(
    ("mutate", "section", "message"),
    [
        (lambda t: "", None, "empty"),
        (lambda t: _cut_after(t, "Liaison Committees to\xa0ISO/CASCO"), "Liaison committees to", "truncated"),
        (lambda t: _cut_after(t, "Quick links"), "Quick links", "truncated"),
        (lambda t: t.replace("95\nParticipating", "ninety-five\nParticipating"), "Quick links", "number"),
        (
            lambda t: t.replace("TIA Telecommunications Industry Association A", "TIA Telecom Z"),
            "A and B",
            "category Z",
        ),
        (lambda t: t.replace("NQSA Nuclear Quality Standard Association C", "NQSA Nuclear A"), "(C)", "category A"),
        (lambda t: t.replace("ISO/TC 69 Applications of statistical methods ISO", "garbage row"), "to", "reference"),
        (lambda t: t.replace("Working group\nISO/CASCO/STAR", "Wrking grp\nISO/CASCO/STAR"), "Groups", "type"),
        (lambda t: t.replace("Terms of reference", "Terms"), "Membership", "membership"),
    ],
)
def test_malformed_committee_pages_are_refused_with_section_and_line(mutate, section, message):
    with pytest.raises(SourcePageError) as caught:
        parse_committee_page(mutate(COMMITTEE_PAGE), page="page.txt")
    text = str(caught.value)
    assert message.lower() in text.lower()
    if section:
        assert section.lower() in caught.value.section.lower()
        assert caught.value.line_no is not None
        assert f"line {caught.value.line_no}" in text


def test_a_duplicated_liaison_row_is_refused():
    row = "ISO/TC 69 Applications of statistical methods ISO\n"
    with pytest.raises(SourcePageError, match="listed twice"):
        parse_committee_page(COMMITTEE_PAGE.replace(row, row + row))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace("May 1, 2019", "1st of May"), "date"),
        (lambda t: t.replace("(KEBS), the Kenyan", "(KEBS), the Atlantean"), "nationality"),
        (lambda t: t[: t.index("Additionally")], "workshop"),
        (lambda t: t + "\n\nAn extra paragraph nobody expected.", "unexpected text"),
        (lambda t: t.replace(" which provides a forum", " provides a forum"), "which"),
    ],
)
def test_malformed_announcements_are_refused(mutate, message):
    with pytest.raises(SourcePageError) as caught:
        parse_announcement(mutate(ANNOUNCEMENT), page="news.txt")
    assert message.lower() in str(caught.value).lower()
    assert "news.txt" in str(caught.value)


def test_irregular_spacing_is_read_as_published():
    spaced = COMMITTEE_PAGE.replace("ISO/TC 34 Food products ISO", "ISO/TC 34\xa0\xa0 Food   products  ISO ")
    page = parse_committee_page(spaced.replace("\n", "\r\n"))
    assert {r.reference: r.title for r in page.incoming}["ISO/TC 34"] == "Food products"


@pytest.mark.parametrize(
    ("reference", "slug"),
    [
        ("ISO/TC 207/SC 2", "iso-tc-207-sc-2"),
        ("ISO/CASCO/WG 30", "iso-casco-wg-30"),
        ("TIC Council", "tic-council"),
        ("ISO/IEC JTC 1/SC 27", "iso-iec-jtc-1-sc-27"),
        ("ISO/CASCO/IAF/ILAC JSG", "iso-casco-iaf-ilac-jsg"),
    ],
)
def test_slugs(reference, slug):
    assert slug_for(reference) == slug


def test_natural_sort_key_orders_numbers_by_value():
    refs = ["ISO/TC 207", "ISO/CASCO/WG 64", "ISO/TC 34", "ISO/CASCO/WG 30", "ISO/CASCO/WG 61"]
    assert sorted(refs, key=natural_sort_key) == [
        "ISO/CASCO/WG 30",
        "ISO/CASCO/WG 61",
        "ISO/CASCO/WG 64",
        "ISO/TC 34",
        "ISO/TC 207",
    ]


@pytest.mark.parametrize(
    ("text", "reference"),
    [("ISO/TC232", "ISO/TC 232"), ("TC 207/SC 7", "ISO/TC 207/SC 7"), ("CASCO", "ISO/CASCO")],
)
def test_references_in_running_text_are_normalised(text, reference):
    assert normalise_committee_reference(text) == reference
