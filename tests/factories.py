"""factory_boy factories for the portal's records and its users (HSE ``tests/factories.py``).

Use a factory when a test needs a record and the record's own values are not what it checks:
``CommitteeFactory()`` is a valid technical committee, ``GroupFactory()`` a working group under a
new one, ``CommitteeLiaisonFactory()`` a liaison between two new committees. Name only the values
the test is about, ``CommitteeFactory(reference="ISO/TC 207")``, ``MeetingFactory(year=2031)``,
and let the factory fill in the rest; a value a test refuses (``CommitteeFactory(body="DIN")``)
then stands out as the one thing wrong with an otherwise valid record.

Use the real data instead (the ``casco_data`` or ``casco`` fixture, tests/conftest.py) when it is
what the test is about: the published committees, their counts, the pages and API answers the
real records give. A test may do both: records made here sit beside the real ones, as their
references, acronyms and slugs never meet the real data's (nor the synthetic data's, which
starts at 100,000: sources/synthetic.py).

Every factory's defaults pass the model's ``full_clean()`` and its database constraints, and two
records built with them do not collide on a unique field (tests/test_factories.py checks both).
A related record is made by its own factory unless one is given (``GroupFactory(committee=casco)``).
``GroupFactory.build()`` makes an unsaved record, and its related records unsaved too: give it
saved ones. A record made by a factory has no source page, as one the secretariat entered by
hand. ``FACTORIES`` maps each portal model to its factory, for tests that go over every model."""

import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from committees.models import (
    TERM_POSITION_MAX,
    Committee,
    Group,
    GroupKind,
    GroupStandard,
    ImportSnapshot,
    SourcePage,
    SourcePageKind,
    SourcePageVersion,
    Standard,
    StandardWork,
    TermOfReference,
)
from core.references import body_of, committee_kind_of, slug_for
from core.roles import secretariat_group_ensure
from liaisons.models import (
    Category,
    CategoryNote,
    CommitteeLiaison,
    Direction,
    GroupParticipation,
    Organization,
    OrganizationLiaison,
)
from meetings.models import Meeting, MeetingGroup, MeetingKind

# Numbers far above the real data's (ISO/TC 334, ISO/CASCO/WG 65, ISO 21030 at most) and below the
# synthetic data's (100,000 on), and clear of the numbers tests name themselves (ISO/TC 9xx,
# ISO 999xx): a committee, subcommittee or group is numbered from FIRST_NUMBER, a standard from
# FIRST_STANDARD_NUMBER.
FIRST_NUMBER = 10_000
FIRST_STANDARD_NUMBER = 60_000
FIRST_POSITION = 100  # of a term of reference


class SourcePageFactory(DjangoModelFactory):
    class Meta:
        model = SourcePage

    file_name = factory.Sequence(lambda n: f"page-{n}.html")
    title = factory.Sequence(lambda n: f"Source page {n}")
    kind = SourcePageKind.COMMITTEE_PAGE
    sha256 = "0" * 64
    imported_at = factory.LazyFunction(timezone.now)


class SourcePageVersionFactory(DjangoModelFactory):
    class Meta:
        model = SourcePageVersion

    source = factory.SubFactory(SourcePageFactory)
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    text = factory.Sequence(lambda n: f"Page {n}")
    imported_at = factory.LazyFunction(timezone.now)


class ImportSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = ImportSnapshot

    source = factory.SubFactory(SourcePageFactory)
    model = "committees.committee"
    key = factory.Sequence(lambda n: f'["ISO/TC {FIRST_NUMBER + n}"]')
    values = factory.Sequence(lambda n: {"title": f"Committee {n}"})


def _committee_reference(committee, n):
    """``ISO/TC 10000`` on; under a parent, a subcommittee of it (``…/SC 10000`` on)."""
    if committee.parent is not None:
        return f"{committee.parent.reference}/SC {FIRST_NUMBER + n}"
    return f"ISO/TC {FIRST_NUMBER + n}"


class CommitteeFactory(DjangoModelFactory):
    """A technical committee; its body and kind follow from the reference, as ``clean()`` and
    the constraints want: ``CommitteeFactory(reference="ISO/CASCO")`` is a policy committee,
    ``CommitteeFactory(parent=tc)`` a subcommittee of ``tc``."""

    class Meta:
        model = Committee

    parent = None
    reference = factory.LazyAttributeSequence(_committee_reference)
    title = factory.LazyAttribute(lambda o: f"Title of {o.reference}")
    body = factory.LazyAttribute(lambda o: body_of(o.reference))
    kind = factory.LazyAttribute(lambda o: committee_kind_of(o.reference))


class TermOfReferenceFactory(DjangoModelFactory):
    class Meta:
        model = TermOfReference

    committee = factory.SubFactory(CommitteeFactory)
    # Positions cycle from FIRST_POSITION to the highest allowed: two terms of one committee made
    # one after the other never share a position, nor does one take a real committee's (a dozen
    # at most).
    position = factory.Sequence(lambda n: FIRST_POSITION + n % (TERM_POSITION_MAX - FIRST_POSITION + 1))
    text = factory.Sequence(lambda n: f"Term of reference {n}.")


