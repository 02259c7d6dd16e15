"""`manage.py drf_create_token [-r] <username>`: DRF's command, kept for scripts that call it, now
issuing a hashed token named “drf_create_token” (see create_api_token, which it stands for).

DRF's printed an existing token again; a hashed one cannot be shown twice, so without -r a user
who already has an active “drf_create_token” token gets an error saying to pass -r (revoke it and
issue a new one) or to use create_api_token with another name."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api_tokens.management.commands._common import user_named, validation_message
from api_tokens.models import ApiToken
from api_tokens.services import api_token_create, api_tokens_revoke

NAME = "drf_create_token"


class Command(BaseCommand):
    help = "Deprecated alias of create_api_token: issue a hashed API token named “drf_create_token”."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("-r", "--reset", action="store_true", help="Revoke the user's previous such token.")

    def handle(self, *args, username, reset, **options):
        user = user_named(username)
        previous = ApiToken.objects.filter(user=user, name=NAME).active()
        if previous.exists():
            if not reset:
                raise CommandError(
                    f"{username!r} already has an API token named {NAME!r}; its key is stored hashed and cannot "
                    "be shown again. Pass -r to revoke it and issue a new one, or use create_api_token --name."
                )
            api_tokens_revoke(tokens=previous)
        try:
            _token, key = api_token_create(user=user, name=NAME)
        except ValidationError as error:
            raise CommandError(validation_message(error)) from None
        self.stdout.write(f"Generated token {key} for user {username}")
