"""One row per writable resource, for the permission matrix and the write tests: how to make a
record through the ORM, a valid body to create one, and a change to apply."""

from dataclasses import dataclass
from typing import Any

from committees.models import Body, Committee, CommitteeKind, Group, GroupKind, Standard
from liaisons.models import CommitteeLiaison, Direction, Organization, OrganizationLiaison
from meetings.models import Meeting, MeetingKind


def _committee(reference):
    return Committee.objects.create(reference=reference, body=Body.ISO, kind=CommitteeKind.TECHNICAL_COMMITTEE)


def _casco():
    return Committee.objects.get_or_create(
        reference="ISO/CASCO", defaults={"body": Body.ISO, "kind": CommitteeKind.POLICY_COMMITTEE}
    )[0]


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
    _committee("ISO/TC 991")
    return {"committee": "ISO/CASCO", "liaison_committee": "ISO/TC 991", "direction": "outgoing"}


def _org_liaison_body():
    _casco()
    Organization.objects.create(acronym="ZZB")
    return {"organization": "ZZB", "committee": "ISO/CASCO", "category": "A"}


RESOURCES = [
    Resource(
        "committees",
        Committee,
        lambda: _committee("ISO/TC 990"),
        lambda: {"reference": "ISO/TC 991", "body": "ISO", "kind": "technical_committee", "title": "New"},
        {"title": "Changed"},
    ),
    Resource(
        "groups",
        Group,
        lambda: Group.objects.create(
            reference="ISO/CASCO/WG 990", title="Old", kind=GroupKind.WORKING_GROUP, committee=_casco()
        ),
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
        lambda: CommitteeLiaison.objects.create(
            committee=_casco(), liaison_committee=_committee("ISO/TC 990"), direction=Direction.INCOMING
        ),
        _liaison_body,
        {"direction": "both"},
    ),
    Resource(
        "organizations",
        Organization,
        lambda: Organization.objects.create(acronym="ZZA", name="Old"),
        lambda: {"acronym": "ZZC", "name": "New"},
        {"name": "Changed"},
    ),
    Resource(
        "organization-liaisons",
        OrganizationLiaison,
        lambda: OrganizationLiaison.objects.create(
            organization=Organization.objects.create(acronym="ZZA"), committee=_casco(), category="A"
        ),
        _org_liaison_body,
        {"category": "C"},
    ),
    Resource(
        "meetings",
        Meeting,
        lambda: Meeting.objects.create(slug="old-meeting", title="Old", kind=MeetingKind.MEETING, year=2020),
        lambda: {"title": "New meeting", "kind": "workshop", "year": 2021},
        {"title": "Changed"},
    ),
    Resource(
        "standards",
        Standard,
        lambda: Standard.objects.create(reference="ISO 99990", title="Old"),
        lambda: {"reference": "ISO 99991", "title": "New"},
        {"title": "Changed"},
    ),
]
IDS = [resource.path for resource in RESOURCES]
