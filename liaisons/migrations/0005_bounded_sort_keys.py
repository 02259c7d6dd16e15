"""Organizations' sort keys rewritten in the bounded encoding (see committees 0007), and the
liaisons' copies of their committees' and organizations' keys refreshed from the records."""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from committees.migrations._bounded_sort_keys import rewrite_keys


def rewrite(apps, schema_editor):
    database = schema_editor.connection.alias
    rewrite_keys(
        apps, schema_editor, "liaisons", ("Organization", "HistoricalOrganization"), "acronym"
    )
    Committee = apps.get_model("committees", "Committee")
    Organization = apps.get_model("liaisons", "Organization")

    def key_of(model, column):
        return Coalesce(Subquery(model.objects.using(database).filter(pk=OuterRef(column)).values("sort_key")[:1]), Value(""))

    for name in ("CommitteeLiaison", "HistoricalCommitteeLiaison"):
        apps.get_model("liaisons", name).objects.using(database).update(
            committee_sort_key=key_of(Committee, "committee_id"),
            liaison_committee_sort_key=key_of(Committee, "liaison_committee_id"),
        )
    for name in ("OrganizationLiaison", "HistoricalOrganizationLiaison"):
        apps.get_model("liaisons", name).objects.using(database).update(
            organization_sort_key=key_of(Organization, "organization_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0007_bounded_sort_keys"),
        ("liaisons", "0004_organization_liaison_sort_key"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
