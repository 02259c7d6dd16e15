from django.core.management.base import BaseCommand, CommandError

from committees.importer import ImportFailed, source_pages_import


class Command(BaseCommand):
    help = (
        "Import the ISO/CASCO source pages (by default the copies in fixtures/sources/): creates or "
        "updates records, reports what changed, and changes nothing at all if a page cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Source page files (text as published).")
        parser.add_argument(
            "--verbose-changes", action="store_true", help="List every record created, updated or removed."
        )

    def handle(self, *args, files, verbose_changes, **options):
        try:
            report = source_pages_import(paths=files or None)
        except ImportFailed as error:
            raise CommandError(f"Import refused, nothing was changed. {error}") from error
        if verbose_changes or options["verbosity"] > 1:
            for line in report.changes:
                self.stdout.write(f"  {line}")
        for line in report.summary_lines():
            self.stdout.write(line)
