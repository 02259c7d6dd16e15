import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.roles import secretariat_group_ensure

PASSWORD_VARIABLE = "SECRETARIAT_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Create a secretariat user: a staff user (not a superuser) in the Secretariat group, who can "
        "edit the portal's records in admin and nothing else. The password comes from the "
        f"{PASSWORD_VARIABLE} environment variable or is asked for. An existing user is made staff "
        "and added to the group; their password is changed only if one is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-input", action="store_true", help=f"Never prompt: the password must be in {PASSWORD_VARIABLE}."
        )

    def handle(self, *args, username, email, no_input, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = os.environ.get(PASSWORD_VARIABLE) or None
        if password is None and user is None:
            if no_input:
                raise CommandError(f"Give the new user's password in the {PASSWORD_VARIABLE} environment variable.")
            password = self._ask_password()
        candidate = user or User(username=username, email=email)
        if password is not None:
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from error
        with transaction.atomic():
            group, _ = secretariat_group_ensure()
            created = user is None
            if created:
                user = User.objects.create_user(username=username, email=email, password=password)
            else:
                if email:
                    user.email = email
                if password is not None:
                    user.set_password(password)
            user.is_staff = True
            user.is_active = True
            user.save()
            user.groups.add(group)
        if created:
            self.stdout.write(f"Created secretariat user “{username}” (staff, in the {group.name} group).")
        else:
            changed = " and set a new password" if password is not None else " (password unchanged)"
            self.stdout.write(f"Made “{username}” a secretariat user (staff, in the {group.name} group){changed}.")

    def _ask_password(self):
        if not self.stdin_is_interactive():
            raise CommandError(
                f"No terminal to ask for a password: give it in the {PASSWORD_VARIABLE} environment variable."
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        if not first:
            raise CommandError("A password is needed.")
        return first

    @staticmethod
    def stdin_is_interactive():
        import sys

        return sys.stdin.isatty()
