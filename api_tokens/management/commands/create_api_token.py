"""`manage.py create_api_token <username> --name "grid-sync tool" [--days N]`: issue an API token
and print its key, the only time it is shown (the portal stores a digest of it)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api_tokens.management.commands._common import user_named, validation_message
from api_tokens.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create a named API token for a user and print its key once (only a digest is stored). "
        "It expires after --days days (default: the API_TOKEN_TTL_DAYS setting, 90)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What uses the token, e.g. “grid-sync tool”.")
        parser.add_argument("--days", type=int, help="Days until it expires (default API_TOKEN_TTL_DAYS).")

    def handle(self, *args, username, name, days, **options):
        user = user_named(username)
        try:
            token, key = api_token_create(user=user, name=name, days=days)
        except ValidationError as error:
            raise CommandError(validation_message(error)) from None
        self.stdout.write(key)
        self.stderr.write(
            f"Created API token “{token.name}” for {user.username}, expiring {token.expires:%Y-%m-%d %H:%M} UTC. "
            "The key above is shown only this once: store it now. Use it as `Authorization: Token <key>`."
        )
