from django.core.management.base import BaseCommand, CommandError

from sources.importer import ImportFailed, source_pages_import


class Command(BaseCommand):
    help = (
        "Import the ISO/CASCO source pages (by default the copies in fixtures/sources/) as a merge: "
        "applies what the pages changed since their last import, keeps the secretariat's edits, "
        "reports conflicts and what the pages no longer list, and changes nothing at all if a page "
        "cannot be read. --dry-run shows what it would do."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Source page files (text as published).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the import would create, change, keep and report, and change nothing.",
        )
        parser.add_argument(
            "--remove-missing",
            action="store_true",
            help="Remove what the pages listed at their last import and no longer list (records the "
            "pages created, and only where nothing else refers to them).",
        )
        parser.add_argument(
            "--verbose-changes",
            action="store_true",
            help="List every record created, updated or removed (a dry run always lists them).",
        )

    def handle(self, *args, files, dry_run, remove_missing, verbose_changes, **options):
        try:
            report = source_pages_import(paths=files or None, dry_run=dry_run, remove_missing=remove_missing)
        except ImportFailed as error:
            raise CommandError(f"Import refused, nothing was changed. {error}") from error
        if dry_run or verbose_changes or options["verbosity"] > 1:
            lines = report.detail_lines()
        else:
            lines = [*report.conflicts, *report.kept, *report.missing]
        for line in lines:
            self.stdout.write(f"  {line}")
        for line in report.summary_lines():
            self.stdout.write(line)
