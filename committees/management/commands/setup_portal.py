from django.core.management import call_command
from django.core.management.base import BaseCommand

from committees.fixtures import FIXTURE_NAME
from committees.models import SourcePage


class Command(BaseCommand):
    help = (
        "Make the database ready to serve: apply migrations and, if no source data is loaded yet, "
        "load the committed fixtures. Safe to run on every start: it never overwrites edited data."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("ensure_secretariat_group", stdout=self.stdout)
        if SourcePage.objects.exists():
            self.stdout.write("Source data already loaded; left as it is.")
        else:
            call_command("loaddata", FIXTURE_NAME, verbosity=0)
            self.stdout.write(f"Loaded the fixtures ({FIXTURE_NAME}.json).")
