from django.core.management.base import BaseCommand

from core.roles import SECRETARIAT_GROUP_NAME, secretariat_group_ensure


class Command(BaseCommand):
    help = (
        f"Create the “{SECRETARIAT_GROUP_NAME}” group with add/change/delete/view permissions on the "
        "portal's records (and view on their history) and nothing else. Safe to run again: it only "
        "adds what is missing and removes permissions that do not belong."
    )

    def handle(self, *args, **options):
        group, report = secretariat_group_ensure()
        if options["verbosity"] < 1:
            return
        if report.created:
            self.stdout.write(f"Created the {group.name} group with {report.total} permissions.")
        elif report.added or report.removed:
            self.stdout.write(
                f"Updated the {group.name} group: {len(report.added)} permissions added, "
                f"{len(report.removed)} removed ({report.total} in all)."
            )
        else:
            self.stdout.write(f"The {group.name} group is up to date ({report.total} permissions).")
        if options["verbosity"] > 1:
            for name in report.added:
                self.stdout.write(f"  + {name}")
            for name in report.removed:
                self.stdout.write(f"  - {name}")
