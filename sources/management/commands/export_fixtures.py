from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from sources.fixtures import FIXTURE_NAME, dump_portal_data


class Command(BaseCommand):
    help = "Write fixtures/casco.json from the database (run after import_casco_pages on an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.FIXTURE_DIRS[0]) / f"{FIXTURE_NAME}.json"))

    def handle(self, *args, output, **options):
        Path(output).write_text(dump_portal_data(), encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
