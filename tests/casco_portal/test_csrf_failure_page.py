"""A form refused by the CSRF check gets the portal's own 403 page (CSRF_FAILURE_VIEW,
casco_portal.errors.csrf_failure, templates/403_csrf.html): the site's stylesheet and layout, plain
words about what happened and a link back to the form, the Content-Security-Policy header, nothing
inline (Django's own page styles itself with an inline <style>, which the policy blocks), and no
internals unless DEBUG is on. Under /api/ a client that does not ask for HTML gets JSON."""

import re

import pytest
from django.test import Client

from tests.factories import CommitteeFactory, UserFactory
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
INLINE = [
    re.compile(r"<style", re.IGNORECASE),
    re.compile(r"\sstyle\s*=", re.IGNORECASE),
    re.compile(r"<script(?![^>]*\ssrc=)", re.IGNORECASE),  # a script without src is inline
    re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),  # onclick=, onload=, …
    re.compile(r"javascript:", re.IGNORECASE),
]
INTERNALS = ["CSRF_", "DEBUG", "Traceback", "settings.py", "csrfmiddlewaretoken", "CSRF token"]


def refused_page(response):
    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403_csrf.html", "base.html"]
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "The form could not be sent" in page
    assert "Nothing was saved" in page and "expired" in page and "cookies" in page
    assert "/static/css/portal.css" in page  # the site's own stylesheet, a file
    assert 'class="site-header"' in page  # the site's own layout
    for pattern in INLINE:
        assert not pattern.search(page), pattern.pattern
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["style-src"] == "'self'" and directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in csp
    assert "no-store" in response["Cache-Control"]
    return page


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def staff(db):
    return UserFactory(role="superuser")


@pytest.mark.parametrize("debug", [False, True])
def test_admin_login_without_token_gets_the_portals_403_page(strict_client, settings, debug):
    settings.DEBUG = debug
    response = strict_client.post(
        "/admin/login/?next=/admin/", {"username": "someone", "password": "something"}, **HTML
    )
    page = refused_page(response)
    assert 'href="/admin/login/?next=/admin/"' in page  # open the form again
    if debug:
        assert "Reason (shown in development only): CSRF cookie not set." in page
    else:
        assert "Reason" not in page
        for text in INTERNALS:
            assert text not in page, text


def test_a_stale_token_gets_the_same_page(strict_client, settings):
    settings.DEBUG = False
    strict_client.get("/admin/login/")  # sets the CSRF cookie
    response = strict_client.post(
        "/admin/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": "a" * 64}, **HTML
    )
    page = refused_page(response)
    assert "Reason" not in page


def test_the_link_back_is_the_form_the_user_came_from_on_this_site(strict_client, staff, settings):
    settings.DEBUG = False
    strict_client.force_login(staff)
    committee = CommitteeFactory(title="")
    change = f"/admin/committees/committee/{committee.pk}/change/"
    response = strict_client.post(change, {"title": "Changed"}, HTTP_REFERER=f"http://testserver{change}", **HTML)
    page = refused_page(response)
    assert f'href="http://testserver{change}"' in page
    committee.refresh_from_db()
    assert committee.title == ""  # nothing was saved


def test_a_link_back_to_another_site_is_never_offered(strict_client, settings):
    settings.DEBUG = False
    response = strict_client.post("/admin/login/", {"username": "x"}, HTTP_REFERER="https://evil.example/form", **HTML)
    page = refused_page(response)
    assert "evil.example" not in page
    assert 'href="/admin/login/"' in page


def test_the_api_session_login_form_gets_the_page_in_a_browser(strict_client, settings):
    settings.DEBUG = False
    response = strict_client.post("/api/v1/auth/login/", {"username": "x", "password": "y"}, **HTML)
    refused_page(response)


def test_an_api_client_gets_json(strict_client, settings):
    settings.DEBUG = False
    response = strict_client.post(
        "/api/v1/auth/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert detail.startswith("CSRF check failed") and "cookies" in detail
    assert "Content-Security-Policy" in response


def test_the_page_is_also_used_when_rendering_with_a_logged_in_user(strict_client, staff, settings):
    """The page renders with the request's context (header, user) like every other page."""
    settings.DEBUG = False
    strict_client.force_login(staff)
    response = strict_client.post("/admin/logout/", **HTML)
    refused_page(response)
    assert strict_client.get("/admin/").status_code == 200  # still logged in: the logout was refused
