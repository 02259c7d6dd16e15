"""The admin refuses what the database and the API refuse, with a form error on the page (never a
500) and nothing saved."""

import pytest

from committees.models import Committee, Group, GroupStandard, Standard
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)
from tests.admin_forms import admin_add, admin_edit, admin_url, errors_of, form_data

NEW_COMMITTEE = {"reference": "ISO/TC 998", "title": "Test", "body": "ISO", "kind": "technical_committee"}


def _refused(response, key, text=""):
    errors = errors_of(response)
    assert key in errors, errors
    assert text in " ".join(errors[key]), errors[key]
    return errors


@pytest.mark.parametrize(
    "reference", ["TC 207", "ISO/TC207", "ISO/TC 207/", "iso/tc 207", "ISO/TC 207 ", "ISO/WG 30/TC 1"]
)
def test_committee_reference_format(secretariat_client, casco_data, reference):
    count = Committee.objects.count()
    response = admin_add(secretariat_client, Committee, **{**NEW_COMMITTEE, "reference": reference})
    if reference.strip() != reference:  # forms strip spaces: "ISO/TC 207 " is then a duplicate
        _refused(response, "reference", "already exists")
    else:
        _refused(response, "reference", "Enter a committee reference")
    assert Committee.objects.count() == count


def test_duplicate_committee_reference(secretariat_client, casco_data):
    _refused(
        admin_add(secretariat_client, Committee, **{**NEW_COMMITTEE, "reference": "ISO/TC 207"}),
        "reference",
        "already exists",
    )


def test_negative_counts(secretariat_client, casco):
    response = admin_edit(secretariat_client, casco, participating_members="-1", published_standards="-5")
    errors = _refused(response, "participating_members", "greater than or equal to 0")
    assert "published_standards" in errors
    casco.refresh_from_db()
    assert casco.participating_members >= 0


def test_body_must_match_the_reference(secretariat_client, casco_data):
    _refused(
        admin_add(secretariat_client, Committee, **{**NEW_COMMITTEE, "body": "IEC"}), "body", "does not belong to IEC"
    )


def test_unknown_body_or_kind(secretariat_client, casco_data):
    response = admin_add(secretariat_client, Committee, **{**NEW_COMMITTEE, "body": "CEN", "kind": "club"})
    errors = _refused(response, "body", "Select a valid choice")
    assert "kind" in errors


def test_committee_cannot_be_its_own_parent(secretariat_client, casco):
    _refused(admin_edit(secretariat_client, casco, parent=str(casco.pk)), "parent", "own parent")


def test_group_reference_format(secretariat_client, casco):
    response = admin_add(
        secretariat_client, Group, reference="CASCO WG 99", title="x", kind="working_group", committee=str(casco.pk)
    )
    _refused(response, "reference", "Enter a group reference")


