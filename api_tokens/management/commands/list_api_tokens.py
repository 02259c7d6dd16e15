"""`manage.py list_api_tokens [username] [--all]`: the API tokens, without their keys (not stored)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from api_tokens.management.commands._common import user_named
from api_tokens.models import ApiToken, TokenStatus


def _when(moment):
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"


class Command(BaseCommand):
    help = "List API tokens (user, name, created, expires, last used, status); revoked ones with --all."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--all", action="store_true", help="Include revoked tokens.")

    def handle(self, *args, username, all, **options):
        tokens = ApiToken.objects.for_listing()
        if username:
            tokens = tokens.filter(user=user_named(username))
        if not all:
            tokens = tokens.unrevoked()
        now = timezone.now()
        rows = [
            (t.user.username, t.name, _when(t.created), _when(t.expires), _when(t.last_used), t.status(now).label)
            for t in tokens
        ]
        if not rows:
            self.stdout.write("No API tokens.")
            return
        header = ("user", "name", "created", "expires (UTC)", "last used", "status")
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
        active = sum(1 for row in rows if row[-1] == TokenStatus.ACTIVE.label)
        self.stdout.write(f"{len(rows)} token{'s' if len(rows) != 1 else ''}, {active} active.")
