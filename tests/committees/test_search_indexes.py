"""The PostgreSQL search indexes (migration committees 0005): they exist after migrate, the
queries the search definitions (core/search.py, each app's search.py) build use them (the planner takes an expression index only when the
query's expression is the index's, so a change to a SearchVector that leaves the index behind
shows here as a sequential scan), and a search answers the same through them as without them.

PostgreSQL only: on SQLite the migration does nothing and the search is a substring match, so
these tests are skipped there; the suite's PostgreSQL run (DATABASE_URL=postgres://…, the second
half of .ci/run) runs them."""

import importlib

import pytest
from django.db import connection, connections

from casco_portal.search import portal_search_with_totals
from core.search import site_definitions

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

migration = importlib.import_module("committees.migrations.0005_search_indexes")

# Kind -> (its full-text index, its substring indexes). Meetings have none: their vector takes
# the host organization's name from a join.
INDEXES = {
    "committees": ("committees_committee_search_gin", ["committees_committee_reference_trgm"]),
    "groups": ("committees_group_search_gin", ["committees_group_reference_trgm"]),
    "standards": (
        "committees_standard_search_gin",
        ["committees_standard_reference_trgm", "committees_standard_abbreviation_trgm"],
    ),
    "organizations": ("liaisons_organization_search_gin", ["liaisons_organization_acronym_trgm"]),
}
QUERIES = ["KEBS", "conformity assessment", "ISO/TC 207", "WG 30", "laboratory accreditation", "iso", "-conformity"]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the search indexes are PostgreSQL's: run the suite with DATABASE_URL=postgres://…")


def _search_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [[name for name, *_ in migration.SEARCH_INDEXES]],
        )
        return dict(cursor.fetchall())


def _set_local(*settings):
    """Planner settings for the rest of the test's transaction (rolled back after the test)."""
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting}")


def portal_search(text):
    return portal_search_with_totals(text)[0]


def _ranked(kind, text):
    definition = next(definition for definition in site_definitions() if definition.kind == kind)
    return definition.ranked(definition.results(), text)


def _pks(results):
    return {kind: [record.pk for record in records] for kind, records in results.items()}


def test_migrate_creates_every_search_index_and_pg_trgm():
    indexes = _search_indexes()
    assert set(indexes) == {name for name, *_ in migration.SEARCH_INDEXES}
    assert all(" USING gin " in definition for definition in indexes.values())
    assert sum("gin_trgm_ops" in definition for definition in indexes.values()) == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("kind", INDEXES)
@pytest.mark.parametrize("text", ["KEBS", "conformity assessment", "ISO/TC 207"])
def test_search_reads_the_indexes(casco_data, kind, text):
    # With the real data's few rows a sequential scan is cheaper. With it (and a filtered walk of
    # another index) turned off the planner still falls back to one unless each index's expression
    # is exactly the query's.
    _set_local("enable_seqscan = off", "enable_indexscan = off")
    queryset = _ranked(kind, text)
    assert queryset.db == "default"
    plan = queryset.explain()
    vector_index, substring_indexes = INDEXES[kind]
    assert "BitmapOr" in plan, plan
    for index in [vector_index, *substring_indexes]:
        assert f"Bitmap Index Scan on {index}" in plan, plan
    assert f"Bitmap Heap Scan on {queryset.model._meta.db_table}" in plan, plan


def test_results_and_order_are_the_same_with_and_without_the_indexes(casco_data):
    _set_local("enable_bitmapscan = off")
    without = {text: _pks(portal_search(text)) for text in QUERIES}
    _set_local("enable_bitmapscan = on", "enable_seqscan = off")
    assert {text: _pks(portal_search(text)) for text in QUERIES} == without
    assert any(any(pks for pks in results.values()) for results in without.values())


def test_exact_match_first_then_rank_then_natural_order(casco_data):
    _set_local("enable_seqscan = off")
    committees = [committee.reference for committee in portal_search("ISO/TC 207")["committees"]]
    assert committees[0] == "ISO/TC 207"
    assert "ISO/TC 207/SC 2" in committees
    assert [group.reference for group in portal_search("WG 30")["groups"]] == ["ISO/CASCO/WG 30"]
    assert [organization.acronym for organization in portal_search("KEBS")["organizations"]] == ["KEBS"]
    # The vector is filtered on, not returned with each record.
    assert not hasattr(portal_search("KEBS")["organizations"][0], "document")


def test_migration_reverses_and_reapplies():
    with connections["default"].schema_editor() as schema_editor:
        migration.drop_search_indexes(None, schema_editor)
        assert _search_indexes() == {}
        migration.create_search_indexes(None, schema_editor)
    assert len(_search_indexes()) == len(migration.SEARCH_INDEXES)
