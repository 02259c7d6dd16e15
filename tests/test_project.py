"""Project-wide checks that belong in the test command: lint, migrations, set-up, home page."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from core.registry import portal_app_labels

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_portal_apps_are_committees_liaisons_and_meetings():
    """The one list of the apps holding the portal's records (core/registry.py), which history,
    roles, delete rules, the data version and the tests read."""
    assert portal_app_labels() == ("committees", "liaisons", "meetings")


@pytest.mark.django_db
def test_no_model_change_without_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_setup_portal_loads_the_data_once_and_never_overwrites_edits(capsys):
    from committees.models import Group

    call_command("setup_portal")
    assert "Loaded the fixtures" in capsys.readouterr().out
    assert Group.objects.count() == 17
    Group.objects.filter(reference="ISO/CASCO/WG 30").update(title="Edited by the secretariat")
    call_command("setup_portal")
    assert "left as they are, no fixture loaded" in capsys.readouterr().out
    assert Group.objects.get(reference="ISO/CASCO/WG 30").title == "Edited by the secretariat"


@pytest.mark.django_db
def test_setup_portal_leaves_hand_entered_records_without_a_source_page_alone(capsys):
    """A database the secretariat filled by hand (no SourcePage): setup_portal used to load the
    fixtures over it, overwriting the committees and groups they share."""
    from committees.models import Committee, Group, SourcePage
    from tests.factories import CommitteeFactory, GroupFactory

    casco = CommitteeFactory(reference="ISO/CASCO", title="Entered by hand")
    GroupFactory(reference="ISO/CASCO/WG 30", title="Entered by hand too", committee=casco)
    call_command("setup_portal")
    out = capsys.readouterr().out
    assert "Found portal records (1 committee, 1 group): left as they are, no fixture loaded." in out
    assert not SourcePage.objects.exists()
    assert list(Committee.objects.values_list("reference", "title")) == [("ISO/CASCO", "Entered by hand")]
    assert list(Group.objects.values_list("title", flat=True)) == ["Entered by hand too"]


@pytest.mark.django_db
def test_the_synthetic_data_is_marked_and_removable(casco_data, capsys):
    from committees.models import Committee, Group

    call_command("synthetic_data", factor=1)
    assert Committee.objects.count() == 56 * 2
    assert Group.objects.count() == 17 * 2
    call_command("synthetic_data", remove=True)
    assert Committee.objects.count() == 56
    assert Group.objects.count() == 17


def test_settings_refuse_production_without_a_secret_key():
    env = {"DEBUG": "false", "SECRET_KEY": "", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='casco_portal.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_tests_fast_password_hashes_are_checked_by_the_production_hasher():
    """tests/settings.py hashes with one PBKDF2 round; production keeps Django's hashers, and its
    PBKDF2 hasher reads the rounds from the hash, so servers started on production settings log
    the tests' users in."""
    from django.conf import settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

    from tests.settings import OneRoundPBKDF2PasswordHasher

    result = subprocess.run(
        [sys.executable, "-c", "import casco_portal.settings as s; print(hasattr(s, 'PASSWORD_HASHERS'))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"  # production: Django's default hashers, PBKDF2 first
    assert settings.PASSWORD_HASHERS == ["tests.settings.OneRoundPBKDF2PasswordHasher"]
    encoded = make_password("a-password-1234")
    assert encoded.startswith("pbkdf2_sha256$1$")
    assert PBKDF2PasswordHasher().verify("a-password-1234", encoded)
    assert not PBKDF2PasswordHasher().verify("another-password", encoded)
    assert OneRoundPBKDF2PasswordHasher.iterations < PBKDF2PasswordHasher.iterations
