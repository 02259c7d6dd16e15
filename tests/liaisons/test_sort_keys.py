"""The liaisons' copies of the sort keys of what they join (the model's order, read from one
index): a committee liaison copies its two committees' keys, an organization liaison its
organization's. For both kinds: filled by the fixture and the importer, by bulk-created synthetic
data and by the data migration (history rows too), and required on every row. For each kind:
filled on every write path (ORM, API, admin) without reading the joined rows again, following a
rename (a committee's reference, an organization's acronym) only when it changes and in the same
transaction, and giving the order the joined rows gave."""

import importlib
from dataclasses import dataclass
from functools import reduce
from operator import and_

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from committees.models import CASCO_REFERENCE, Committee, ImportSnapshot
from core.references import natural_sort_key
from liaisons.filters import CommitteeLiaisonFilter
from liaisons.models import Category, CommitteeLiaison, Direction, Organization, OrganizationLiaison
from sources.importer import source_pages_import
from sources.synthetic import synthetic_data_create
from tests.admin_forms import admin_add, admin_edit, assert_saved
from tests.factories import (
    CommitteeFactory,
    CommitteeLiaisonFactory,
    OrganizationFactory,
    OrganizationLiaisonFactory,
)


def sorted_by(queryset, sort):
    """The liaison table's rows sorted as the page sorts them (its FilterSet's ``sort``)."""
    filterset = CommitteeLiaisonFilter.for_page()({"sort": sort})
    assert filterset.is_valid()
    return filterset.filter_queryset(queryset)


pytestmark = pytest.mark.django_db

COMMITTEE_URL = "/api/v1/committee-liaisons/"
ORGANIZATION_URL = "/api/v1/organization-liaisons/"
# The orders the models had before the copies: the joined rows' sort keys.
COMMITTEE_JOINED_ORDER = ("committee__sort_key", "liaison_committee__sort_key")
ORGANIZATION_JOINED_ORDER = ("category", "organization__sort_key", "id")


@dataclass
class Copies:
    """One kind of liaison and its copies of sort keys (copy field -> the joined key it copies)."""

    model: type
    copies: dict
    migration: str
    in_fixture: int  # liaisons of this kind in the real data
    sample: dict  # a liaison of the real data ...
    sample_keys: tuple  # ... and its copies
    unsaved: object  # () -> a liaison not saved, to bulk-create without its copies


COMMITTEE_LIAISONS = Copies(
    CommitteeLiaison,
    {"committee_sort_key": "committee__sort_key", "liaison_committee_sort_key": "liaison_committee__sort_key"},
    "liaisons.migrations.0002_liaison_sort_keys",
    48,
    {"liaison_committee__reference": "ISO/TC 207"},
    ("iso/casco", "iso/tc 03207"),
    lambda: CommitteeLiaisonFactory.build(committee=CommitteeFactory(), liaison_committee=CommitteeFactory()),
)
ORGANIZATION_LIAISONS = Copies(
    OrganizationLiaison,
    {"organization_sort_key": "organization__sort_key"},
    "liaisons.migrations.0004_organization_liaison_sort_key",
    25,
    {"organization__acronym": "IAF"},
    ("iaf",),
    lambda: OrganizationLiaisonFactory.build(
        organization=OrganizationFactory(), committee=Committee.objects.get(reference=CASCO_REFERENCE)
    ),
)
KINDS = pytest.mark.parametrize("kind", [COMMITTEE_LIAISONS, ORGANIZATION_LIAISONS], ids=["committee", "organization"])


def stale(kind):
    """Liaisons whose copies differ from the keys they copy."""
    return kind.model.objects.exclude(reduce(and_, (Q(**{copy: F(source)}) for copy, source in kind.copies.items())))


def keys(liaison):
    liaison.refresh_from_db()
    return (liaison.committee_sort_key, liaison.liaison_committee_sort_key)


def org_key(liaison):
    liaison.refresh_from_db()
    return liaison.organization_sort_key


