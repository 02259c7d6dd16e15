"""Re-importing merges (sources/importer.py): what the secretariat edited through the API or
the admin is kept, hand-added rows and partners stay, both-changed fields are reported as
conflicts, and ``--dry-run`` previews all of it without writing."""

import pytest
from django.core.management import call_command

from api_tokens.services import api_token_create
from committees.models import CASCO_REFERENCE, Committee, Group, ImportSnapshot
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting
from sources.fixtures import comparable, dump_portal_data
from sources.importer import default_source_paths, source_pages_import, source_texts_import
from tests.factories import TermOfReferenceFactory

COMMITTEE_FILE, ANNOUNCEMENT_FILE = default_source_paths()

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, admin_user):
    _token, key = api_token_create(user=admin_user, name="import merge tests")

    def call(method, url, data):
        response = getattr(client, method)(
            url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
        )
        assert response.status_code in (200, 201), response.content
        return response.json()

    return call


def _admin_change(client, obj, **changes):
    """Save ``obj``'s admin change form with ``changes``, as the secretariat would."""
    from tests.admin_forms import admin_url, form_data

    url = admin_url(obj, "change")
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


def _page(tmp_path, path, *replacements):
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    newer = tmp_path / path.name
    newer.write_text(text, encoding="utf-8")
    return newer


def _edit_like_the_secretariat(api, admin_client):
    """The issue's reproduction: edits through the API and the admin, then (by the caller) a
    re-import of the unchanged pages."""
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    jwg62 = Group.objects.get(reference="ISO/CASCO/JWG 62")
    api(
        "patch",
        f"/api/v1/groups/{jwg62.pk}/",
        {"title": "JWG 62 retitled by the secretariat", "partner_committees": ["ISO/TC 85", "ISO/TC 176"]},
    )
    api("patch", f"/api/v1/committees/{casco.pk}/", {"title": "CASCO, as the secretariat writes it"})
    liaison = CommitteeLiaison.objects.get(committee=casco, liaison_committee__reference="ISO/TC 323")
    api("patch", f"/api/v1/committee-liaisons/{liaison.pk}/", {"direction": "both"})
    iaf = Organization.objects.get(acronym="IAF")
    api("patch", f"/api/v1/organizations/{iaf.pk}/", {"name": "IAF, renamed by hand"})
    iaf_liaison = OrganizationLiaison.objects.get(organization=iaf, committee=casco)
    api("patch", f"/api/v1/organization-liaisons/{iaf_liaison.pk}/", {"category": "C"})
    jsg = Group.objects.get(reference="ISO/CASCO/IAF/ILAC JSG")
    api("patch", f"/api/v1/groups/{jsg.pk}/", {"partner_organizations": ["IAF", "ILAC", "EOQ"]})

    _admin_change(admin_client, Group.objects.get(reference="ISO/CASCO/CPC"), description="CPC, described by hand")
    plenary = Meeting.objects.get(kind="plenary")
    _admin_change(admin_client, plenary, country="Kenya (Nairobi)", description="Described by hand")
    response = admin_client.post(
        "/admin/committees/termofreference/add/", {"committee": casco.pk, "position": 4, "text": "A fourth term"}
    )
    assert response.status_code == 302


