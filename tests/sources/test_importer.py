"""The importer and its command: the figures it produces, idempotency, the committed fixture it
must reproduce, and refusals that leave the database exactly as it was."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from committees.models import CASCO_REFERENCE, Committee, Group, GroupStandard, SourcePage, Standard, TermOfReference
from liaisons.models import CategoryNote, CommitteeLiaison, GroupParticipation, Organization, OrganizationLiaison
from meetings.models import Meeting
from sources.fixtures import FIXTURE_NAME, comparable, dump_portal_data
from sources.importer import ImportFailed, default_source_paths, source_pages_import, source_texts_import

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / f"{FIXTURE_NAME}.json"
COMMITTEE_FILE, ANNOUNCEMENT_FILE = default_source_paths()

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    return source_pages_import()


def snapshot():
    """Every portal row, as comparable text (to prove nothing was written)."""
    return comparable(dump_portal_data())


def test_fresh_import_reproduces_the_committed_fixture_exactly(imported):
    assert snapshot() == comparable(FIXTURE.read_text(encoding="utf-8"))


def test_loading_the_fixture_gives_the_same_records_as_importing():
    call_command("loaddata", FIXTURE_NAME, verbosity=0)
    loaded = snapshot()
    report = source_pages_import()
    assert not report.changed, report.changes
    assert snapshot() == loaded


def test_figures(imported):
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    assert (casco.participating_members, casco.observing_members) == (95, 49)
    assert (casco.published_standards, casco.standards_under_development) == (37, 6)
    assert casco.standards_count_note == "number includes updates"
    assert casco.terms_of_reference.count() == 3
    assert Group.objects.filter(committee=casco).count() == 15
    assert Group.objects.exclude(committee=casco).count() == 2
    liaisons = CommitteeLiaison.objects.filter(committee=casco)
    assert (liaisons.incoming().count(), liaisons.outgoing().count(), liaisons.both().count()) == (42, 27, 21)
    categories = OrganizationLiaison.objects.filter(committee=casco)
    assert [categories.of_category(c).count() for c in "ABC"] == [23, 0, 2]
    assert Standard.objects.count() == 6
    assert Meeting.objects.count() == 2


def test_sample_of_exact_titles_parents_and_partners(imported):
    wg61 = Group.objects.get(reference="ISO/CASCO/WG 61")
    assert wg61.title == "ISO TS 17012 Guidelines remote methods in audits management systems"
    assert wg61.type_label == "Working group"
    assert list(wg61.standards.values_list("reference", flat=True)) == ["ISO/TS 17012"]

    jwg1 = Group.objects.get(reference="ISO/TC 207/SC 2/JWG 1")
    assert jwg1.committee.reference == "ISO/TC 207/SC 2"
    assert jwg1.committee.parent.reference == "ISO/TC 207"
    assert [c.reference for c in jwg1.partner_committees.all()] == ["ISO/CASCO"]
    assert jwg1.kind == "joint_working_group"

    jwg58 = Group.objects.get(reference="ISO/CASCO/JWG 58")
    tc232 = jwg58.partner_committees.get()
    assert tc232.reference == "ISO/TC 232"  # written "ISO/TC232" on the page
    assert tc232.title == ""  # the page names it only by reference
    assert tc232.kind == "technical_committee"

    jsg = Group.objects.get(reference="ISO/CASCO/IAF/ILAC JSG")
    assert sorted(jsg.partner_organizations.values_list("acronym", flat=True)) == ["IAF", "ILAC"]

    sc27 = Committee.objects.get(reference="ISO/IEC JTC 1/SC 27")
    assert (sc27.body, sc27.parent.reference, sc27.parent.kind) == (
        "ISO/IEC",
        "ISO/IEC JTC 1",
        "joint_technical_committee",
    )
    assert sc27.title == "Information security, cybersecurity and privacy protection"
    cab = Committee.objects.get(reference="IEC/CAB")
    assert (cab.title, cab.body, cab.kind) == ("CAB", "IEC", "board")
    assert Committee.objects.get(reference="ISO/PC 250").kind == "project_committee"
    assert Committee.objects.get(reference="ISO/COPOLCO").kind == "policy_committee"

    assert GroupStandard.objects.get(standard__reference="ISO/IEC 17067").work == "revision"
    assert Standard.objects.get(reference="ISO/TS 23406").abbreviation == "ITNS"


def test_announcement_facts(imported):
    plenary = Meeting.objects.get(kind="plenary")
    assert plenary.year == 2019
    assert plenary.host.acronym == "KEBS"
    assert plenary.host.name == "Kenya Bureau of Standards"
    assert plenary.host.description == "the Kenyan National Standards Body"
    assert plenary.country == "Kenya"
    assert plenary.committee.reference == "ISO/CASCO"
    assert plenary.announced_on.isoformat() == "2019-05-01"
    assert (plenary.start_date, plenary.end_date, plenary.venue) == (None, None, "")  # not stated: not invented
    workshop = Meeting.objects.get(kind="workshop")
    assert workshop.title == "2019 ISO workshop on market surveillance"
    assert workshop.country == ""
    assert workshop.source.title == "ISO CASCO plenary, workshop and meetings"

    cpc = Group.objects.get(reference="ISO/CASCO/CPC")
    assert cpc.description.startswith("coordinates the technical work of CASCO")
    assert cpc.description_source.kind == "announcement"
    assert cpc.source.title == "ISO/CASCO committee page"
    participations = GroupParticipation.objects.filter(organization__acronym="IIOA").order_by("group__sort_key")
    assert [p.group.reference for p in participations] == ["ISO/CASCO/CPC", "ISO/CASCO/STAR"]
    assert participations[0].name_in_source == "Chairman’s Policy and Coordination Group"
    assert not Organization.objects.get(acronym="IIOA").liaisons.exists()  # named, not in liaison


def test_provenance(imported):
    page = SourcePage.objects.get(file_name="iso-casco-committee-page.txt")
    assert page.title == "ISO/CASCO committee page"
    assert Committee.objects.filter(source=page).count() == Committee.objects.count()
    for model in (Group, TermOfReference, CommitteeLiaison, OrganizationLiaison, CategoryNote, Standard):
        assert not model.objects.filter(source__isnull=True).exists(), model
        assert not model.objects.filter(imported_at__isnull=True).exists(), model
    assert CategoryNote.objects.get().text == "C liaisons participate at the level of a Working Group"


def test_second_run_changes_nothing_and_says_so(imported):
    before = snapshot()
    history_rows = Committee.history.count()
    again = source_pages_import()
    assert not again.changed
    assert again.total("created") == again.total("updated") == 0
    assert again.total("unchanged") == imported.total("created")
    assert "Nothing changed" in again.summary_lines()[-1]
    assert snapshot() == before
    assert Committee.history.count() == history_rows


def test_a_newer_page_updates_what_it_changed_and_records_history(imported, tmp_path):
    newer = tmp_path / COMMITTEE_FILE.name
    text = COMMITTEE_FILE.read_text(encoding="utf-8")
    newer.write_text(text.replace("bodies operating certification of persons", "bodies certifying persons"))
    report = source_pages_import(paths=[newer])
    assert report.total("updated") == 1
    assert any("WG 30" in line and "title" in line and "→" in line for line in report.changes)
    wg30 = Group.objects.get(reference="ISO/CASCO/WG 30")
    assert wg30.title.endswith("General requirements for bodies certifying persons")
    last = wg30.history.first()
    sha256 = SourcePage.objects.get(file_name=COMMITTEE_FILE.name).sha256
    assert last.history_change_reason == f"import of {COMMITTEE_FILE.name} sha256 {sha256[:16]}"


def test_a_liaison_dropped_from_a_newer_page_is_reported_and_removed_only_when_confirmed(imported, tmp_path):
    newer = tmp_path / COMMITTEE_FILE.name
    text = COMMITTEE_FILE.read_text(encoding="utf-8")
    newer.write_text(text.replace("ISO/TC 323 Circular economy ISO\n", ""), encoding="utf-8")
    report = source_pages_import(paths=[newer])
    assert report.total("removed") == 0
    assert "no longer on the page: committee liaison ISO/CASCO ↔ ISO/TC 323 (outgoing) (not removed)" in report.missing
    assert CommitteeLiaison.objects.filter(liaison_committee__reference="ISO/TC 323").exists()
    # Reported again at the next import, until the secretariat confirms.
    again = source_pages_import(paths=[newer])
    assert not again.changed and len(again.missing) == 2

    confirmed = source_pages_import(paths=[newer], remove_missing=True)
    assert confirmed.total("removed") == 2  # the liaison, then the committee the page named only there
    assert not CommitteeLiaison.objects.filter(liaison_committee__reference="ISO/TC 323").exists()
    assert not Committee.objects.filter(reference="ISO/TC 323").exists()
    assert not source_pages_import(paths=[newer], remove_missing=True).missing


def test_a_committee_on_both_lists_under_different_titles_is_refused(imported, tmp_path):
    page = tmp_path / COMMITTEE_FILE.name
    text = COMMITTEE_FILE.read_text(encoding="utf-8")
    first, rest = text.split("Liaison Committees from", 1)
    rest = rest.replace("ISO/TC 85 Nuclear energy", "ISO/TC 85 Atomic energy")
    page.write_text(first + "Liaison Committees from" + rest, encoding="utf-8")
    with pytest.raises(ImportFailed, match="ISO/TC 85"):
        source_pages_import(paths=[page])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"About\nScope\n", "truncated"),
        ("About\nScope\nMembership\nx\nTerms of reference\n• a\n".encode(), "More information"),
    ],
)
def test_bad_pages_change_nothing(imported, content, message):
    before = snapshot()
    with pytest.raises(ImportFailed, match=message):
        source_texts_import(pages=[("iso-casco-committee-page.txt", content)])
    assert snapshot() == before


def test_a_failure_late_in_the_import_rolls_back_everything_written_before_it(tmp_path):
    """The committee page imports fine; the announcement then names a group that does not exist.
    The whole import is one transaction, so not even the committee page's records remain."""
    broken = tmp_path / ANNOUNCEMENT_FILE.name
    broken.write_text(
        ANNOUNCEMENT_FILE.read_text(encoding="utf-8").replace(
            "Strategic Alliance and Regulatory Group which", "Nonexistent Group which"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match="Nonexistent Group"):
        source_pages_import(paths=[COMMITTEE_FILE, broken])
    assert Committee.objects.count() == 0
    assert SourcePage.objects.count() == 0


def test_the_announcement_alone_needs_the_committee_page():
    with pytest.raises(ImportFailed, match="committee page"):
        source_pages_import(paths=[ANNOUNCEMENT_FILE])


def test_command_reports_and_is_idempotent(capsys):
    call_command("import_casco_pages")
    first = capsys.readouterr().out
    assert "groups: 17 created" in first
    assert "committee liaisons: 48 created" in first
    call_command("import_casco_pages", *map(str, default_source_paths()))
    second = capsys.readouterr().out
    assert "Nothing changed" in second
    assert "groups: 17 unchanged" in second


def test_command_refuses_a_truncated_page_with_section_and_line(tmp_path):
    truncated = tmp_path / "truncated.txt"
    text = COMMITTEE_FILE.read_text(encoding="utf-8")
    truncated.write_text(text[: text.index("Organizations in liaison (Category C)")], encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_casco_pages", str(truncated))
    message = str(caught.value)
    assert "nothing was changed" in message
    assert "truncated.txt" in message and "section" in message and "line" in message
    assert Committee.objects.count() == 0


def test_command_exits_non_zero_for_a_missing_file(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "import_casco_pages", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 1
    assert "cannot read the file" in result.stderr
