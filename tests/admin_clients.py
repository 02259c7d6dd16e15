"""Users and clients for admin tests: a secretariat user (staff, in the Secretariat group made by
the roles command), a staff user outside the group, and helpers to post admin forms."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

# The fixtures a test module gets with `from tests.admin_clients import *`: they were
# the conftest of one folder, and the modules that use them now live with the app they test.
__all__ = ["secretariat_client", "secretariat_group", "secretariat_user", "staff_client", "staff_user"]


@pytest.fixture
def secretariat_group(db):
    from django.contrib.auth.models import Group

    call_command("ensure_secretariat_group", verbosity=0)
    return Group.objects.get(name="Secretariat")


@pytest.fixture
def secretariat_user(secretariat_group):
    user = get_user_model().objects.create_user("sec", email="sec@example.org", password="not-used-here-9431")
    user.is_staff = True
    user.save()
    user.groups.add(secretariat_group)
    return user


@pytest.fixture
def staff_user(db):
    """Staff (may log in to admin) but outside the Secretariat group, with no permissions."""
    user = get_user_model().objects.create_user("staff", password="not-used-here-9431")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
