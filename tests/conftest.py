"""Shared fixtures. `casco_data` loads the committed fixtures (the real data); browser tests use
`browser_page`, which drives Debian's Chromium and fails, rather than skips, under CI=true."""

import os
import shutil

import pytest
from django.core.management import call_command

from tests.support import unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _public_cache_off_and_empty(settings):
    """Each test starts with an empty cache and the public response cache off, so no test sees
    pages cached by another; tests of the cache itself turn it on (tests/casco_portal/test_cache.py)."""
    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


DATA_FIXTURES = {"casco_data", "casco", "ten_times_data"}
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _casco_load():
    call_command("loaddata", "casco", verbosity=0)


def _portal_tables():
    """The tables of the portal's records: models, their history and their many-to-many rows."""
    from core.registry import portal_models

    tables = []
    for model in portal_models(history=True):
        tables.append(model._meta.db_table)
        tables.extend(
            field.remote_field.through._meta.db_table
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        )
    return tables


def _portal_empty():
    """Delete every row of the portal's tables, in one transaction (foreign keys are checked at
    its end, so the order does not matter); inside a test's transaction the rollback brings them
    back. On PostgreSQL the deferred checks are run at once: left pending, they refuse the schema
    changes a migration test makes ("pending trigger events")."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in _portal_tables():
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (model tables)
        if connection.vendor == "postgresql":
            connection.check_constraints()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the real data loaded once per session (per xdist worker): it is
    at rest under every test's rolled-back transaction instead of loaded by each test."""
    with django_db_blocker.unblock():
        _casco_load()


_FLUSHED = pytest.StashKey[bool]()  # on a test: it committed, and pytest-django flushes after it


@pytest.fixture(autouse=True)
def _portal_data(request):
    """A test that uses the database sees the real data if it asks for it (`casco_data`, `casco`,
    `ten_times_data`) and empty portal tables otherwise, as when each test loaded the data.

    Non-transactional tests empty the tables inside their own transaction (rolled back after).
    Transactional tests (`transactional_db`, `live_server`, `django_db(transaction=True)`) commit:
    those that do not ask for the data empty the tables first, and as pytest-django flushes the
    database after each of them, the data is loaded again once that flush is done
    (`pytest_runtest_teardown` below) for the tests that follow."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not (marker or names & DB_FIXTURES):
        yield
        return
    transactional = bool(names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")))
    request.getfixturevalue("transactional_db" if transactional else "db")
    request.node.stash[_FLUSHED] = transactional
    if not names & DATA_FIXTURES:
        _portal_empty()
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's fixtures are torn down, pytest-django's flush among them, load
    the data again (not in `_portal_data`'s own teardown: for a test marked
    `django_db(transaction=True)` the flush is torn down after it, and the data was lost for the
    rest of the worker's run, each later test loading it again inside its own transaction)."""
    result = yield
    if item.stash.get(_FLUSHED, False) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _casco_load()
    return result


@pytest.fixture
def casco_data(db):
    """The real data: the fixtures the importer produced from the two source pages, loaded once
    per session (`django_db_setup`) and again after each test that commits. It is always at rest
    under the test's transaction: if it is not, a test before this one committed its removal, and
    loading it here would cost every later test a load (as a flush after the reload once did)."""
    from committees.models import Committee

    if not Committee.objects.exists():
        pytest.fail("The real data is not in the database: a test before this one removed it and committed.")


@pytest.fixture
def casco(casco_data):
    from committees.models import CASCO_REFERENCE, Committee

    return Committee.objects.get(reference=CASCO_REFERENCE)


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        unavailable("the playwright package is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir():
    """Where browser tests save screenshots (kept after the run; git ignores it)."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def ten_times_data(casco_data):
    """The real data plus nine times its volume of synthetic records: ten times the real data,
    for tests that pin query counts on lists of realistic size."""
    from sources.synthetic import synthetic_data_create

    return synthetic_data_create(factor=9)


@pytest.fixture
def page_text():
    """The visible text of a response, tags removed and white space collapsed."""
    import re
    from html import unescape

    def text(response):
        body = response.content.decode()
        body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())

    return text
