"""Headers and transport in production mode.

Two ways, stated per test:
- PRODUCTION PROCESS: `manage.py check --deploy` and tests/casco_portal/prod_probe.py run in a fresh
  interpreter with DEBUG=false and a long SECRET_KEY (nothing else overridden), because the
  production settings (HSTS, Secure cookies, SSL redirect behind X-Forwarded-Proto) are computed
  when casco_portal.settings is imported. The probe uses a throw-away SQLite database.
- IN PROCESS: headers that do not depend on DEBUG (nosniff, Referrer-Policy, X-Frame-Options, CSP)
  and CSRF enforcement on session writes, read from the test client here."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/structure/", "/groups/", "/committees/", "/liaisons/", "/organizations/", "/meetings/"]


def production_env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser fixtures when they ran first in this process.
        if not key.startswith(("SECURE_", "DJANGO_SETTINGS", "DJANGO_ALLOW_ASYNC", "PUBLIC_CACHE", "TRUSTED_PROXY"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_LEVEL="CRITICAL",
        **extra,
    )
    return env


def test_check_deploy_reports_nothing_in_production(tmp_path):
    """PRODUCTION PROCESS."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    """PRODUCTION PROCESS."""
    env = production_env(tmp_path)
    env["SECRET_KEY"] = ""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    """PRODUCTION PROCESS: what tests/casco_portal/prod_probe.py saw (one run for the module)."""
    tmp_path = tmp_path_factory.mktemp("prod")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "casco_portal" / "prod_probe.py")],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_probe_ran_in_production_mode(probe):
    assert probe["debug"] is False


def test_plain_http_is_redirected_to_https(probe):
    assert probe["http_redirect"] == {"status": 301, "location": "https://testserver/groups/"}


@pytest.mark.parametrize("name", ["home", "groups", "api", "docs", "admin_login_page"])
def test_production_security_headers(probe, name):
    seen = probe[name]
    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp


def test_session_cookie_is_secure_and_httponly(probe):
    assert probe["login_with_token"] == {"status": 302, "location": "/admin/"}
    cookie = probe["session_cookie"]
    assert cookie["value"] and cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_csrf_cookie_is_secure(probe):
    cookie = probe["csrf_cookie"]
    assert cookie["value"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"


def test_production_session_writes_need_the_csrf_token_and_the_same_origin(probe):
    assert probe["login_without_token"] == 403
    assert probe["api_post_without_token"] == 403
    assert probe["api_post_with_token"] == 201
    assert probe["created_slug"]
    assert probe["api_post_foreign_origin"] == 403
    assert probe["admin_delete_without_token"] == 403


# IN PROCESS: the same header settings hold in development too (they do not depend on DEBUG).


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [*PAGES, "/api/v1/committees/", "/api/v1/docs/", "/api/v1/auth/login/", "/admin/login/"]
)
def test_every_page_carries_the_headers(casco_data, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_error_pages_carry_the_csp_in_production_settings(settings):
    """IN PROCESS with override of DEBUG: the CSP middleware skips 404/500 only in DEBUG."""
    settings.DEBUG = False
    response = Client().get("/groups/no-such-group/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response


def test_session_cookie_httponly_and_csrf_cookie_readable_by_no_script_setting():
    """IN PROCESS: the settings every mode shares."""
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.clickjacking.XFrameOptionsMiddleware" in settings.MIDDLEWARE
