"""Copies of the two committees' sort keys on each committee liaison, the model's order, with one
index on the pair: a page of liaisons is read from the index instead of joining both committees
and sorting every matching liaison. Existing rows (and their history) are filled from the
committees before the check constraint refusing blank keys is added."""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

SORT_KEY_FIELDS = {"committee_sort_key": "committee", "liaison_committee_sort_key": "liaison_committee"}


def fill_sort_keys(apps, schema_editor):
    """Set both sort keys of every liaison and historical liaison from its committees (a
    historical row whose committee has since been deleted keeps a blank key)."""
    database = schema_editor.connection.alias if schema_editor else "default"
    Committee = apps.get_model("committees", "Committee")

    def key_of(field):
        committee = Committee.objects.using(database).filter(pk=OuterRef(f"{field}_id")).values("sort_key")[:1]
        return Coalesce(Subquery(committee), Value(""))

    for name in ("CommitteeLiaison", "HistoricalCommitteeLiaison"):
        model = apps.get_model("liaisons", name)
        model.objects.using(database).update(**{key: key_of(field) for key, field in SORT_KEY_FIELDS.items()})


def sort_key_field():
    return models.CharField(default="", editable=False, max_length=250)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0004_count_limits"),
        ("liaisons", "0001_initial"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=model, name=name, field=sort_key_field(), preserve_default=False)
            for model in ("committeeliaison", "historicalcommitteeliaison")
            for name in SORT_KEY_FIELDS
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterModelOptions(
            name="committeeliaison",
            options={"ordering": ["committee_sort_key", "liaison_committee_sort_key"]},
        ),
        migrations.AddIndex(
            model_name="committeeliaison",
            index=models.Index(
                fields=["committee_sort_key", "liaison_committee_sort_key"], name="committeeliaison_sort_keys"
            ),
        ),
        migrations.AddConstraint(
            model_name="committeeliaison",
            constraint=models.CheckConstraint(
                condition=~Q(committee_sort_key="") & ~Q(liaison_committee_sort_key=""),
                name="committeeliaison_sort_keys_set",
                violation_error_message="The committees' sort keys were not copied onto the liaison.",
            ),
        ),
    ]
