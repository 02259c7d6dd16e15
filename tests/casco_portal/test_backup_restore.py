"""Backup and restore, exactly as the README documents them: pg_dump of a portal database,
pg_restore into an empty database, and every row of every table — records, history rows, users,
tokens — identical afterwards (sequences included, so new records get fresh ids)."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import unavailable

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def databases():
    import psycopg2

    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            unavailable(f"{tool} is not installed")
    try:
        admin = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}")
    admin.autocommit = True
    suffix = secrets.token_hex(4)
    names = [f"casco_backup_{suffix}", f"casco_restored_{suffix}"]
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield [f"{base}/{name}" for name in names]
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _table_contents(url):
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        contents = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
            contents[table] = cursor.fetchall()
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")
        contents["<sequences>"] = cursor.fetchall()
    return contents


def test_dump_and_restore_into_an_empty_database_keeps_every_row(databases, tmp_path):
    source, target = databases
    env = {**os.environ, "DATABASE_URL": source, "PUBLIC_CACHE_SECONDS": "0"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "setup_portal"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*manage, "import_casco_pages"], cwd=ROOT, env=env, check=True, capture_output=True)
    # Some secretariat work, so that history rows, users and tokens exist too.
    script = (
        "from django.contrib.auth.models import User;"
        "from api_tokens.services import api_token_create;"
        "from committees.models import Group;"
        "user = User.objects.create_user('secretary', password='p' * 20, is_staff=True);"
        "group = Group.objects.get(reference='ISO/CASCO/WG 30');"
        "group.title = 'Edited before the backup'; group._history_user = user; group.save();"
        "print(api_token_create(user=user, name='backup test')[1])"
    )
    made = subprocess.run(
        [*manage, "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    key = made.stdout.strip().splitlines()[-1]

    dump = tmp_path / "casco.dump"
    # The commands the README gives under "Backup and restore".
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], check=True)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)], check=True)

    before, after = _table_contents(source), _table_contents(target)
    assert set(after) == set(before)
    assert before["committees_historicalgroup"], "history rows were part of the backup"
    assert before["api_tokens_apitoken"]
    # A leaked backup holds no usable API token: only digests of the keys (api_tokens/models.py).
    plain = subprocess.run(["pg_dump", "--data-only", source], check=True, capture_output=True, text=True).stdout
    assert key not in plain
    assert key[len("casco_") :] not in plain
    for table in before:
        assert after[table] == before[table], table

    # The restored database serves: the edited title is there and migrations are complete.
    check = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from api_tokens.models import ApiToken; from committees.models import Group;"
            f"print(ApiToken.objects.active().for_key({key!r}).exists());"
            "print(Group.objects.get(reference='ISO/CASCO/WG 30').title)",
        ],
        cwd=ROOT,
        env={**env, "DATABASE_URL": target},
        check=True,
        capture_output=True,
        text=True,
    )
    assert check.stdout.strip().endswith("True\nEdited before the backup")  # the restored token works
    migrations = subprocess.run(
        [*manage, "migrate", "--check"], cwd=ROOT, env={**env, "DATABASE_URL": target}, capture_output=True, check=False
    )
    assert migrations.returncode == 0