def _assert_every_edit_kept():
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    assert casco.title == "CASCO, as the secretariat writes it"
    jwg62 = Group.objects.get(reference="ISO/CASCO/JWG 62")
    assert jwg62.title == "JWG 62 retitled by the secretariat"
    assert sorted(jwg62.partner_committees.values_list("reference", flat=True)) == ["ISO/TC 176", "ISO/TC 85"]
    jsg = Group.objects.get(reference="ISO/CASCO/IAF/ILAC JSG")
    assert sorted(jsg.partner_organizations.values_list("acronym", flat=True)) == ["EOQ", "IAF", "ILAC"]
    assert CommitteeLiaison.objects.get(liaison_committee__reference="ISO/TC 323").direction == "both"
    assert Organization.objects.get(acronym="IAF").name == "IAF, renamed by hand"
    assert OrganizationLiaison.objects.get(organization__acronym="IAF").category == "C"
    assert Group.objects.get(reference="ISO/CASCO/CPC").description == "CPC, described by hand"
    plenary = Meeting.objects.get(kind="plenary")
    assert (plenary.country, plenary.description) == ("Kenya (Nairobi)", "Described by hand")
    assert list(casco.terms_of_reference.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert casco.terms_of_reference.get(position=4).text == "A fourth term"


def test_reimport_by_command_keeps_every_edit_and_hand_added_rows(casco_data, api, admin_client, capsys):
    _edit_like_the_secretariat(api, admin_client)
    call_command("import_casco_pages")
    out = capsys.readouterr().out
    _assert_every_edit_kept()
    assert "Nothing changed" in out
    assert "In all: 0 created, 0 updated, 0 removed" in out
    assert "kept (edited by hand): committee ISO/CASCO" in out
    assert "the page still says “ISO committee for conformity assessment (CASCO)”" in out
    assert "0 no longer on the page" in out
    assert not [line for line in out.splitlines() if line.startswith(("  removed", "  no longer"))]


def test_reimport_from_the_admin_keeps_every_edit(casco_data, api, admin_client):
    _edit_like_the_secretariat(api, admin_client)
    preview = admin_client.post("/admin/committees/sourcepage/import/", {"action": "rerun"})
    assert "kept (edited by hand): group ISO/CASCO/JWG 62" in preview.content.decode()
    _assert_every_edit_kept()
    applied = admin_client.post("/admin/committees/sourcepage/import/", {"action": "rerun", "confirm": "apply"})
    assert applied.status_code == 200
    assert "Nothing changed" in applied.content.decode()
    _assert_every_edit_kept()


def test_page_changes_apply_where_nobody_edited_and_conflicts_keep_the_secretariats_value(casco_data, tmp_path):
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    casco.observing_members = 50  # the secretariat corrects a count
    casco.save()
    newer = _page(
        tmp_path,
        COMMITTEE_FILE,
        ("95\nParticipating members\n49\nObserving members", "96\nParticipating members\n51\nObserving members"),
        (
            "ISO/TC 334 Reference materials ISO\n\n\xa0\n\nLiaison",
            "ISO/TC 334 Reference materials ISO\nISO/TC 999 New things ISO\n\n\xa0\n\nLiaison",
        ),
    )
    report = source_pages_import(paths=[newer])
    casco.refresh_from_db()
    assert casco.participating_members == 96  # only the page changed it
    assert casco.observing_members == 50  # both changed it: the secretariat's value
    assert any(
        "observing (O) members: kept the secretariat's “50”; the page changed “49” → “51”" in line
        for line in report.conflicts
    )
    assert CommitteeLiaison.objects.get(liaison_committee__reference="ISO/TC 999").direction == "incoming"
    assert "created: committee ISO/TC 999 New things" in report.changes


def test_a_partner_the_secretariat_removed_stays_removed(casco_data):
    jsg = Group.objects.get(reference="ISO/CASCO/IAF/ILAC JSG")
    jsg.partner_organizations.remove(Organization.objects.get(acronym="ILAC"))
    report = source_pages_import()
    assert list(jsg.partner_organizations.values_list("acronym", flat=True)) == ["IAF"]
    assert any(line.startswith("kept (removed by hand): group ISO/CASCO/IAF/ILAC JSG") for line in report.kept)


def test_a_record_deleted_by_hand_is_not_recreated(casco_data):
    CommitteeLiaison.objects.get(liaison_committee__reference="ISO/TC 323").delete()
    report = source_pages_import()
    assert not report.changed
    assert not CommitteeLiaison.objects.filter(liaison_committee__reference="ISO/TC 323").exists()
    assert any(
        "not re-created (deleted by hand): committee liaison ISO/CASCO ISO/TC 323" in line for line in report.kept
    )


def test_dry_run_shows_what_it_would_do_and_changes_nothing(casco_data, tmp_path, capsys):
    group = Group.objects.get(reference="ISO/CASCO/WG 31")
    group.title = "Edited by hand"
    group.save()
    before = comparable(dump_portal_data())
    history = Group.history.count()
    newer = _page(
        tmp_path,
        COMMITTEE_FILE,
        ("bodies operating certification of persons", "bodies certifying persons"),
        ("ISO/TC 323 Circular economy ISO\n", ""),
    )
    call_command("import_casco_pages", str(newer), str(ANNOUNCEMENT_FILE), "--dry-run")
    out = capsys.readouterr().out
    assert "Preview: nothing was changed" in out
    assert "updated: group ISO/CASCO/WG 30" in out and "bodies operating certification of persons" in out
    assert "→ “Conformity assessment - General requirements for bodies certifying persons”" in out
    assert "kept (edited by hand): group ISO/CASCO/WG 31" in out
    assert "no longer on the page: committee liaison ISO/CASCO ↔ ISO/TC 323" in out
    assert comparable(dump_portal_data()) == before
    assert Group.history.count() == history

    call_command("import_casco_pages", str(newer), str(ANNOUNCEMENT_FILE))
    out = capsys.readouterr().out
    assert "Preview" not in out and "groups: 1 updated, 16 unchanged" in out
    assert Group.objects.get(reference="ISO/CASCO/WG 31").title == "Edited by hand"


def test_loading_the_fixture_stores_the_merge_base(casco_data):
    assert ImportSnapshot.objects.filter(model="committees.group").count() == 17 + 2  # +2: announcement's descriptions
    assert not source_texts_import(pages=[(p.name, p.read_bytes()) for p in default_source_paths()]).changed


def test_a_term_the_page_drops_is_kept_until_confirmed_and_a_hand_added_one_never_goes(casco_data, tmp_path):
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    TermOfReferenceFactory(committee=casco, position=4, text="Added by hand")
    text = COMMITTEE_FILE.read_text(encoding="utf-8")
    third = text.index("  • To promote mutual recognition")
    newer = tmp_path / COMMITTEE_FILE.name
    newer.write_text(text[:third] + text[text.index("\n", third) + 1 :], encoding="utf-8")
    report = source_pages_import(paths=[newer], remove_missing=True)
    assert [line for line in report.changes if line.startswith("removed")] == [
        "removed: term of reference ISO/CASCO ToR 3 (no longer on the page)"
    ]
    assert list(casco.terms_of_reference.values_list("position", "text")) == [
        (1, casco.terms_of_reference.get(position=1).text),
        (2, casco.terms_of_reference.get(position=2).text),
        (4, "Added by hand"),
    ]
