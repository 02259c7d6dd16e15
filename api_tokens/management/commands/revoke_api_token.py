"""`manage.py revoke_api_token <username> [--name NAME | --all]`: revoke a user's API tokens; the
next request with one is answered 401 “Token revoked”. Without --name or --all it revokes the
user's token when there is one (the command's behaviour when each user had a single token) and
asks which when there are several. A new one: `manage.py create_api_token`."""

from django.core.management.base import BaseCommand, CommandError

from api_tokens.management.commands._common import user_named
from api_tokens.models import ApiToken
from api_tokens.services import api_tokens_revoke


class Command(BaseCommand):
    help = "Revoke a user's API token(s), so requests made with them are refused (401)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--name", help="Revoke the token with this name.")
        which.add_argument("--all", action="store_true", help="Revoke every token of the user.")

    def handle(self, *args, username, name, all, **options):
        user = user_named(username)
        tokens = ApiToken.objects.filter(user=user).unrevoked()
        if name is not None:
            tokens = tokens.filter(name=name)
            if not tokens.exists():
                raise CommandError(f"{username!r} has no unrevoked API token named {name!r}; nothing to revoke.")
        elif not all:
            names = sorted(tokens.values_list("name", flat=True))
            if len(names) > 1:
                listed = ", ".join(repr(n) for n in names)
                raise CommandError(f"{username!r} has {len(names)} API tokens ({listed}): say --name NAME or --all.")
        revoked = api_tokens_revoke(tokens=tokens)
        if not revoked:
            raise CommandError(f"{username!r} has no API token; nothing to revoke.")
        if options["verbosity"] >= 1:
            self.stdout.write(f"Revoked {revoked} API token{'s' if revoked != 1 else ''} of {username}.")
