"""Reads all seven resources of the CASCO Portal API anonymously, through a client generated from
the portal's schema by openapi-python-client, and prints what it read as JSON.

tests/core/test_api_generated_client.py generates the client (package ``casco_client``), checks this
script with ``mypy --strict`` (so the reads type-check with a plain, unauthenticated ``Client``) and
runs it against a live server. By hand::

    openapi-python-client generate --url http://127.0.0.1:8000/api/v1/schema/ --meta none \\
        --output-path casco_client
    mypy --strict tests/core/client_script.py   # with casco_client on MYPYPATH
    python tests/core/client_script.py http://127.0.0.1:8000
"""

import json
import sys
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

from casco_client import Client
from casco_client.api.committee_liaisons import committee_liaisons_list
from casco_client.api.committees import committees_list, committees_retrieve
from casco_client.api.groups import groups_list
from casco_client.api.meetings import meetings_list, meetings_retrieve
from casco_client.api.organization_liaisons import organization_liaisons_list
from casco_client.api.organizations import organizations_list
from casco_client.api.standards import standards_list
from casco_client.models import (
    Committee,
    Meeting,
    PaginatedCommitteeLiaisonList,
    PaginatedCommitteeList,
    PaginatedGroupList,
    PaginatedMeetingList,
    PaginatedOrganizationLiaisonList,
    PaginatedOrganizationList,
    PaginatedStandardList,
)
from casco_client.types import Unset

PAGE_SIZE = 20  # below the number of committees, so paging is exercised


class Page(Protocol):
    @property
    def count(self) -> int: ...

    @property
    def next_(self) -> str | Unset | None: ...


PageT = TypeVar("PageT", bound=Page)


def pages(fetch: Callable[[int], object], page_type: type[PageT]) -> Iterator[PageT]:
    """Every page of a list, from page 1 until there is no next one; any other answer (an error
    body, or None for an undocumented status) stops the script."""
    number = 1
    while True:
        answer = fetch(number)
        if not isinstance(answer, page_type):
            raise SystemExit(f"page {number} of a list: expected {page_type.__name__}, got {answer!r}")
        yield answer
        if not isinstance(answer.next_, str):
            return
        number += 1


def read_everything(base_url: str) -> dict[str, object]:
    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    committees = [
        committee
        for page in pages(
            lambda n: committees_list.sync(client=client, page=n, page_size=PAGE_SIZE), PaginatedCommitteeList
        )
        for committee in page.results
    ]
    groups = [
        group
        for page in pages(lambda n: groups_list.sync(client=client, page=n, page_size=PAGE_SIZE), PaginatedGroupList)
        for group in page.results
    ]
    committee_liaisons = [
        liaison
        for page in pages(
            lambda n: committee_liaisons_list.sync(client=client, page=n, page_size=PAGE_SIZE),
            PaginatedCommitteeLiaisonList,
        )
        for liaison in page.results
    ]
    organizations = [
        organization
        for page in pages(
            lambda n: organizations_list.sync(client=client, page=n, page_size=PAGE_SIZE), PaginatedOrganizationList
        )
        for organization in page.results
    ]
    organization_liaisons = [
        liaison
        for page in pages(
            lambda n: organization_liaisons_list.sync(client=client, page=n, page_size=PAGE_SIZE),
            PaginatedOrganizationLiaisonList,
        )
        for liaison in page.results
    ]
    meetings = [
        meeting
        for page in pages(
            lambda n: meetings_list.sync(client=client, page=n, page_size=PAGE_SIZE), PaginatedMeetingList
        )
        for meeting in page.results
    ]
    standards = [
        standard
        for page in pages(
            lambda n: standards_list.sync(client=client, page=n, page_size=PAGE_SIZE), PaginatedStandardList
        )
        for standard in page.results
    ]

    casco = committees_retrieve.sync("iso-casco", client=client)
    if not isinstance(casco, Committee):
        raise SystemExit(f"ISO/CASCO: expected a Committee, got {casco!r}")
    first_meeting = meetings_retrieve.sync(meetings[0].slug, client=client)
    if not isinstance(first_meeting, Meeting):
        raise SystemExit(f"{meetings[0].slug}: expected a Meeting, got {first_meeting!r}")

    return {
        "counts": {
            "committees": len(committees),
            "groups": len(groups),
            "committee-liaisons": len(committee_liaisons),
            "organizations": len(organizations),
            "organization-liaisons": len(organization_liaisons),
            "meetings": len(meetings),
            "standards": len(standards),
        },
        # Nullable references arrive as None or as the referenced record, typed either way.
        "parents": sorted(c.parent.reference for c in committees if c.parent is not None),
        "without_parent": sum(1 for c in committees if c.parent is None),
        "liaison_parents": sum(1 for liaison in committee_liaisons if liaison.parent is not None),
        "meeting_committees": [m.committee.reference if m.committee else None for m in meetings],
        "meeting_hosts": [m.host.acronym if m.host else None for m in meetings],
        "casco": {"reference": casco.reference, "parent": casco.parent.reference if casco.parent else None},
        "groups_of_casco": sum(1 for group in groups if group.committee.reference == "ISO/CASCO"),
        "first_meeting": first_meeting.slug,
    }


if __name__ == "__main__":
    print(json.dumps(read_everything(sys.argv[1]), indent=2))
