"""Sort keys rewritten in the bounded encoding of ``natural_sort_key``: each number is its length
in two digits then its digits ("TC 207" -> "tc 03207"), where it was padded to eight digits
("tc 00000207"), which overflowed the column for references with many numbers. The records'
and their history rows' keys are recomputed; the liaisons' copies follow in liaisons 0005."""

from django.db import migrations

from committees.migrations._bounded_sort_keys import rewrite_keys


def rewrite(apps, schema_editor):
    names = ("Committee", "HistoricalCommittee", "Group", "HistoricalGroup", "Standard", "HistoricalStandard")
    rewrite_keys(apps, schema_editor, "committees", names, "reference")


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0006_committee_sort_indexes"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
