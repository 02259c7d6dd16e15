from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sources.fixtures import FIXTURE_MODELS, FIXTURE_NAME


def portal_record_counts():
    """How many records of each kind the fixture holds are in the database (only those present)."""
    counts = {}
    for label in FIXTURE_MODELS:
        model = apps.get_model(label)
        if count := model._default_manager.count():
            counts[str(model._meta.verbose_name_plural if count > 1 else model._meta.verbose_name)] = count
    return counts


class Command(BaseCommand):
    help = (
        "Make the database ready to serve: apply migrations and, into a database holding no portal "
        "records at all, load the committed fixtures. Safe to run on every start: a database with any "
        "portal record (imported, loaded or entered by hand) is left as it is, and the command says "
        "what it found."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("ensure_secretariat_group", stdout=self.stdout)
        if found := portal_record_counts():
            listed = ", ".join(f"{count} {name}" for name, count in found.items())
            self.stdout.write(
                f"Found portal records ({listed}): left as they are, no fixture loaded. "
                "Use import_casco_pages to merge the source pages into them."
            )
        else:
            call_command("loaddata", FIXTURE_NAME, verbosity=0)
            self.stdout.write(f"Loaded the fixtures ({FIXTURE_NAME}.json).")
