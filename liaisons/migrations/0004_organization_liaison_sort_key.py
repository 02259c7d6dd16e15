"""A copy of the organization's sort key on each organization liaison, for the model's order
(category, organization, id), with one index on the three: a page of the organization list is
read from the index instead of joining the organizations and sorting every liaison. Existing
rows (and their history) are filled from the organizations before the check constraint refusing
a blank key is added."""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


def fill_sort_keys(apps, schema_editor):
    """Set the sort key of every liaison and historical liaison from its organization (a
    historical row whose organization has since been deleted keeps a blank key)."""
    database = schema_editor.connection.alias if schema_editor else "default"
    Organization = apps.get_model("liaisons", "Organization")
    key = Organization.objects.using(database).filter(pk=OuterRef("organization_id")).values("sort_key")[:1]
    for name in ("OrganizationLiaison", "HistoricalOrganizationLiaison"):
        model = apps.get_model("liaisons", name)
        model.objects.using(database).update(organization_sort_key=Coalesce(Subquery(key), Value("")))


def sort_key_field():
    return models.CharField(default="", editable=False, max_length=120)


class Migration(migrations.Migration):
    dependencies = [
        ("liaisons", "0003_liaison_direction_indexes"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model, name="organization_sort_key", field=sort_key_field(), preserve_default=False
            )
            for model in ("organizationliaison", "historicalorganizationliaison")
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterModelOptions(
            name="organizationliaison",
            options={"ordering": ["category", "organization_sort_key", "id"]},
        ),
        migrations.AddIndex(
            model_name="organizationliaison",
            index=models.Index(fields=["category", "organization_sort_key", "id"], name="organizationliaison_order"),
        ),
        migrations.AddConstraint(
            model_name="organizationliaison",
            constraint=models.CheckConstraint(
                condition=~Q(organization_sort_key=""),
                name="organizationliaison_sort_key_set",
                violation_error_message="The organization's sort key was not copied onto the liaison.",
            ),
        ),
    ]
