"""Liaison models: "both directions" is a question the database answers; categories and
directions are held by constraints."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import Committee
from liaisons.models import (
    CategoryNote,
    CommitteeLiaison,
    Direction,
    GroupParticipation,
    Organization,
    OrganizationLiaison,
)
from tests.factories import CommitteeFactory, OrganizationFactory, OrganizationLiaisonFactory

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_directions_in_the_real_data(casco):
    liaisons = CommitteeLiaison.objects.filter(committee=casco)
    assert liaisons.count() == 48
    assert liaisons.incoming().count() == 42
    assert liaisons.outgoing().count() == 27
    assert liaisons.both().count() == 21
    assert liaisons.with_direction("both").count() == 21
    assert liaisons.filter(direction=Direction.INCOMING).count() == 21  # incoming only
    assert liaisons.filter(direction=Direction.OUTGOING).count() == 6  # outgoing only
    tc85 = liaisons.get(liaison_committee__reference="ISO/TC 85")
    assert (tc85.direction, tc85.can_access_documents, tc85.documents_accessible) == ("both", True, True)
    copolco = liaisons.get(liaison_committee__reference="ISO/COPOLCO")
    assert (copolco.can_access_documents, copolco.documents_accessible) == (True, False)
    tc323 = liaisons.get(liaison_committee__reference="ISO/TC 323")
    assert (tc323.can_access_documents, tc323.documents_accessible) == (False, True)


def test_direction_counts_agree_with_the_direction_filters(casco, django_assert_num_queries):
    liaisons = CommitteeLiaison.objects.filter(committee=casco)
    with django_assert_num_queries(1):
        counts = liaisons.direction_counts()
    assert counts == {"incoming": 42, "outgoing": 27, "both": 21, "total": 48}
    assert counts == {
        "incoming": liaisons.incoming().count(),
        "outgoing": liaisons.outgoing().count(),
        "both": liaisons.both().count(),
        "total": liaisons.count(),
    }
    # A direction nobody has, and no liaison at all, count as zero.
    assert liaisons.exclude(direction=Direction.BOTH).direction_counts() == {
        "incoming": 21,
        "outgoing": 6,
        "both": 0,
        "total": 27,
    }
    assert liaisons.none().direction_counts() == {"incoming": 0, "outgoing": 0, "both": 0, "total": 0}


def test_with_direction_rejects_unknown_values(casco):
    with pytest.raises(ValueError):
        CommitteeLiaison.objects.with_direction("sideways")


def test_one_liaison_per_pair_valid_direction_and_never_with_itself(casco):
    tc = Committee.objects.get(reference="ISO/TC 85")
    refused(lambda: CommitteeLiaison.objects.create(committee=casco, liaison_committee=tc, direction="incoming"))
    other = Committee.objects.get(reference="ISO/TC 232")
    refused(lambda: CommitteeLiaison.objects.create(committee=casco, liaison_committee=other, direction="up"))
    refused(lambda: CommitteeLiaison.objects.create(committee=casco, liaison_committee=casco, direction="both"))
    with pytest.raises(ValidationError):
        CommitteeLiaison(committee=casco, liaison_committee=casco, direction="both").full_clean()


def test_organizations_in_the_real_data(casco):
    liaisons = OrganizationLiaison.objects.filter(committee=casco)
    assert [liaisons.of_category(c).count() for c in "ABC"] == [23, 0, 2]
    assert Organization.objects.in_liaison().count() == 25
    tic = Organization.objects.get(acronym="TIC Council")
    assert (tic.name, tic.slug, tic.get_absolute_url()) == ("TIC Council", "tic-council", "/organizations/tic-council/")
    assert Organization.objects.get(acronym="IIOC").name == "Independant International Organization for Certification"
    note = CategoryNote.objects.get(committee=casco, category="C")
    assert note.text == "C liaisons participate at the level of a Working Group"
    assert GroupParticipation.objects.filter(organization__acronym="IIOA").count() == 2


def test_category_and_uniqueness_constraints():
    org, committee = OrganizationFactory(acronym="NEWORG"), CommitteeFactory()
    refused(lambda: OrganizationLiaisonFactory(organization=org, committee=committee, category="D"))
    OrganizationLiaisonFactory(organization=org, committee=committee, category="B")
    refused(lambda: OrganizationLiaisonFactory(organization=org, committee=committee, category="A"))
    refused(lambda: OrganizationFactory(acronym="NEWORG"))
    refused(lambda: OrganizationFactory(acronym=""))


def test_organization_slug_clash_is_a_validation_error(casco):
    with pytest.raises(ValidationError) as caught:
        Organization(acronym="TIC-Council").full_clean()
    assert "TIC Council" in caught.value.message_dict["acronym"][0]
    with pytest.raises(ValidationError):
        Organization(acronym="--").full_clean()
