"""Committee, group and standard models: invariants held by the database itself (so no path —
admin, API, shell — can store a broken record) and mirrored in validation with clear messages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import Committee, Group
from tests.factories import (
    CommitteeFactory,
    GroupFactory,
    GroupStandardFactory,
    StandardFactory,
    TermOfReferenceFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused_by_database(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


@pytest.mark.parametrize("reference", ["TC 1", "ISO/TC1", "iso/tc 1", "ISO/TC 1/", "ISO/WG 5", "", "ISO/IEC/TC 1"])
def test_database_refuses_bad_committee_references(reference):
    # The body and kind of a technical committee: the factory would derive them from the reference.
    assert_refused_by_database(lambda: CommitteeFactory(reference=reference, body="ISO", kind="technical_committee"))


@pytest.mark.parametrize(
    "field", ["participating_members", "observing_members", "published_standards", "standards_under_development"]
)
def test_database_refuses_negative_counts(field):
    assert_refused_by_database(lambda: CommitteeFactory(**{field: -1}))


def test_database_refuses_unknown_body_and_kind():
    assert_refused_by_database(lambda: CommitteeFactory(body="DIN"))
    assert_refused_by_database(lambda: CommitteeFactory(kind="club"))


def test_database_refuses_duplicate_references():
    CommitteeFactory(reference="ISO/TC 1")
    assert_refused_by_database(lambda: CommitteeFactory(reference="ISO/TC 1"))


def test_validation_explains_what_is_wrong():
    committee = Committee(reference="ISO/TC1", body="IEC", kind="technical_committee", participating_members=-3)
    with pytest.raises(ValidationError) as caught:
        committee.full_clean()
    errors = caught.value.message_dict
    assert "ISO/TC 207" in errors["reference"][0]
    assert "participating_members" in errors


def test_validation_refuses_a_body_that_does_not_match_the_reference():
    with pytest.raises(ValidationError) as caught:
        Committee(reference="ISO/TC 5", body="IEC", kind="technical_committee").full_clean()
    assert "does not belong to IEC" in caught.value.message_dict["body"][0]
    Committee(reference="ISO/IEC JTC 1/SC 7", body="ISO/IEC", kind="subcommittee").full_clean()


def test_slug_sort_key_and_url():
    committee = CommitteeFactory(reference="ISO/TC 207", title="")
    assert committee.slug == "iso-tc-207"
    assert committee.get_absolute_url() == "/committees/iso-tc-207/"
    assert str(committee) == "ISO/TC 207"


def test_natural_ordering():
    for reference in ["ISO/TC 207", "ISO/TC 34", "ISO/TC 176"]:
        CommitteeFactory(reference=reference)
    assert list(Committee.objects.values_list("reference", flat=True)) == ["ISO/TC 34", "ISO/TC 176", "ISO/TC 207"]


def test_group_reference_must_be_under_its_committee():
    tc = CommitteeFactory(reference="ISO/TC 1")
    group = Group(reference="ISO/TC 2/WG 1", title="x", kind="working_group", committee=tc)
    with pytest.raises(ValidationError) as caught:
        group.full_clean()
    assert "ISO/TC 1/" in caught.value.message_dict["reference"][0]


def test_group_constraints():
    tc = CommitteeFactory(reference="ISO/TC 1")
    GroupFactory(reference="ISO/TC 1/WG 1", committee=tc)
    assert_refused_by_database(lambda: GroupFactory(reference="ISO/TC 1/WG 1", committee=tc))
    assert_refused_by_database(lambda: GroupFactory(reference="ISO/TC 1/WG 2", kind="club", committee=tc))
    assert_refused_by_database(lambda: GroupFactory(reference="not a reference", committee=tc))


def test_slug_clash_is_a_validation_error_not_a_crash():
    tc = CommitteeFactory(reference="ISO/TC 1")
    GroupFactory(reference="ISO/TC 1/WG 1", committee=tc)
    twin = Group(reference="ISO/TC 1/WG 1", title="y", kind="working_group", committee=tc)
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "reference" in caught.value.message_dict


def test_terms_of_reference_are_ordered_and_unique_per_position():
    tc = CommitteeFactory()
    TermOfReferenceFactory(committee=tc, position=2, text="second")
    TermOfReferenceFactory(committee=tc, position=1, text="first")
    assert [t.text for t in tc.terms_of_reference.all()] == ["first", "second"]
    assert_refused_by_database(lambda: TermOfReferenceFactory(committee=tc, position=1))
    assert_refused_by_database(lambda: TermOfReferenceFactory(committee=tc, position=0))


def test_standards():
    assert_refused_by_database(lambda: StandardFactory(reference="17025"))
    standard = StandardFactory(reference="ISO/IEC 17021-15")
    assert standard.slug == "iso-iec-17021-15"
    group = GroupFactory()
    GroupStandardFactory(group=group, standard=standard, work="development")
    assert_refused_by_database(lambda: GroupStandardFactory(group=group, standard=standard))
    assert_refused_by_database(lambda: GroupStandardFactory(group=group, work="x"))


def test_real_data_natural_group_order(casco_data):
    references = list(Group.objects.filter(reference__contains="/WG ").values_list("reference", flat=True))
    assert references == [
        "ISO/CASCO/WG 30",
        "ISO/CASCO/WG 31",
        "ISO/CASCO/WG 61",
        "ISO/CASCO/WG 64",
        "ISO/CASCO/WG 65",
    ]


def test_history_is_kept(casco_data):
    wg = Group.objects.get(reference="ISO/CASCO/WG 30")
    wg.title = "New title"
    wg.save()
    assert wg.history.first().title == "New title"
