"""Revoke a user's API token: `manage.py revoke_api_token <username>`. The next request with it is
answered 401. A superuser issues a new one with `manage.py drf_create_token <username>`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Delete the API token of a user, so requests made with it are refused (401)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        users = get_user_model().objects
        if not users.filter(username=username).exists():
            raise CommandError(f"No user named {username!r}.")
        deleted, _ = Token.objects.filter(user__username=username).delete()
        if not deleted:
            raise CommandError(f"{username!r} has no API token; nothing to revoke.")
        self.stdout.write(f"Revoked the API token of {username}.")
