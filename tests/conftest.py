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


@pytest.fixture
def casco_data(db):
    """The real data: the fixtures the importer produced from the two source pages."""
    call_command("loaddata", "casco", verbosity=0)


@pytest.fixture
def casco(casco_data):
    from committees.models import Committee

    return Committee.objects.casco()


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
