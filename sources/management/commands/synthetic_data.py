from django.core.management.base import BaseCommand, CommandError

from sources.synthetic import synthetic_data_create, synthetic_data_remove


class Command(BaseCommand):
    help = (
        "Add N times the real data's volume of synthetic records (for benchmarks), or remove them. "
        "Synthetic records all belong to the source page 'synthetic-data'."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--factor", type=int, help="N: add N times as many records as the real data has.")
        group.add_argument("--remove", action="store_true", help="Delete every synthetic record.")

    def handle(self, *args, factor=None, remove=False, **options):
        if remove:
            self.stdout.write(f"Removed {synthetic_data_remove()} synthetic rows.")
            return
        if factor is None or factor < 1 or factor > 1000:
            raise CommandError("--factor must be a whole number from 1 to 1000.")
        counts = synthetic_data_create(factor=factor)
        self.stdout.write("Created synthetic " + ", ".join(f"{n} {label}" for label, n in counts.items()) + ".")
