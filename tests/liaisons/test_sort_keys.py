"""The liaisons' copies of their committees' sort keys (the model's order, read from one index):
filled on every write path, following a committee's change of reference, filled by the data
migration, and giving the same order as the committees' own sort keys did."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from committees.models import Body, Committee, CommitteeKind, ImportSnapshot
from core.references import natural_sort_key
from liaisons.models import CommitteeLiaison, Direction
from liaisons.page_filters import LiaisonFilterForm
from sources.importer import source_pages_import
from sources.synthetic import synthetic_data_create
from tests.admin_forms import admin_add, admin_edit, assert_saved

pytestmark = pytest.mark.django_db

URL = "/api/v1/committee-liaisons/"
# The order the model had before the copies: the joined committees' sort keys.
JOINED_ORDER = ("committee__sort_key", "liaison_committee__sort_key")


def committee(reference):
    return Committee.objects.create(reference=reference, body=Body.ISO, kind=CommitteeKind.TECHNICAL_COMMITTEE)


def stale_liaisons():
    """Liaisons whose copies differ from their committees' sort keys."""
    return CommitteeLiaison.objects.exclude(
        Q(committee_sort_key=F("committee__sort_key")) & Q(liaison_committee_sort_key=F("liaison_committee__sort_key"))
    )


def keys(liaison):
    liaison.refresh_from_db()
    return (liaison.committee_sort_key, liaison.liaison_committee_sort_key)


def liaison_queries(captured):
    return [q["sql"] for q in captured if "liaisons_committeeliaison" in q["sql"] and "UPDATE" in q["sql"]]


