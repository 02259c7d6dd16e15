"""Each admin record links to its public page ("view on site"); the secretariat edits wholes
through inlines: a committee with its groups and terms of reference, a group with its partners
and standards, a meeting with its participating groups."""

import pytest
from django.contrib import admin

from committees.models import Group, GroupStandard, SourcePage, Standard
from core.registry import portal_models
from liaisons.models import CommitteeLiaison, Organization
from meetings.models import Meeting, MeetingGroup
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)
from tests.admin_forms import admin_url, assert_saved, form_data

# The portal's models with a public page, edited in the admin.
MODELS = [
    model
    for model in portal_models()
    if admin.site.is_registered(model)
    and hasattr(model, "get_absolute_url")
    and model not in (SourcePage, MeetingGroup)
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_view_on_site_leads_to_the_public_page(secretariat_client, casco_data, model):
    obj = model.objects.first()
    response = secretariat_client.get(admin_url(obj))
    link = response.context.get("absolute_url")
    assert response.context["has_absolute_url"] and link
    assert link in response.content.decode()
    redirect = secretariat_client.get(link)
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(obj.get_absolute_url())
    assert secretariat_client.get(obj.get_absolute_url()).status_code == 200


def test_committee_page_has_its_groups_and_terms(secretariat_client, casco):
    response = secretariat_client.get(admin_url(casco))
    prefixes = {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert len(prefixes["groups"].forms) == casco.groups.count() == 15
    assert len(prefixes["terms_of_reference"].forms) == 3
    text = response.content.decode()
    assert "ISO/CASCO/WG 30" in text and casco.terms_of_reference.first().text[:40] in text


def test_add_a_group_from_its_committee(secretariat_client, casco):
    url = admin_url(casco)
    data = form_data(secretariat_client.get(url))
    index = int(data["groups-TOTAL_FORMS"])
    data.update(
        {
            "groups-TOTAL_FORMS": str(index + 1),
            f"groups-{index}-reference": "ISO/CASCO/WG 70",
            f"groups-{index}-title": "A new working group",
            f"groups-{index}-kind": "working_group",
            f"groups-{index}-committee": str(casco.pk),
        }
    )
    assert_saved(secretariat_client.post(url, data))
    group = Group.objects.get(reference="ISO/CASCO/WG 70")
    assert group.committee == casco and group.slug == "iso-casco-wg-70"
    assert "A new working group" in secretariat_client.get(group.get_absolute_url()).content.decode()


def test_group_page_has_partners_standards_and_participants(secretariat_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/JWG 58")
    response = secretariat_client.get(admin_url(group))
    prefixes = {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert len(prefixes["Group_partner_committees"].forms) == group.partner_committees.count() >= 1
    assert len(prefixes["group_standards"].forms) == group.group_standards.count() >= 1
    assert "participations" in prefixes and "Group_partner_organizations" in prefixes


def test_add_a_standard_and_a_partner_organization_to_a_group(secretariat_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 31")
    standard = Standard.objects.get(reference="ISO/IEC 17007")
    iaf = Organization.objects.get(acronym="IAF")
    url = admin_url(group)
    data = form_data(secretariat_client.get(url))
    n = int(data["group_standards-TOTAL_FORMS"])
    data.update(
        {
            "group_standards-TOTAL_FORMS": str(n + 1),
            f"group_standards-{n}-standard": str(standard.pk),
            f"group_standards-{n}-work": "revision",
            f"group_standards-{n}-group": str(group.pk),
            "Group_partner_organizations-TOTAL_FORMS": "1",
            "Group_partner_organizations-0-organization": str(iaf.pk),
            "Group_partner_organizations-0-group": str(group.pk),
        }
    )
    assert_saved(secretariat_client.post(url, data))
    assert GroupStandard.objects.get(group=group, standard=standard).work == "revision"
    assert list(group.partner_organizations.all()) == [iaf]


def test_meeting_with_its_groups(secretariat_client, casco_data):
    meeting = Meeting.objects.get(slug="2019-iso-casco-plenary")
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    url = admin_url(meeting)
    data = form_data(secretariat_client.get(url))
    data.update(
        {
            "meeting_groups-TOTAL_FORMS": "1",
            "meeting_groups-0-group": str(group.pk),
            "meeting_groups-0-meeting": str(meeting.pk),
        }
    )
    assert_saved(secretariat_client.post(url, data))
    assert MeetingGroup.objects.filter(meeting=meeting, group=group).exists()
    response = secretariat_client.get(url)
    prefixes = {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert len(prefixes["meeting_groups"].forms) == 1


def test_liaison_form_spells_out_the_direction(secretariat_client, casco_data):
    liaison = CommitteeLiaison.objects.first()
    text = secretariat_client.get(admin_url(liaison)).content.decode()
    for wording in (
        "Incoming — Can access CASCO&#x27;s documents",
        "Outgoing — CASCO can access theirs",
        "Both — Both directions",
    ):
        assert wording in text
    assert 'type="radio"' in text


def test_liaison_changelist_filters_as_the_pages_count(secretariat_client, casco_data):
    url = admin_url(CommitteeLiaison, "changelist")
    counts = {}
    for direction in ("incoming", "outgoing", "both"):
        response = secretariat_client.get(f"{url}?shared={direction}")
        counts[direction] = response.context["cl"].result_count
    assert counts == {"incoming": 42, "outgoing": 27, "both": 21}
