"""The secretariat edits each kind of record in admin and sees the change at once on the public
page (the record's get_absolute_url) and in the API (/api/v1/…)."""

import re

import pytest
from django.test import Client

from committees.models import CASCO_REFERENCE, Committee, Group, Standard
from liaisons.models import CommitteeLiaison, Direction, Organization, OrganizationLiaison
from meetings.models import Meeting
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)
from tests.admin_forms import admin_add, admin_edit, assert_saved


def _public(client, obj, text):
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 200
    assert text in response.content.decode()


def _api(client, path, text):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, path
    assert text in response.content.decode(), path


def _listed(client, path, reference):
    """Whether the public list page shows ``reference`` as the text of a link or cell."""
    response = client.get(path)
    assert response.status_code == 200
    return re.search(rf">\s*{re.escape(reference)}\s*<", response.content.decode()) is not None


@pytest.fixture
def anonymous(db):
    return Client()


def test_edit_group_title(secretariat_client, anonymous, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    assert_saved(admin_edit(secretariat_client, group, title="Certification of persons — revised title"))
    group.refresh_from_db()
    assert group.title == "Certification of persons — revised title"
    _public(anonymous, group, "Certification of persons — revised title")
    _api(anonymous, f"/api/v1/groups/{group.slug}/", "Certification of persons — revised title")


def test_edit_committee_title_and_counts(secretariat_client, anonymous, casco_data):
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    assert_saved(
        admin_edit(
            secretariat_client, casco, title="Committee on conformity assessment (edited)", participating_members="99"
        )
    )
    casco.refresh_from_db()
    assert (casco.title, casco.participating_members) == ("Committee on conformity assessment (edited)", 99)
    _public(anonymous, casco, "Committee on conformity assessment (edited)")
    _api(anonymous, f"/api/v1/committees/{casco.slug}/", "Committee on conformity assessment (edited)")


def test_edit_standard_title(secretariat_client, anonymous, casco_data):
    standard = Standard.objects.get(reference="ISO/TS 23406")
    assert_saved(admin_edit(secretariat_client, standard, title="A title the secretariat added"))
    _public(anonymous, standard, "A title the secretariat added")
    _api(anonymous, f"/api/v1/standards/{standard.slug}/", "A title the secretariat added")


def test_edit_organization_name(secretariat_client, anonymous, casco_data):
    organization = Organization.objects.get(acronym="IAF")
    assert_saved(admin_edit(secretariat_client, organization, name="International Accreditation Forum (edited)"))
    _public(anonymous, organization, "International Accreditation Forum (edited)")
    _api(anonymous, f"/api/v1/organizations/{organization.slug}/", "International Accreditation Forum (edited)")


def test_edit_meeting_title(secretariat_client, anonymous, casco_data):
    meeting = Meeting.objects.get(slug="2019-iso-casco-plenary")
    assert_saved(admin_edit(secretariat_client, meeting, title="2019 ISO/CASCO Plenary in Nairobi"))
    _public(anonymous, meeting, "2019 ISO/CASCO Plenary in Nairobi")
    _api(anonymous, f"/api/v1/meetings/{meeting.slug}/", "2019 ISO/CASCO Plenary in Nairobi")


def test_add_committee_and_liaison(secretariat_client, anonymous, casco_data):
    assert_saved(
        admin_add(
            secretariat_client,
            Committee,
            reference="ISO/TC 999",
            title="Testing liaisons",
            body="ISO",
            kind="technical_committee",
        )
    )
    new = Committee.objects.get(reference="ISO/TC 999")
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    assert_saved(
        admin_add(
            secretariat_client,
            CommitteeLiaison,
            committee=casco.pk,
            liaison_committee=new.pk,
            direction=Direction.BOTH,
        )
    )
    liaison = CommitteeLiaison.objects.get(committee=casco, liaison_committee=new)
    assert liaison.direction == Direction.BOTH
    assert CommitteeLiaison.objects.incoming().count() == 43
    assert CommitteeLiaison.objects.outgoing().count() == 28
    _public(anonymous, new, "Testing liaisons")
    assert _listed(anonymous, "/liaisons/?direction=both", "ISO/TC 999")
    _api(anonymous, "/api/v1/committee-liaisons/?direction=both&page_size=100", '"ISO/TC 999"')


def test_change_liaison_direction(secretariat_client, anonymous, casco_data):
    liaison = CommitteeLiaison.objects.filter(direction=Direction.INCOMING).select_related("liaison_committee").first()
    assert_saved(admin_edit(secretariat_client, liaison, direction=Direction.OUTGOING))
    liaison.refresh_from_db()
    assert liaison.direction == Direction.OUTGOING
    assert CommitteeLiaison.objects.incoming().count() == 41
    assert CommitteeLiaison.objects.outgoing().count() == 28
    reference = liaison.liaison_committee.reference
    assert _listed(anonymous, "/liaisons/?direction=outgoing", reference)
    assert not _listed(anonymous, "/liaisons/?direction=incoming", reference)
    _api(anonymous, "/api/v1/committee-liaisons/?direction=outgoing&page_size=100", f'"{reference}"')
    response = anonymous.get("/api/v1/committee-liaisons/?direction=incoming&page_size=100")
    assert response.status_code == 200
    assert f'"{reference}"' not in response.content.decode()


def test_change_organization_liaison_category(secretariat_client, anonymous, casco_data):
    liaison = OrganizationLiaison.objects.filter(category="A").select_related("organization").first()
    assert_saved(admin_edit(secretariat_client, liaison, category="B"))
    liaison.refresh_from_db()
    assert liaison.category == "B"
    assert OrganizationLiaison.objects.of_category("B").count() == 1
    _api(anonymous, "/api/v1/organizations/?category=B", liaison.organization.acronym)


def test_delete_a_group(secretariat_client, anonymous, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 65")
    url = f"/admin/committees/group/{group.pk}/delete/"
    # It works on standards (links of their own): refused without the cascade, named on the page.
    refused = secretariat_client.post(url, {"post": "yes"})
    assert refused.status_code == 200 and "is not deleted: other records refer to it" in refused.content.decode()
    assert Group.objects.filter(pk=group.pk).exists()
    assert secretariat_client.post(f"{url}?cascade=1", {"post": "yes"}).status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
    assert anonymous.get(group.get_absolute_url()).status_code == 404
    assert anonymous.get(f"/api/v1/groups/{group.slug}/").status_code == 404
    last = Group.history.filter(id=group.pk).latest("history_date")
    assert (last.history_type, last.history_user.username) == ("-", "sec")
