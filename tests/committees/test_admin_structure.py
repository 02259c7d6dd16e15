"""The admin refuses impossible committee structures with a form error on the field (the model's
validation, tests/committees/test_structure.py), never a 500, and saves nothing."""

import pytest

from committees.models import Committee
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)
from tests.admin_forms import admin_add, admin_edit, errors_of


def refused(response, field, text):
    errors = errors_of(response)
    assert field in errors, errors
    assert text in " ".join(errors[field]), errors[field]


@pytest.fixture
def tc999_and_998(secretariat_client, casco_data):
    for reference in ("ISO/TC 999", "ISO/TC 998"):
        response = admin_add(
            secretariat_client, Committee, reference=reference, title="Test", body="ISO", kind="technical_committee"
        )
        assert response.status_code == 302, errors_of(response)
    return Committee.objects.get(reference="ISO/TC 999"), Committee.objects.get(reference="ISO/TC 998")


def test_a_parent_cycle_is_refused(secretariat_client, tc999_and_998):
    tc999, tc998 = tc999_and_998
    refused(admin_edit(secretariat_client, tc998, parent=str(tc999.pk)), "parent", "Only a subcommittee")
    refused(admin_edit(secretariat_client, tc999, parent=str(tc998.pk)), "parent", "Only a subcommittee")
    assert not Committee.objects.filter(pk__in=[tc999.pk, tc998.pk], parent__isnull=False).exists()


def test_a_subcommittee_cannot_move_under_casco(secretariat_client, casco):
    sc = Committee.objects.get(reference="ISO/TC 176/SC 2")
    refused(admin_edit(secretariat_client, sc, parent=str(casco.pk)), "parent", "“ISO/CASCO” is a policy committee")
    response = admin_edit(secretariat_client, sc, parent=str(casco.pk), kind="joint_technical_committee")
    refused(response, "kind", "is a subcommittee, by its reference")
    assert Committee.objects.get(pk=sc.pk).parent.reference == "ISO/TC 176"


def test_a_committee_with_subcommittees_keeps_its_kind(secretariat_client, casco_data):
    tc = Committee.objects.get(reference="ISO/TC 207")
    refused(admin_edit(secretariat_client, tc, kind="project_committee"), "kind", "is a technical committee")
