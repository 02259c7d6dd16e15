"""Structure rules of committees, held by validation (so the admin, the API and the importer
refuse alike) and, where one row shows them, by the database: no parent cycle, a subcommittee's
parent is the technical committee or JTC of the same body its reference names, and a committee's
kind agrees with its reference. Issue 17 reproduced ISO/TC 999 ↔ ISO/TC 998 and a subcommittee
re-parented under ISO/CASCO."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import Committee
from core.references import committee_kind_of, committee_kinds_for
from core.registry import portal_models
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def refused(committee, field, text):
    with pytest.raises(ValidationError) as caught:
        committee.full_clean()
    errors = caught.value.message_dict
    assert field in errors, errors
    assert text in " ".join(errors[field]), errors[field]


def refused_by_database(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_two_committees_cannot_be_each_others_parent():
    tc999, tc998 = CommitteeFactory(reference="ISO/TC 999"), CommitteeFactory(reference="ISO/TC 998")
    tc998.parent = tc999
    refused(tc998, "parent", "Only a subcommittee has a parent")
    refused_by_database(lambda: Committee.objects.filter(pk=tc998.pk).update(parent=tc999))
    tc999.parent = tc998
    refused(tc999, "parent", "Only a subcommittee has a parent")


def test_a_committee_cannot_be_its_own_parent():
    tc = CommitteeFactory(reference="ISO/TC 999")
    tc.parent = tc
    refused(tc, "parent", "own parent")


@pytest.mark.parametrize("length", [2, 3, 4])
def test_a_longer_cycle_is_named(length):
    """Subcommittees chained by a write that bypassed validation: closing the loop is refused,
    naming the cycle."""
    tc = CommitteeFactory(reference="ISO/TC 1")
    chain = [CommitteeFactory(reference=f"ISO/TC 1/SC {n}", parent=tc) for n in range(1, length + 1)]
    for child, parent in zip(chain[1:], chain[:-1], strict=True):
        Committee.objects.filter(pk=child.pk).update(parent=parent)
    first = Committee.objects.get(pk=chain[0].pk)
    first.parent = Committee.objects.get(pk=chain[-1].pk)
    upwards = [chain[0], *reversed(chain[1:]), chain[0]]  # each committee, then its parent
    refused(first, "parent", "cycle: " + " → ".join(c.reference for c in upwards))


def test_a_subcommittee_cannot_move_under_a_policy_committee():
    casco, tc = CommitteeFactory(reference="ISO/CASCO"), CommitteeFactory(reference="ISO/TC 176")
    sc = CommitteeFactory(reference="ISO/TC 176/SC 2", parent=tc)
    sc.parent = casco
    refused(sc, "parent", "technical committee or joint technical committee; “ISO/CASCO” is a policy committee")


def test_a_subcommittee_cannot_become_a_joint_technical_committee_under_casco():
    casco, tc = CommitteeFactory(reference="ISO/CASCO"), CommitteeFactory(reference="ISO/TC 176")
    sc = CommitteeFactory(reference="ISO/TC 176/SC 2", parent=tc)
    sc.kind, sc.parent = "joint_technical_committee", casco
    refused(sc, "kind", "is a subcommittee, by its reference")
    refused(sc, "parent", "Only a subcommittee has a parent")
    refused_by_database(lambda: Committee.objects.filter(pk=sc.pk).update(kind="joint_technical_committee"))


def test_a_subcommittees_parent_is_of_the_same_body():
    iec_tc = CommitteeFactory(reference="IEC/TC 1")
    sc = Committee(reference="ISO/TC 1/SC 1", body="ISO", kind="subcommittee", parent=iec_tc)
    refused(sc, "parent", "same body (ISO)")


def test_a_subcommittees_parent_is_the_one_its_reference_names():
    CommitteeFactory(reference="ISO/TC 1")
    other = CommitteeFactory(reference="ISO/TC 2")
    sc = Committee(reference="ISO/TC 1/SC 1", body="ISO", kind="subcommittee", parent=other)
    refused(sc, "parent", "The parent of “ISO/TC 1/SC 1” is “ISO/TC 1”")


def test_a_subcommittee_of_a_jtc():
    jtc = CommitteeFactory(reference="ISO/IEC JTC 1")
    sc = Committee(reference="ISO/IEC JTC 1/SC 27", body="ISO/IEC", kind="subcommittee", parent=jtc)
    sc.full_clean()


@pytest.mark.parametrize(
    ("reference", "kind", "expected"),
    [
        ("ISO/TC 207/SC 2", "technical_committee", "subcommittee"),
        ("ISO/IEC JTC 1", "technical_committee", "joint technical committee"),
        ("ISO/TC 207", "subcommittee", "technical committee"),
        ("ISO/PC 250", "technical_committee", "project committee"),
        ("ISO/CASCO", "joint_technical_committee", "policy committee or board"),
    ],
)
def test_the_kind_agrees_with_the_reference(reference, kind, expected):
    committee = Committee(reference=reference, body=reference.split(" ")[0].split("/JTC")[0], kind=kind)
    committee.body = "ISO/IEC" if reference.startswith("ISO/IEC ") else "ISO"
    refused(committee, "kind", f"is a {expected}")
    refused_by_database(lambda: CommitteeFactory(reference=reference, body=committee.body, kind=kind))


def test_a_committee_with_subcommittees_keeps_a_kind_and_reference_they_fit():
    tc = CommitteeFactory(reference="ISO/TC 5")
    CommitteeFactory(reference="ISO/TC 5/SC 1", parent=tc)
    tc.reference = "ISO/TC 6"
    refused(tc, "reference", "ISO/TC 5/SC 1")


@pytest.mark.parametrize(
    ("reference", "kinds"),
    [
        ("ISO/TC 207/SC 2", ("subcommittee",)),
        ("ISO/IEC JTC 1/SC 27", ("subcommittee",)),
        ("ISO/IEC JTC 1", ("joint_technical_committee",)),
        ("ISO/TC 207", ("technical_committee",)),
        ("ISO/PC 250", ("project_committee",)),
        ("ISO/CASCO", ("policy_committee", "board")),
        ("IEC/CAB", ("policy_committee", "board")),
    ],
)
def test_committee_kinds_for(reference, kinds):
    assert committee_kinds_for(reference) == kinds
    assert committee_kind_of(reference) in kinds


def test_every_record_of_the_real_data_validates(casco_data):
    """The committed fixture passes every model's full_clean()."""
    checked = 0
    for model in portal_models():
        for record in model._default_manager.all():
            record.full_clean()
            checked += 1
    assert checked > 190
