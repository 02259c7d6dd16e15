"""API tokens that do not leak (api_tokens/): the key is stored nowhere (only its SHA-256 digest),
shown once when it is made (command or admin), expires, is named (several a user), can be revoked
from the admin and from a command, and an expired or revoked key is answered 401 saying which.
DRF's clear-text tokens are migrated, hashed, by api_tokens 0002."""

import hashlib
import runpy
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api_tokens.models import ApiToken
from api_tokens.services import api_token_create
from committees.models import Standard
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "casco_portal" / "settings.py"


@pytest.fixture
def tool():
    return get_user_model().objects.create_superuser("tool", "tool@example.org", "unused-pass-1234")


@pytest.fixture
def root_admin():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "unused-pass-1234"))
    return client


def api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def write(key, reference="ISO 99992"):
    return api(key).post("/api/v1/standards/", {"reference": reference, "title": "T"}, format="json")


def created_key(capsys, *args, **options):
    call_command("create_api_token", *args, **options)
    return capsys.readouterr().out.strip()


def table_cells():
    """Every cell of every row of the token table, read with SQL, as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(ApiToken._meta.db_table)}")  # noqa: S608
        return [str(cell) for row in cursor.fetchall() for cell in row]


# --- stored hashed, shown once ------------------------------------------------------------------


def test_the_key_is_in_no_column_of_the_token_table(tool, capsys):
    key = created_key(capsys, "tool", name="grid-sync tool")
    body = key.removeprefix("casco_")
    assert len(body) >= 40
    cells = table_cells()
    assert cells, "the token row is there"
    for cell in cells:
        assert key not in cell and body not in cell and body[:20] not in cell
    assert ApiToken.objects.get().digest == hashlib.sha256(key.encode()).hexdigest()
    assert write(key).status_code == 201


def test_the_command_shows_the_key_once_and_the_listing_never(tool, capsys):
    call_command("create_api_token", "tool", name="grid-sync tool")
    out, err = capsys.readouterr()
    key = out.strip()
    assert key.startswith("casco_") and " " not in key
    assert "shown only this once" in err and "grid-sync tool" in err
    call_command("list_api_tokens", all=True)
    listing = capsys.readouterr().out
    assert "grid-sync tool" in listing and "active" in listing and key not in listing
    assert write(key).status_code == 201


def test_bad_command_input_is_a_clear_error(tool, capsys):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_token", "nobody", name="x")
    with pytest.raises(CommandError, match="from 1 to 3650 days"):
        call_command("create_api_token", "tool", name="x", days=0)
    with pytest.raises(CommandError, match="Give the token a name"):
        call_command("create_api_token", "tool", name="   ")
    created_key(capsys, "tool", name="grid-sync tool")
    with pytest.raises(CommandError, match="already has an active token named “grid-sync tool”"):
        call_command("create_api_token", "tool", name="grid-sync tool")
    assert ApiToken.objects.count() == 1


# --- several a user, named ----------------------------------------------------------------------


def test_several_named_tokens_a_user_each_working_and_revoked_alone(tool, capsys):
    grid = created_key(capsys, "tool", name="grid-sync tool")
    report = created_key(capsys, "tool", name="report builder")
    assert grid != report
    assert write(grid, "ISO 99991").status_code == 201
    assert write(report, "ISO 99992").status_code == 201
    used = dict(ApiToken.objects.values_list("name", "last_used"))
    assert used["grid-sync tool"] is not None and used["report builder"] is not None
    call_command("revoke_api_token", "tool", name="grid-sync tool", verbosity=0)
    assert write(grid, "ISO 99993").status_code == 401
    assert write(report, "ISO 99994").status_code == 201
    # The name is free again once revoked.
    assert write(created_key(capsys, "tool", name="grid-sync tool"), "ISO 99995").status_code == 201


def test_a_name_may_be_reused_once_its_token_has_expired(tool):
    old, _ = api_token_create(user=tool, name="grid-sync tool")
    ApiToken.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=91), expires=timezone.now())
    new, key = api_token_create(user=tool, name="grid-sync tool")
    old.refresh_from_db()
    assert old.revoked is not None and new.revoked is None
    assert write(key).status_code == 201


def test_the_database_refuses_two_unrevoked_tokens_of_one_name(tool):
    from django.db import IntegrityError, transaction

    api_token_create(user=tool, name="grid-sync tool")
    twin = ApiToken(user=tool, name="grid-sync tool", digest="0" * 64, expires=timezone.now() + timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    with pytest.raises(ValidationError):
        twin.full_clean()


# --- expiry ---------------------------------------------------------------------------------------


def test_default_expiry_is_the_setting_and_days_overrides_it(tool, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    default, _ = api_token_create(user=tool, name="a")
    assert default.expires - default.created == timedelta(days=7)
    chosen, _ = api_token_create(user=tool, name="b", days=30)
    assert chosen.expires - chosen.created == timedelta(days=30)


def test_an_expired_token_is_refused_with_a_clear_401(tool):
    token, key = api_token_create(user=tool, name="grid-sync tool")
    assert write(key, "ISO 99991").status_code == 201
    past = timezone.now() - timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(created=past - timedelta(days=90), expires=past)
    response = write(key, "ISO 99992")
    assert response.status_code == 401
    assert response.json()["detail"].startswith(f"Token expired on {past:%Y-%m-%d %H:%M} UTC")
    assert response["WWW-Authenticate"] == "Token"
    assert api(key).get("/api/v1/standards/").status_code == 401  # reads too: a bad credential is never ignored
    assert list(Standard.objects.values_list("reference", flat=True)) == ["ISO 99991"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "API_TOKEN_TTL_DAYS must be a whole number, not 'abc'"),
        ("1.5", "API_TOKEN_TTL_DAYS must be a whole number, not '1.5'"),
        ("0", "API_TOKEN_TTL_DAYS must be at least 1, not '0'"),
        ("3651", "API_TOKEN_TTL_DAYS must be at most 3650 (ten years), not 3651"),
    ],
)
def test_a_bad_ttl_in_the_environment_is_a_clear_error(monkeypatch, value, message):
    monkeypatch.setenv("API_TOKEN_TTL_DAYS", value)
    with pytest.raises(ImproperlyConfigured) as raised:
        runpy.run_path(str(SETTINGS))
    assert message in str(raised.value)


def test_the_ttl_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_TOKEN_TTL_DAYS", "30")
    assert runpy.run_path(str(SETTINGS))["API_TOKEN_TTL_DAYS"] == 30
    monkeypatch.delenv("API_TOKEN_TTL_DAYS")
    assert runpy.run_path(str(SETTINGS))["API_TOKEN_TTL_DAYS"] == 90


# --- revocation ---------------------------------------------------------------------------------


def revoke_by_command(token, admin):
    call_command("revoke_api_token", token.user.username, verbosity=0)
    return "Token revoked on "


def revoke_by_command_name(token, admin):
    call_command("revoke_api_token", token.user.username, name=token.name, verbosity=0)
    return "Token revoked on "


def revoke_by_command_all(token, admin):
    call_command("revoke_api_token", token.user.username, all=True, verbosity=0)
    return "Token revoked on "


def revoke_by_admin_action(token, admin):
    response = admin.post(
        "/admin/api_tokens/apitoken/", {"action": "revoke_selected", "_selected_action": [token.pk]}, follow=True
    )
    assert "Revoked 1 token." in response.content.decode()
    return "Token revoked on "


def revoke_by_admin_delete(token, admin):
    response = admin.post(f"/admin/api_tokens/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    return "Invalid token."


@pytest.mark.parametrize(
    "revoke",
    [revoke_by_command, revoke_by_command_name, revoke_by_command_all, revoke_by_admin_action, revoke_by_admin_delete],
)
def test_a_revoked_token_is_refused_and_writes_nothing(tool, root_admin, revoke):
    token, key = api_token_create(user=tool, name="grid-sync tool")
    assert write(key).status_code == 201
    expected = revoke(token, root_admin)
    response = write(key, "ISO 99993")
    assert response.status_code == 401
    assert response.json()["detail"].startswith(expected)
    assert Standard.objects.count() == 1


def test_revoke_command_messages(tool, capsys):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("revoke_api_token", "nobody")
    with pytest.raises(CommandError, match="has no API token"):
        call_command("revoke_api_token", "tool")
    api_token_create(user=tool, name="a")
    api_token_create(user=tool, name="b")
    with pytest.raises(CommandError, match=r"has 2 API tokens \('a', 'b'\): say --name NAME or --all"):
        call_command("revoke_api_token", "tool")
    with pytest.raises(CommandError, match="no unrevoked API token named 'c'"):
        call_command("revoke_api_token", "tool", name="c")
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("revoke_api_token", "tool", "--name", "a", "--all")
    call_command("revoke_api_token", "tool", all=True)
    assert "Revoked 2 API tokens of tool" in capsys.readouterr().out
    assert not ApiToken.objects.active().exists()


def test_drf_create_token_still_issues_a_hashed_token(tool, capsys):
    call_command("drf_create_token", "tool")
    first = capsys.readouterr().out.split()[2]
    assert first not in "".join(table_cells())
    assert write(first, "ISO 99991").status_code == 201
    with pytest.raises(CommandError, match=r"cannot be shown again\. Pass -r"):
        call_command("drf_create_token", "tool")
    call_command("drf_create_token", "tool", reset=True)
    second = capsys.readouterr().out.split()[2]
    assert write(first, "ISO 99992").status_code == 401
    assert write(second, "ISO 99993").status_code == 201


def test_unknown_and_inactive_are_refused(tool):
    assert write("casco_" + "x" * 43).json() == {"detail": "Invalid token."}
    _token, key = api_token_create(user=tool, name="grid-sync tool")
    tool.is_active = False
    tool.save()
    response = write(key)
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_last_used_is_written_at_most_once_a_minute(tool):
    token, key = api_token_create(user=tool, name="grid-sync tool")
    client = api(key)
    assert client.get("/api/v1/standards/").status_code == 200
    token.refresh_from_db()
    first = token.last_used
    assert first is not None
    assert client.get("/api/v1/standards/").status_code == 200
    token.refresh_from_db()
    assert token.last_used == first


# --- admin -----------------------------------------------------------------------------------------


def test_the_admin_shows_the_key_once_and_never_the_secret(tool, root_admin):
    response = root_admin.post(
        "/admin/api_tokens/apitoken/add/", {"user": tool.pk, "name": "grid-sync tool", "days": "30"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert f'<code id="api-token-key">{key}</code>' in response.content.decode()
    token = ApiToken.objects.get()
    assert token.expires - token.created == timedelta(days=30)
    assert write(key).status_code == 201
    for url in ("/admin/api_tokens/apitoken/", f"/admin/api_tokens/apitoken/{token.pk}/change/"):
        page = root_admin.get(url).content.decode()
        assert "grid-sync tool" in page
        assert key not in page and key[6:20] not in page and token.digest not in page
    changelist = root_admin.get("/admin/api_tokens/apitoken/").content.decode()
    for column in ("column-name", "column-user", "column-created", "column-expires", "column-last_used"):
        assert column in changelist


def test_the_admin_add_form_refuses_bad_input(tool, root_admin):
    api_token_create(user=tool, name="grid-sync tool")
    response = root_admin.post(
        "/admin/api_tokens/apitoken/add/", {"user": tool.pk, "name": "grid-sync tool", "days": "0"}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "days" in errors and "name" in errors
    assert ApiToken.objects.count() == 1


def test_the_secretariat_cannot_see_or_make_tokens(tool):
    from core.roles import secretariat_group_ensure

    api_token_create(user=tool, name="grid-sync tool")
    group, _ = secretariat_group_ensure()
    secretary = get_user_model().objects.create_user("sec", password="unused-pass-1234", is_staff=True)
    secretary.groups.add(group)
    client = Client()
    client.force_login(secretary)
    for url in ("/admin/api_tokens/apitoken/", "/admin/api_tokens/apitoken/add/", "/admin/api_tokens/"):
        assert client.get(url).status_code in (403, 404), url
    assert "api_tokens" not in client.get("/admin/").content.decode()


def test_the_openapi_scheme_keeps_its_name():
    from drf_spectacular.generators import SchemaGenerator

    schemes = SchemaGenerator().get_schema(request=None, public=True)["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey"
    assert schemes["tokenAuth"]["name"] == "Authorization"
    assert "expire" in schemes["tokenAuth"]["description"]


# --- the migration of DRF's tokens ------------------------------------------------------------------


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_drf_tokens_are_migrated_hashed_and_keep_working(settings):
    """A database from before api_tokens, with DRF's authtoken_token table (its layout: key,
    created, user_id): after migrating, the old key works, is hashed, expires API_TOKEN_TTL_DAYS
    ahead, and the clear keys are gone from authtoken_token."""
    settings.API_TOKEN_TTL_DAYS = 90
    user = get_user_model().objects.create_user("legacy", password="unused-pass-1234", is_superuser=True)
    old_key = "0123456789abcdef0123456789abcdef01234567"
    migrate(("api_tokens", "0001_initial"))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                "created timestamp with time zone NOT NULL, user_id integer NOT NULL)"
            )
            cursor.execute(
                "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
                [old_key, "2025-01-02 03:04:05+00:00", user.pk],
            )
        migrate(("api_tokens", "0002_import_drf_tokens"))
        token = ApiToken.objects.get()
        assert token.user == user and token.name == "API token (migrated from DRF)"
        assert token.created.year == 2025
        assert abs(token.expires - (timezone.now() + timedelta(days=90))) < timedelta(minutes=5)
        assert token.digest == hashlib.sha256(old_key.encode()).hexdigest()
        assert not any(old_key in cell for cell in table_cells())
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            assert cursor.fetchone()[0] == 0
        assert write(old_key).status_code == 201
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS authtoken_token")
        migrate(("api_tokens", "0002_import_drf_tokens"))


def test_throttling_and_permissions_are_unchanged(tool, settings):
    """Token clients are authenticated: the anonymous limit does not apply to them, and a token
    carries its user's permissions, nothing more."""
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    cache.clear()
    _token, key = api_token_create(user=tool, name="grid-sync tool")
    assert [api(key).get("/api/v1/standards/").status_code for _ in range(4)] == [200] * 4
    assert [APIClient().get("/api/v1/standards/").status_code for _ in range(3)] == [200, 200, 429]
    reader = get_user_model().objects.create_user("reader", password="unused-pass-1234")
    _token, reader_key = api_token_create(user=reader, name="read only")
    assert write(reader_key).status_code == 403
    assert not Standard.objects.exists()
    cache.clear()
