"""The meetings' order (year, newest first, then start date, undated meetings last on every
database, then slug) and an index in that order: the home page's latest meeting and a page of
the list read it instead of joining and sorting every meeting."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('committees', '0006_committee_sort_indexes'),
        ('liaisons', '0004_organization_liaison_sort_key'),
        ('meetings', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='meeting',
            options={'ordering': [models.OrderBy(models.F('year'), descending=True), models.OrderBy(models.F('start_date'), nulls_last=True), 'slug']},
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['-year', 'start_date', 'slug'], name='meeting_order'),
        ),
    ]