class GroupFactory(DjangoModelFactory):
    """A working group; its reference starts with its committee's, as ``clean()`` wants."""

    class Meta:
        model = Group

    committee = factory.SubFactory(CommitteeFactory)
    reference = factory.LazyAttributeSequence(lambda o, n: f"{o.committee.reference}/WG {FIRST_NUMBER + n}")
    title = factory.LazyAttribute(lambda o: f"Title of {o.reference}")
    kind = GroupKind.WORKING_GROUP


class StandardFactory(DjangoModelFactory):
    class Meta:
        model = Standard

    reference = factory.Sequence(lambda n: f"ISO {FIRST_STANDARD_NUMBER + n}")
    title = factory.LazyAttribute(lambda o: f"Title of {o.reference}")


class GroupStandardFactory(DjangoModelFactory):
    class Meta:
        model = GroupStandard

    group = factory.SubFactory(GroupFactory)
    standard = factory.SubFactory(StandardFactory)
    work = StandardWork.WORK


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")


class CommitteeLiaisonFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeLiaison

    committee = factory.SubFactory(CommitteeFactory)
    liaison_committee = factory.SubFactory(CommitteeFactory)
    direction = Direction.BOTH


class OrganizationLiaisonFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationLiaison

    organization = factory.SubFactory(OrganizationFactory)
    committee = factory.SubFactory(CommitteeFactory)
    category = Category.A


class CategoryNoteFactory(DjangoModelFactory):
    class Meta:
        model = CategoryNote

    committee = factory.SubFactory(CommitteeFactory)
    category = Category.A
    text = factory.Sequence(lambda n: f"Category note {n}.")


class GroupParticipationFactory(DjangoModelFactory):
    class Meta:
        model = GroupParticipation

    organization = factory.SubFactory(OrganizationFactory)
    group = factory.SubFactory(GroupFactory)


class GroupPartnerCommitteeFactory(DjangoModelFactory):
    """A row of ``Group.partner_committees`` (``group.partner_committees.add()`` does the same)."""

    class Meta:
        model = Group.partner_committees.through

    group = factory.SubFactory(GroupFactory)
    committee = factory.SubFactory(CommitteeFactory)


class GroupPartnerOrganizationFactory(DjangoModelFactory):
    """A row of ``Group.partner_organizations``."""

    class Meta:
        model = Group.partner_organizations.through

    group = factory.SubFactory(GroupFactory)
    organization = factory.SubFactory(OrganizationFactory)


class MeetingFactory(DjangoModelFactory):
    """A meeting known by its year only (no dates, venue, host or committee), as the real ones
    are; its slug is made from its title, as ``clean()`` makes it."""

    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.LazyAttribute(lambda o: slug_for(o.title, Meeting._meta.get_field("slug").max_length))
    kind = MeetingKind.MEETING
    year = 2025


class MeetingGroupFactory(DjangoModelFactory):
    class Meta:
        model = MeetingGroup

    meeting = factory.SubFactory(MeetingFactory)
    group = factory.SubFactory(GroupFactory)


# The factory of each portal model (and of the many-to-many rows between them).
FACTORIES = {
    factory_class._meta.model: factory_class
    for factory_class in (
        SourcePageFactory,
        SourcePageVersionFactory,
        ImportSnapshotFactory,
        CommitteeFactory,
        TermOfReferenceFactory,
        GroupFactory,
        StandardFactory,
        GroupStandardFactory,
        OrganizationFactory,
        CommitteeLiaisonFactory,
        OrganizationLiaisonFactory,
        CategoryNoteFactory,
        GroupParticipationFactory,
        GroupPartnerCommitteeFactory,
        GroupPartnerOrganizationFactory,
        MeetingFactory,
        MeetingGroupFactory,
    )
}


# Users

# The roles ``UserFactory(role=...)`` gives: None, a user without staff status or permission;
# "staff", admin access and no permission (the admin answers 403, not the login page);
# "secretariat", staff in the Secretariat group as ``manage.py ensure_secretariat_group`` makes it
# (core/roles.py); "superuser".
USER_ROLES = (None, "staff", "secretariat", "superuser")


def _role_of(user):
    if user.role not in USER_ROLES:
        raise ValueError(f"Unknown role {user.role!r}: one of {USER_ROLES}.")
    return user.role


def _join_secretariat(user, create, extracted, **kwargs):
    if create:
        group, _report = secretariat_group_ensure()
        user.groups.add(group)


class UserFactory(DjangoModelFactory):
    """A user, with a portal role if ``role`` names one (see ``USER_ROLES``). The password is
    unusable unless given (``UserFactory(password="…")`` stores it hashed): tests log in with
    ``force_login`` or a token, and no test pays for hashing a password it never types."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    class Params:
        role = None

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(None)
    is_staff = factory.LazyAttribute(lambda o: _role_of(o) is not None)
    is_superuser = factory.LazyAttribute(lambda o: _role_of(o) == "superuser")
    secretariat_group = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == "secretariat"),
        yes_declaration=factory.PostGeneration(_join_secretariat),
    )