def test_group_reference_must_be_under_its_committee(secretariat_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    other = Committee.objects.get(reference="ISO/TC 207")
    _refused(admin_edit(secretariat_client, group, committee=str(other.pk)), "reference", "starting “ISO/TC 207/”")
    group.refresh_from_db()
    assert group.committee.reference == "ISO/CASCO"


def test_group_slug_clash(secretariat_client, casco):
    response = admin_add(
        secretariat_client, Group, reference="ISO/CASCO/wg 30", title="x", kind="working_group", committee=str(casco.pk)
    )
    _refused(response, "reference", "gives the same address as “ISO/CASCO/WG 30”")
    assert not Group.objects.filter(reference="ISO/CASCO/wg 30").exists()


def test_duplicate_group_reference(secretariat_client, casco):
    response = admin_add(
        secretariat_client, Group, reference="ISO/CASCO/WG 30", title="x", kind="working_group", committee=str(casco.pk)
    )
    _refused(response, "reference", "already exists")


def test_group_inline_of_a_new_committee_must_be_under_it(secretariat_client, casco_data):
    url = admin_url(Committee, "add")
    data = form_data(secretariat_client.get(url))
    data.update(NEW_COMMITTEE)
    data.update(
        {
            "groups-TOTAL_FORMS": "1",
            "groups-0-reference": "ISO/TC 997/WG 1",
            "groups-0-title": "Misplaced",
            "groups-0-kind": "working_group",
        }
    )
    _refused(secretariat_client.post(url, data), "groups-0-reference", "starting “ISO/TC 998/”")
    assert not Committee.objects.filter(reference="ISO/TC 998").exists()
    assert not Group.objects.filter(reference="ISO/TC 997/WG 1").exists()


def test_standard_reference_format_and_duplicate(secretariat_client, casco_data):
    _refused(admin_add(secretariat_client, Standard, reference="ISO17021"), "reference", "Enter a standard reference")
    _refused(admin_add(secretariat_client, Standard, reference="ISO/TS 17012"), "reference", "already exists")


def test_same_standard_twice_in_a_group(secretariat_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    standard = Standard.objects.get(reference="ISO/TS 17012")
    url = admin_url(group)
    data = form_data(secretariat_client.get(url))
    total = int(data["group_standards-TOTAL_FORMS"])
    for index in (total, total + 1):
        data[f"group_standards-{index}-standard"] = str(standard.pk)
        data[f"group_standards-{index}-work"] = "work"
        data[f"group_standards-{index}-group"] = str(group.pk)
    data["group_standards-TOTAL_FORMS"] = str(total + 2)
    errors = errors_of(secretariat_client.post(url, data))
    assert any("duplicate" in " ".join(messages).lower() for messages in errors.values()), errors
    assert not GroupStandard.objects.filter(group=group, standard=standard).exists()


def test_duplicate_committee_liaison(secretariat_client, casco_data):
    liaison = CommitteeLiaison.objects.first()
    count = CommitteeLiaison.objects.count()
    response = admin_add(
        secretariat_client,
        CommitteeLiaison,
        committee=str(liaison.committee_id),
        liaison_committee=str(liaison.liaison_committee_id),
        direction="both",
    )
    _refused(response, "__all__", "already exists")
    assert CommitteeLiaison.objects.count() == count


def test_liaison_with_itself_and_unknown_direction(secretariat_client, casco):
    response = admin_add(
        secretariat_client, CommitteeLiaison, committee=str(casco.pk), liaison_committee=str(casco.pk), direction="both"
    )
    _refused(response, "liaison_committee", "cannot be in liaison with itself")
    response = admin_add(
        secretariat_client,
        CommitteeLiaison,
        committee=str(casco.pk),
        liaison_committee=str(Committee.objects.exclude(pk=casco.pk).first().pk),
        direction="sideways",
    )
    _refused(response, "direction", "Select a valid choice")


def test_unknown_category(secretariat_client, casco_data):
    liaison = OrganizationLiaison.objects.first()
    _refused(admin_edit(secretariat_client, liaison, category="D"), "category", "Select a valid choice")
    liaison.refresh_from_db()
    assert liaison.category in ("A", "B", "C")


def test_duplicate_organization_liaison(secretariat_client, casco_data):
    liaison = OrganizationLiaison.objects.first()
    response = admin_add(
        secretariat_client,
        OrganizationLiaison,
        organization=str(liaison.organization_id),
        committee=str(liaison.committee_id),
        category="C",
    )
    _refused(response, "__all__", "already exists")


def test_organization_acronym_clashes(secretariat_client, casco_data):
    _refused(admin_add(secretariat_client, Organization, acronym="IAF"), "acronym", "already exists")
    _refused(admin_add(secretariat_client, Organization, acronym="iaf"), "acronym", "gives the same address as “IAF”")
    _refused(admin_add(secretariat_client, Organization, acronym="--"), "acronym", "at least one letter or digit")
    assert not Organization.objects.filter(acronym__in=["iaf", "--"]).exists()


def test_meeting_dates_and_year(secretariat_client, casco_data):
    meeting = Meeting.objects.get(slug="2019-iso-casco-plenary")
    response = admin_edit(secretariat_client, meeting, start_date="2019-09-10", end_date="2019-09-01")
    _refused(response, "end_date", "cannot end before it starts")
    response = admin_edit(secretariat_client, meeting, start_date="2020-09-10", end_date="")
    _refused(response, "year", "year the meeting starts")
    _refused(admin_edit(secretariat_client, meeting, year="1900"), "__all__", "meeting_year_range")
    meeting.refresh_from_db()
    assert meeting.start_date is None and meeting.year == 2019


def test_duplicate_meeting_slug(secretariat_client, casco_data):
    response = admin_add(
        secretariat_client, Meeting, title="Another", slug="2019-iso-casco-plenary", kind="meeting", year="2019"
    )
    _refused(response, "slug", "already exists")


def test_term_of_reference_position(secretariat_client, casco):
    url = admin_url(casco)
    data = form_data(secretariat_client.get(url))
    data["terms_of_reference-0-position"] = "2"  # the same position as the second term
    errors = errors_of(secretariat_client.post(url, data))
    assert any("position" in " ".join(m).lower() or "duplicate" in " ".join(m).lower() for m in errors.values()), errors
    assert list(casco.terms_of_reference.values_list("position", flat=True)) == [1, 2, 3]
