"""The committed fixture: the importer's result, dumped with natural keys so it loads into any
database and can be compared record by record with a fresh import."""

import io
import json

from django.core.management import call_command

FIXTURE_NAME = "casco"
FIXTURE_MODELS = [
    "committees.sourcepage",
    "committees.committee",
    "committees.termofreference",
    "liaisons.organization",
    "committees.standard",
    "committees.group",
    "committees.groupstandard",
    "liaisons.committeeliaison",
    "liaisons.organizationliaison",
    "liaisons.categorynote",
    "liaisons.groupparticipation",
    "meetings.meeting",
    "meetings.meetinggroup",
    # What the pages said at the import (the importer's merge base) and their text: a later
    # import of the same pages into the loaded fixture is a re-import that changes nothing.
    "committees.sourcepageversion",
    "committees.importsnapshot",
]
# When a record was imported or saved is not part of what the pages say.
TIMESTAMP_FIELDS = {"imported_at", "created_at", "updated_at"}


def dump_portal_data():
    out = io.StringIO()
    call_command(
        "dumpdata",
        *FIXTURE_MODELS,
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        stdout=out,
    )
    return out.getvalue()


def comparable(fixture_text):
    """The fixture's records without timestamps, as a sorted list (for equality checks)."""
    records = []
    for record in json.loads(fixture_text):
        fields = {k: v for k, v in record["fields"].items() if k not in TIMESTAMP_FIELDS}
        records.append(json.dumps({"model": record["model"], "fields": fields}, sort_keys=True))
    return sorted(records)
