"""Indexes for committees.search on PostgreSQL: a GIN index on each kind's weighted tsvector and
a trigram GIN index (pg_trgm) on each field matched as a substring, so that
``vector @@ query OR UPPER(field) LIKE '%text%'`` is a BitmapOr of index scans instead of a
sequential scan computing every row's tsvector.

The planner uses an expression index only when the query's expression is the same, so each
expression below is what Django compiles the search's ``SearchVector(..., weight=..., config=
"english")`` and ``field__icontains`` to; tests/committees/test_search_indexes.py checks that
the queries still use them. Meetings are left out: their vector takes the host organization's
name from a join, which no index on one table can hold, and they are a few hundred rows.

Nothing here changes the models' state, and on other databases (SQLite in development) the
migration does nothing. Reversing it drops the indexes and leaves the pg_trgm extension in place."""

from django.db import migrations

# (index name, table, expression, operator class)
SEARCH_INDEXES = [
    (
        "committees_committee_search_gin",
        "committees_committee",
        """setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')""",
        "",
    ),
    ("committees_committee_reference_trgm", "committees_committee", 'UPPER("reference"::text)', "gin_trgm_ops"),
    (
        "committees_group_search_gin",
        "committees_group",
        """(setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')"""
        """ || setweight(to_tsvector('english'::regconfig, COALESCE("description", '')), 'C'))""",
        "",
    ),
    ("committees_group_reference_trgm", "committees_group", 'UPPER("reference"::text)', "gin_trgm_ops"),
    (
        "committees_standard_search_gin",
        "committees_standard",
        """setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')""",
        "",
    ),
    ("committees_standard_reference_trgm", "committees_standard", 'UPPER("reference"::text)', "gin_trgm_ops"),
    ("committees_standard_abbreviation_trgm", "committees_standard", 'UPPER("abbreviation"::text)', "gin_trgm_ops"),
    (
        "liaisons_organization_search_gin",
        "liaisons_organization",
        """(setweight(to_tsvector('english'::regconfig, COALESCE("name", '')), 'A')"""
        """ || setweight(to_tsvector('english'::regconfig, COALESCE("description", '') || ' ' || COALESCE("country", '')), 'C'))""",
        "",
    ),
    ("liaisons_organization_acronym_trgm", "liaisons_organization", 'UPPER("acronym"::text)', "gin_trgm_ops"),
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression, opclass in SEARCH_INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (({expression}) {opclass})')


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression, _opclass in SEARCH_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0004_count_limits"),
        ("liaisons", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
