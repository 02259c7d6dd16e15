"""One row per writable resource, for the permission matrix and the write tests: how to make a
record (its factory: tests/factories.py), a valid body to create one, and a change to apply."""

from dataclasses import dataclass
from typing import Any

from committees.models import CASCO_REFERENCE, Committee, Group, Standard
from liaisons.models import CommitteeLiaison, Direction, Organization, OrganizationLiaison
from meetings.models import Meeting
from tests.factories import (
    CommitteeFactory,
    CommitteeLiaisonFactory,
    GroupFactory,
    MeetingFactory,
    OrganizationFactory,
    OrganizationLiaisonFactory,
    StandardFactory,
)


def _casco():
    """ISO/CASCO: the real one if the test loaded the data, else one made for it."""
    return Committee.objects.filter(reference=CASCO_REFERENCE).first() or CommitteeFactory(reference=CASCO_REFERENCE)


@dataclass
class Resource:
    path: str
    model: Any
    make: Any  # () -> an existing record to change or delete
    body: Any  # () -> a valid body for POST (and PUT)
    change: dict

    @property
    def url(self):
        return f"/api/v1/{self.path}/"


def _liaison_body():
    _casco()
    CommitteeFactory(reference="ISO/TC 991")
    return {"committee": "ISO/CASCO", "liaison_committee": "ISO/TC 991", "direction": "outgoing"}


def _org_liaison_body():
    _casco()
    OrganizationFactory(acronym="ZZB")
    return {"organization": "ZZB", "committee": "ISO/CASCO", "category": "A"}


RESOURCES = [
    Resource(
        "committees",
        Committee,
        CommitteeFactory,
        lambda: {"reference": "ISO/TC 991", "body": "ISO", "kind": "technical_committee", "title": "New"},
        {"title": "Changed"},
    ),
    Resource(
        "groups",
        Group,
        lambda: GroupFactory(title="Old"),
        lambda: {
            "reference": "ISO/CASCO/WG 991",
            "title": "New",
            "kind": "working_group",
            "committee": _casco().reference,
        },
        {"title": "Changed"},
    ),
    Resource(
        "committee-liaisons",
        CommitteeLiaison,
        lambda: CommitteeLiaisonFactory(direction=Direction.INCOMING),
        _liaison_body,
        {"direction": "both"},
    ),
    Resource(
        "organizations",
        Organization,
        lambda: OrganizationFactory(name="Old"),
        lambda: {"acronym": "ZZC", "name": "New"},
        {"name": "Changed"},
    ),
    Resource(
        "organization-liaisons",
        OrganizationLiaison,
        OrganizationLiaisonFactory,
        _org_liaison_body,
        {"category": "C"},
    ),
    Resource(
        "meetings",
        Meeting,
        lambda: MeetingFactory(title="Old"),
        lambda: {"title": "New meeting", "kind": "workshop", "year": 2021},
        {"title": "Changed"},
    ),
    Resource(
        "standards",
        Standard,
        lambda: StandardFactory(title="Old"),
        lambda: {"reference": "ISO 99991", "title": "New"},
        {"title": "Changed"},
    ),
]
IDS = [resource.path for resource in RESOURCES]