@pytest.fixture
def api_client(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def test_save_copies_both_keys():
    holder, other = committee("ISO/TC 901"), committee("ISO/TC 34")
    liaison = CommitteeLiaison.objects.create(committee=holder, liaison_committee=other, direction=Direction.BOTH)
    assert keys(liaison) == ("iso/tc 03901", "iso/tc 0234")


def test_save_by_committee_ids_reads_the_keys():
    holder, other = committee("ISO/TC 901"), committee("ISO/TC 34")
    liaison = CommitteeLiaison.objects.create(committee_id=holder.pk, liaison_committee_id=other.pk, direction="both")
    assert keys(liaison) == (holder.sort_key, other.sort_key)


def test_changing_a_committee_of_a_liaison_changes_its_key():
    holder, first, second = committee("ISO/TC 901"), committee("ISO/TC 34"), committee("ISO/TC 207")
    liaison = CommitteeLiaison.objects.create(committee=holder, liaison_committee=first, direction=Direction.BOTH)

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


def test_the_fixture_and_the_importer_fill_them(casco_data):
    assert CommitteeLiaison.objects.count() == 48
    assert not stale_liaisons().exists()
    CommitteeLiaison.objects.all().delete()
    ImportSnapshot.objects.filter(model="liaisons.committeeliaison").delete()  # else the import keeps them deleted
    source_pages_import()
    assert CommitteeLiaison.objects.count() == 48
    assert not stale_liaisons().exists()


def test_api_create_and_change_fill_them(casco_data, api_client):
    committee("ISO/TC 990")
    body = {"committee": "ISO/CASCO", "liaison_committee": "ISO/TC 990", "direction": "both"}
    response = api_client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert "committee_sort_key" not in response.json()
    liaison = CommitteeLiaison.objects.get(pk=response.json()["id"])
    assert keys(liaison) == ("iso/casco", "iso/tc 03990")

    committee("ISO/TC 991")
    response = api_client.patch(f"{URL}{liaison.pk}/", {"liaison_committee": "ISO/TC 991"}, format="json")
    assert response.status_code == 200, response.content
    assert keys(liaison) == ("iso/casco", "iso/tc 03991")


def test_admin_add_fills_them(admin_client, casco_data):
    new = committee("ISO/TC 999")
    casco = Committee.objects.casco()
    assert_saved(
        admin_add(admin_client, CommitteeLiaison, committee=casco.pk, liaison_committee=new.pk, direction="both")
    )
    liaison = CommitteeLiaison.objects.get(liaison_committee=new)
    assert keys(liaison) == ("iso/casco", "iso/tc 03999")


def test_a_committee_reference_change_moves_both_sides():
    holder, other, bystander = committee("ISO/TC 901"), committee("ISO/TC 902"), committee("ISO/TC 903")
    holding = CommitteeLiaison.objects.create(committee=holder, liaison_committee=other, direction=Direction.BOTH)
    held = CommitteeLiaison.objects.create(committee=bystander, liaison_committee=holder, direction=Direction.BOTH)
    untouched = CommitteeLiaison.objects.create(committee=bystander, liaison_committee=other, direction="both")

    holder.reference = "ISO/TC 9"
    holder.save()

    assert keys(holding) == ("iso/tc 019", other.sort_key)
    assert keys(held) == (bystander.sort_key, "iso/tc 019")
    assert keys(untouched) == (bystander.sort_key, other.sort_key)
    assert not stale_liaisons().exists()


def test_a_reference_change_in_admin_and_the_api_moves_the_keys(admin_client, casco_data, api_client):
    # ISO/TC 210 has no subcommittees (whose references would no longer name it: refused).
    tc207 = Committee.objects.get(reference="ISO/TC 210")
    assert_saved(admin_edit(admin_client, tc207, reference="ISO/TC 2100"))
    assert CommitteeLiaison.objects.get(liaison_committee=tc207).liaison_committee_sort_key == "iso/tc 042100"

    response = api_client.patch("/api/v1/committees/iso-tc-2100/", {"reference": "ISO/TC 2101"}, format="json")
    assert response.status_code == 200, response.content
    assert CommitteeLiaison.objects.get(liaison_committee=tc207).liaison_committee_sort_key == "iso/tc 042101"
    assert not stale_liaisons().exists()


def test_a_save_keeping_the_reference_updates_no_liaison(casco_data):
    casco = Committee.objects.casco()
    casco.title = "Edited"
    with CaptureQueriesContext(connection) as captured:
        casco.save()
    assert not liaison_queries(captured)

    loaded = Committee.objects.only("pk", "reference", "title").get(pk=casco.pk)  # sort_key deferred
    loaded.reference = "ISO/CASCO"
    loaded.save()  # cannot tell whether the key changed: updates, changing nothing
    assert not stale_liaisons().exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_liaison_update_rolls_the_rename_back(monkeypatch):
    """Outside any transaction (autocommit), the rename and the liaisons' update commit together."""
    holder, other = committee("ISO/TC 901"), committee("ISO/TC 902")
    CommitteeLiaison.objects.create(committee=holder, liaison_committee=other, direction=Direction.BOTH)

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
    holder = committee("IEC/TC 1")
    for reference in ("ISO/TC 207", "ISO/TC 34", "ISO/CASCO"):
        CommitteeLiaison.objects.create(
            committee=holder, liaison_committee=Committee.objects.get(reference=reference), direction="both"
        )
    joined = CommitteeLiaison.objects.select_related("committee", "liaison_committee").order_by(*JOINED_ORDER)
    expected = [(liaison.committee.reference, liaison.liaison_committee.reference) for liaison in joined]
    assert expected[:4] == [
        ("IEC/TC 1", "ISO/CASCO"),
        ("IEC/TC 1", "ISO/TC 34"),
        ("IEC/TC 1", "ISO/TC 207"),
        ("ISO/CASCO", "IEC/CAB"),
    ]
    expected_both = [(x.committee.reference, x.liaison_committee.reference) for x in joined.filter(direction="both")]

    assert pairs(api_client.get(URL, {"page_size": 200}).json()["results"]) == expected
    assert pairs(api_client.get(URL, {"direction": "both", "page_size": 200}).json()["results"]) == expected_both
    first_page = api_client.get(URL, {"page_size": 20}).json()["results"]
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
    sorted_now = LiaisonFilterForm().apply(queryset, {"sort": sort})
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


def test_bulk_created_synthetic_liaisons_carry_them(casco_data):
    counts = synthetic_data_create(factor=1)
    assert counts["committee liaisons"] == 48
    assert CommitteeLiaison.objects.count() == 96
    assert not stale_liaisons().exists()


def test_a_row_without_them_is_refused(casco_data):
    holder, other = committee("ISO/TC 901"), committee("ISO/TC 902")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeLiaison.objects.bulk_create(
            [CommitteeLiaison(committee=holder, liaison_committee=other, direction="both")]
        )


def test_the_data_migration_fills_liaisons_and_their_history(casco_data):
    migration = importlib.import_module("liaisons.migrations.0002_liaison_sort_keys")
    CommitteeLiaison.objects.update(committee_sort_key="stale", liaison_committee_sort_key="stale")
    History = CommitteeLiaison.history.model
    liaison = CommitteeLiaison.objects.get(liaison_committee__reference="ISO/TC 207")
    liaison.save()  # a history row
    History.objects.update(committee_sort_key="", liaison_committee_sort_key="")

    migration.fill_sort_keys(apps, None)

    assert not stale_liaisons().exists()
    row = History.objects.filter(id=liaison.pk).latest()
    assert (row.committee_sort_key, row.liaison_committee_sort_key) == ("iso/casco", "iso/tc 03207")