def liaison_queries(captured, table):
    return [q["sql"] for q in captured if table in q["sql"] and "UPDATE" in q["sql"]]


@pytest.fixture
def api_client(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.fixture
def casco_committee(casco_data):
    return Committee.objects.get(reference=CASCO_REFERENCE)


# Both kinds


@KINDS
def test_the_fixture_and_the_importer_fill_them(casco_data, kind):
    assert kind.model.objects.count() == kind.in_fixture
    assert not stale(kind).exists()
    kind.model.objects.all().delete()
    ImportSnapshot.objects.filter(model=kind.model._meta.label_lower).delete()  # else the import keeps them deleted
    source_pages_import()
    assert kind.model.objects.count() == kind.in_fixture
    assert not stale(kind).exists()


@KINDS
def test_bulk_created_synthetic_liaisons_carry_them(casco_data, kind):
    counts = synthetic_data_create(factor=1)
    assert counts["committee liaisons"] == COMMITTEE_LIAISONS.in_fixture
    assert kind.model.objects.count() == 2 * kind.in_fixture
    assert not stale(kind).exists()


@KINDS
def test_a_row_without_them_is_refused(casco_data, kind):
    liaison = kind.unsaved()
    with pytest.raises(IntegrityError), transaction.atomic():
        kind.model.objects.bulk_create([liaison])


@KINDS
def test_the_data_migration_fills_liaisons_and_their_history(casco_data, kind):
    migration = importlib.import_module(kind.migration)
    kind.model.objects.update(**dict.fromkeys(kind.copies, "stale"))
    History = kind.model.history.model
    liaison = kind.model.objects.get(**kind.sample)
    liaison.save()  # a history row
    History.objects.update(**dict.fromkeys(kind.copies, ""))

    migration.fill_sort_keys(apps, None)

    assert not stale(kind).exists()
    row = History.objects.filter(id=liaison.pk).latest()
    assert tuple(getattr(row, copy) for copy in kind.copies) == kind.sample_keys


# Committee liaisons


def test_save_copies_both_keys():
    holder, other = CommitteeFactory(reference="ISO/TC 901"), CommitteeFactory(reference="ISO/TC 34")
    liaison = CommitteeLiaisonFactory(committee=holder, liaison_committee=other)
    assert keys(liaison) == ("iso/tc 03901", "iso/tc 0234")


def test_save_by_committee_ids_reads_the_keys():
    holder, other = CommitteeFactory(), CommitteeFactory()
    # By ids, no committee loaded: the write path under test, so not through the factory.
    liaison = CommitteeLiaison.objects.create(committee_id=holder.pk, liaison_committee_id=other.pk, direction="both")
    assert keys(liaison) == (holder.sort_key, other.sort_key)


def test_changing_a_committee_of_a_liaison_changes_its_key():
    holder, first, second = CommitteeFactory(), CommitteeFactory(), CommitteeFactory()
    liaison = CommitteeLiaisonFactory(committee=holder, liaison_committee=first)

    loaded = CommitteeLiaison.objects.get(pk=liaison.pk)  # committees not loaded
    loaded.liaison_committee_id = second.pk
    loaded.save()
    assert keys(liaison) == (holder.sort_key, second.sort_key)

    loaded = CommitteeLiaison.objects.get(pk=liaison.pk)
    loaded.committee = first
    loaded.save(update_fields=["committee"])
    assert keys(liaison) == (first.sort_key, second.sort_key)


def test_saving_a_loaded_liaison_reads_no_committee(casco_data):
    liaison = CommitteeLiaison.objects.get(liaison_committee__reference="ISO/TC 207")
    liaison.direction = Direction.INCOMING
    with CaptureQueriesContext(connection) as captured:
        liaison.save()
    assert not [q["sql"] for q in captured if 'FROM "committees_committee"' in q["sql"]]
    assert keys(liaison) == ("iso/casco", "iso/tc 03207")


def test_api_create_and_change_fill_the_committee_keys(casco_data, api_client):
    CommitteeFactory(reference="ISO/TC 990")
    body = {"committee": "ISO/CASCO", "liaison_committee": "ISO/TC 990", "direction": "both"}
    response = api_client.post(COMMITTEE_URL, body, format="json")
    assert response.status_code == 201, response.content
    assert "committee_sort_key" not in response.json()
    liaison = CommitteeLiaison.objects.get(pk=response.json()["id"])
    assert keys(liaison) == ("iso/casco", "iso/tc 03990")

    CommitteeFactory(reference="ISO/TC 991")
    response = api_client.patch(f"{COMMITTEE_URL}{liaison.pk}/", {"liaison_committee": "ISO/TC 991"}, format="json")
    assert response.status_code == 200, response.content
    assert keys(liaison) == ("iso/casco", "iso/tc 03991")


def test_admin_add_fills_the_committee_keys(admin_client, casco_data):
    new = CommitteeFactory(reference="ISO/TC 999")
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    assert_saved(
        admin_add(admin_client, CommitteeLiaison, committee=casco.pk, liaison_committee=new.pk, direction="both")
    )
    liaison = CommitteeLiaison.objects.get(liaison_committee=new)
    assert keys(liaison) == ("iso/casco", "iso/tc 03999")


def test_a_committee_reference_change_moves_both_sides():
    holder, other, bystander = CommitteeFactory(), CommitteeFactory(), CommitteeFactory()
    holding = CommitteeLiaisonFactory(committee=holder, liaison_committee=other)
    held = CommitteeLiaisonFactory(committee=bystander, liaison_committee=holder)
    untouched = CommitteeLiaisonFactory(committee=bystander, liaison_committee=other)

    holder.reference = "ISO/TC 9"
    holder.save()

    assert keys(holding) == ("iso/tc 019", other.sort_key)
    assert keys(held) == (bystander.sort_key, "iso/tc 019")
    assert keys(untouched) == (bystander.sort_key, other.sort_key)
    assert not stale(COMMITTEE_LIAISONS).exists()


def test_a_reference_change_in_admin_and_the_api_moves_the_keys(admin_client, casco_data, api_client):
    # ISO/TC 210 has no subcommittees (whose references would no longer name it: refused).
    tc207 = Committee.objects.get(reference="ISO/TC 210")
    assert_saved(admin_edit(admin_client, tc207, reference="ISO/TC 2100"))
    assert CommitteeLiaison.objects.get(liaison_committee=tc207).liaison_committee_sort_key == "iso/tc 042100"

    response = api_client.patch("/api/v1/committees/iso-tc-2100/", {"reference": "ISO/TC 2101"}, format="json")
    assert response.status_code == 200, response.content
    assert CommitteeLiaison.objects.get(liaison_committee=tc207).liaison_committee_sort_key == "iso/tc 042101"
    assert not stale(COMMITTEE_LIAISONS).exists()


def test_a_save_keeping_the_reference_updates_no_liaison(casco_data):
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    casco.title = "Edited"
    with CaptureQueriesContext(connection) as captured:
        casco.save()
    assert not liaison_queries(captured, "liaisons_committeeliaison")

    loaded = Committee.objects.only("pk", "reference", "title").get(pk=casco.pk)  # sort_key deferred
    loaded.reference = "ISO/CASCO"
    loaded.save()  # cannot tell whether the key changed: updates, changing nothing
    assert not stale(COMMITTEE_LIAISONS).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_liaison_update_rolls_the_rename_back(monkeypatch):
    """Outside any transaction (autocommit), the rename and the liaisons' update commit together."""
    holder = CommitteeFactory(reference="ISO/TC 901")
    CommitteeLiaisonFactory(committee=holder)

    def fail(self, committee):
        raise RuntimeError("the liaisons could not be updated")

    monkeypatch.setattr(type(CommitteeLiaison.objects.all()), "copy_sort_key_of", fail)
    holder.reference = "ISO/TC 9"
    with pytest.raises(RuntimeError):
        holder.save()
    assert Committee.objects.get(pk=holder.pk).reference == "ISO/TC 901"


def pairs(rows):
    return [(row["committee"]["reference"], row["liaison_committee"]["reference"]) for row in rows]


def test_api_list_is_in_the_committees_order(casco_data, api_client):
    # A second holder, whose key sorts before ISO/CASCO's, so the holder's key must lead.
    holder = CommitteeFactory(reference="IEC/TC 1")
    for reference in ("ISO/TC 207", "ISO/TC 34", "ISO/CASCO"):
        CommitteeLiaisonFactory(committee=holder, liaison_committee=Committee.objects.get(reference=reference))
    joined = CommitteeLiaison.objects.select_related("committee", "liaison_committee").order_by(*COMMITTEE_JOINED_ORDER)
    expected = [(liaison.committee.reference, liaison.liaison_committee.reference) for liaison in joined]
    assert expected[:4] == [
        ("IEC/TC 1", "ISO/CASCO"),
        ("IEC/TC 1", "ISO/TC 34"),
        ("IEC/TC 1", "ISO/TC 207"),
        ("ISO/CASCO", "IEC/CAB"),
    ]
    expected_both = [(x.committee.reference, x.liaison_committee.reference) for x in joined.filter(direction="both")]

    assert pairs(api_client.get(COMMITTEE_URL, {"page_size": 200}).json()["results"]) == expected
    assert (
        pairs(api_client.get(COMMITTEE_URL, {"direction": "both", "page_size": 200}).json()["results"]) == expected_both
    )
    first_page = api_client.get(COMMITTEE_URL, {"page_size": 20}).json()["results"]
    assert pairs(first_page) == expected[:20]


@pytest.mark.parametrize(
    "sort", ["reference", "-reference", "title", "-title", "body", "-body", "direction", "-direction"]
)
def test_the_liaison_table_sorts_as_before(casco_data, sort):
    queryset = CommitteeLiaison.objects.held_by("ISO/CASCO")
    before = {
        "reference": ("liaison_committee__sort_key",),
        "-reference": ("-liaison_committee__sort_key",),
        "title": ("liaison_committee__title", "liaison_committee__sort_key"),
        "-title": ("-liaison_committee__title", "liaison_committee__sort_key"),
        "body": ("liaison_committee__body", "liaison_committee__sort_key"),
        "-body": ("-liaison_committee__body", "liaison_committee__sort_key"),
        "direction": ("direction", "liaison_committee__sort_key"),
        "-direction": ("-direction", "liaison_committee__sort_key"),
    }[sort]
    sorted_now = sorted_by(queryset, sort)
    assert list(sorted_now.values_list("pk", flat=True)) == list(
        queryset.order_by(*before).values_list("pk", flat=True)
    )


def test_the_natural_order_holds(casco_data):
    references = list(
        CommitteeLiaison.objects.held_by("ISO/CASCO").values_list("liaison_committee__reference", flat=True)
    )
    assert references.index("ISO/TC 34") < references.index("ISO/TC 207")
    assert [natural_sort_key(r) for r in references] == list(
        CommitteeLiaison.objects.held_by("ISO/CASCO").values_list("liaison_committee_sort_key", flat=True)
    )


# Organization liaisons


def test_save_copies_the_key(casco_committee):
    organization = OrganizationFactory(acronym="ZZ 10")
    by_object = OrganizationLiaisonFactory(organization=organization, committee=casco_committee)
    assert org_key(by_object) == "zz 0210"
    other = OrganizationFactory(acronym="ZZ 9")
    # By id, no organization loaded: the write path under test, so not through the factory.
    by_id = OrganizationLiaison.objects.create(organization_id=other.pk, committee=casco_committee, category="C")
    assert org_key(by_id) == "zz 019"


def test_changing_the_organization_of_a_liaison_changes_its_key(casco_committee):
    first, second = OrganizationFactory(), OrganizationFactory(acronym="ZZB")
    liaison = OrganizationLiaisonFactory(organization=first, committee=casco_committee)
    loaded = OrganizationLiaison.objects.get(pk=liaison.pk)  # organization not loaded
    loaded.organization_id = second.pk
    loaded.save(update_fields=["organization"])
    assert org_key(liaison) == "zzb"


def test_saving_a_loaded_liaison_reads_no_organization(casco_data):
    liaison = OrganizationLiaison.objects.get(organization__acronym="IAF")
    liaison.category = Category.C
    with CaptureQueriesContext(connection) as captured:
        liaison.save()
    assert not [q["sql"] for q in captured if 'FROM "liaisons_organization"' in q["sql"]]
    assert org_key(liaison) == "iaf"


def test_api_create_and_change_fill_the_organization_key(casco_data, api_client):
    OrganizationFactory(acronym="ZZ 1")
    OrganizationFactory(acronym="ZZ 2")
    response = api_client.post(
        ORGANIZATION_URL, {"organization": "ZZ 1", "committee": "ISO/CASCO", "category": "A"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert "organization_sort_key" not in response.json()
    liaison = OrganizationLiaison.objects.get(pk=response.json()["id"])
    assert org_key(liaison) == "zz 011"
    response = api_client.patch(f"{ORGANIZATION_URL}{liaison.pk}/", {"organization": "ZZ 2"}, format="json")
    assert response.status_code == 200, response.content
    assert org_key(liaison) == "zz 012"


def test_admin_add_fills_the_organization_key(admin_client, casco_committee):
    organization = OrganizationFactory(acronym="ZZ 3")
    assert_saved(
        admin_add(
            admin_client, OrganizationLiaison, organization=organization.pk, committee=casco_committee.pk, category="B"
        )
    )
    assert org_key(OrganizationLiaison.objects.get(organization=organization)) == "zz 013"


def test_an_acronym_change_moves_the_copies_in_admin_and_the_api(admin_client, casco_data, api_client):
    iaf = Organization.objects.get(acronym="IAF")
    assert_saved(admin_edit(admin_client, iaf, acronym="IAF 2"))
    assert OrganizationLiaison.objects.get(organization=iaf).organization_sort_key == "iaf 012"
    response = api_client.patch("/api/v1/organizations/iaf-2/", {"acronym": "AAA IAF"}, format="json")
    assert response.status_code == 200, response.content
    assert OrganizationLiaison.objects.get(organization=iaf).organization_sort_key == "aaa iaf"
    assert not stale(ORGANIZATION_LIAISONS).exists()


def test_a_save_keeping_the_acronym_updates_no_liaison(casco_data):
    iaf = Organization.objects.get(acronym="IAF")
    iaf.name = "Edited"
    with CaptureQueriesContext(connection) as captured:
        iaf.save()
    assert not liaison_queries(captured, "liaisons_organizationliaison")


@pytest.mark.django_db(transaction=True)
def test_a_failed_copy_update_rolls_the_rename_back(monkeypatch):
    """Outside any transaction (autocommit), the rename and the liaisons' update commit together."""
    organization = OrganizationFactory(acronym="ZZ 4")

    def fail(self, using):
        raise RuntimeError("the liaisons could not be updated")

    monkeypatch.setattr(Organization, "_update_sort_key_copies", fail)
    organization.acronym = "ZZ 5"
    with pytest.raises(RuntimeError):
        organization.save()
    assert Organization.objects.get(pk=organization.pk).acronym == "ZZ 4"


def test_the_organization_list_keeps_the_joined_order(client, ten_times_data):
    expected = list(OrganizationLiaison.objects.order_by(*ORGANIZATION_JOINED_ORDER).values_list("pk", flat=True))
    assert list(OrganizationLiaison.objects.values_list("pk", flat=True)) == expected
    seen = [
        liaison.pk
        for page in (1, 2, 3)
        for category in client.get("/organizations/", {"page": page}).context["categories"]
        for liaison in category["liaisons"]
    ]
    assert seen == expected
