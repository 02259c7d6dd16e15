"""Every page the portal renders is valid HTML by the Nu Html Checker (vnu), the W3C's validator:
home, structure, search (with and without results), every list with and without filters (and
with a refused filter), every kind of detail page, the source page, the browsable API and its
login, the lockout page and the error pages (400, 403 CSRF, 404, 500). Any error fails the test;
warnings are listed in the failure message but do not fail it.

vnu runs once over all the pages saved as files (starting its JVM costs about a second). It comes
from npm as ``vnu-jar`` at a pinned version, installed into ``.venv/vnu-jar-<version>/`` the first
time (never committed; its install script, which would download a Java, is not run) and run with
Debian's Java (``default-jre-headless``). A test also checks that every page template in
``templates/`` is among those rendered, so a new page cannot escape the check."""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from casco_portal.errors import server_error
from committees.models import CASCO_REFERENCE, Committee, Group, SourcePage, Standard
from liaisons.models import Organization
from meetings.models import Meeting, MeetingKind
from tests.support import unavailable

pytestmark = pytest.mark.django_db

VNU_VERSION = "26.9.27"
VNU_DIR = Path(django_settings.BASE_DIR) / ".venv" / f"vnu-jar-{VNU_VERSION}"
VNU_JAR = VNU_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

# Templates that are not whole pages: the layout they extend, partials, Django admin overrides
# (the admin's own markup is Django's), and Swagger UI's page (its markup is drf-spectacular's).
NOT_PAGES = {"base.html", "drf_spectacular/swagger_ui.html"}


def vnu_jar():
    """The pinned vnu.jar, installed from npm into the cache directory when missing."""
    if VNU_JAR.exists():
        return VNU_JAR
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is missing (apt-get install -y nodejs npm): it installs vnu-jar")
    staging = VNU_DIR.with_name(VNU_DIR.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    options = ["--no-save", "--no-audit", "--no-fund", "--ignore-scripts"]
    result = subprocess.run(
        [npm, "install", "--prefix", str(staging), *options, f"vnu-jar@{VNU_VERSION}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        unavailable(f"npm could not install vnu-jar@{VNU_VERSION}: {result.stderr[-2000:]}")
    shutil.rmtree(VNU_DIR, ignore_errors=True)
    staging.rename(VNU_DIR)
    return VNU_JAR


def page_templates():
    """Every template under templates/ that renders a whole page."""
    root = Path(django_settings.BASE_DIR) / "templates"
    names = set()
    for path in root.rglob("*.html"):
        name = path.relative_to(root).as_posix()
        if name.startswith(
            ("includes/", "admin/", "rest_framework/filters/", "rest_framework/horizontal/", "django_filters/")
        ):
            continue
        if path.name.startswith("_") or name in NOT_PAGES:
            continue
        names.add(name)
    return names


def page_urls():
    """(label, URL) of every kind of page, filled from the real data."""
    casco = Committee.objects.get(reference=CASCO_REFERENCE)
    external = Committee.objects.exclude(pk=casco.pk).filter(parent__isnull=False).first()
    committees = [casco, external, Committee.objects.filter(parent__isnull=True).exclude(pk=casco.pk).first()]
    groups = list({group.kind: group for group in Group.objects.all()}.values())
    organizations = [Organization.objects.first(), Organization.objects.order_by("-pk").first()]
    meetings = [
        Meeting.objects.filter(start_date__isnull=False).first(),
        Meeting.objects.filter(start_date=None).first(),
    ]
    urls = [
        ("home", "/"),
        ("structure", "/structure/"),
        ("search-empty", "/search/"),
        ("search-results", "/search/?q=accreditation"),
        ("search-nothing", "/search/?q=zzqxnothing"),
        ("committees", "/committees/"),
        ("committees-filtered", "/committees/?kind=subcommittee&q=207"),
        ("committees-refused", "/committees/?body=CEN"),
        ("groups", "/groups/"),
        ("groups-filtered", "/groups/?kind=joint_working_group"),
        ("groups-nothing", "/groups/?q=no+such+group"),
        ("liaisons", "/liaisons/"),
        ("liaisons-filtered", "/liaisons/?direction=both&body=ISO&sort=-reference"),
        ("liaisons-refused", "/liaisons/?direction=sideways"),
        ("organizations", "/organizations/"),
        ("organizations-filtered", "/organizations/?category=A"),
        ("meetings", "/meetings/"),
        ("meetings-page-2", "/meetings/?page=2"),
        ("meetings-filtered", "/meetings/?kind=workshop"),
        ("meetings-refused", "/meetings/?kind=party"),
        ("not-found", "/no/such/page/"),
        ("bad-host", "/"),  # fetched with a host name not in ALLOWED_HOSTS: 400
        ("api-root", "/api/v1/"),
        ("api-list", "/api/v1/committees/"),
        ("api-login", "/api/v1/auth/login/"),
    ]
    urls += [(f"committee-{c.slug}", c.get_absolute_url()) for c in committees if c]
    urls += [(f"group-{g.kind}", g.get_absolute_url()) for g in groups]
    urls += [(f"organization-{o.slug}", o.get_absolute_url()) for o in organizations if o]
    urls += [(f"meeting-{m.slug}", m.get_absolute_url()) for m in meetings if m]
    urls += [(f"standard-{s.slug}", s.get_absolute_url()) for s in Standard.objects.all()[:2]]
    urls += [
        (f"source-{p.pk}", reverse("committees:source-detail", args=[p.file_name]))
        for p in SourcePage.objects.all()[:2]
    ]
    return urls


def render_pages(tmp_path, django_user_model, settings):
    """Save every page as a file; returns {file name: URL} and the names of the templates used."""
    client = Client()
    files, templates = {}, set()

    def keep(label, url, response, expected):
        assert response.status_code in expected, (url, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (url, response["Content-Type"])
        path = tmp_path / f"{label}.html"
        path.write_bytes(response.content)
        files[path.name] = url
        templates.update(t.name for t in getattr(response, "templates", []) if t.name)

    for label, url in page_urls():
        if label == "bad-host":
            response = client.get(url, HTTP_HOST="not-ours.example", **HTML)
            keep(label, url, response, {400})
        else:
            response = client.get(url, **HTML)
            keep(label, url, response, {200, 400, 404})

    # 403: a form sent without its CSRF token.
    strict = Client(enforce_csrf_checks=True)
    keep("csrf", "/admin/login/", strict.post("/admin/login/", {"username": "x", "password": "y"}, **HTML), {403})

    # 500: the handler Django calls for an unhandled exception.
    request = RequestFactory().get("/meetings/")
    response = server_error(request)
    keep("server-error", "/meetings/ (500)", response, {500})
    templates.add("500.html")  # rendered by Django's defaults.server_error, outside the test client's signal

    # 429: the lockout page after too many wrong passwords.
    django_user_model.objects.create_user("editor", password="right-password-1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = Client().post("/admin/login/", {"username": "editor", "password": "wrong"})
    keep("lockout", "/admin/login/ (locked)", response, {429})
    return files, templates


def run_vnu(paths):
    if shutil.which("java") is None:
        unavailable("java is missing (apt-get install -y default-jre-headless): it runs the Nu Html Checker")
    result = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(vnu_jar()), "--format", "json", "--also-check-css", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stderr or '{"messages": []}')["messages"]


def test_every_page_is_valid_html(casco_data, tmp_path, django_user_model, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    # The real data's meetings are known by year only: one with announced dates shows the rest.
    Meeting.objects.create(
        slug="dated-meeting",
        title="A meeting with dates",
        kind=MeetingKind.MEETING,
        year=2031,
        start_date=datetime.date(2031, 9, 2),
        end_date=datetime.date(2031, 9, 4),
        venue="Geneva",
        country="Switzerland",
    )
    files, templates = render_pages(tmp_path, django_user_model, settings)

    messages = run_vnu(sorted(tmp_path.glob("*.html")))

    def describe(message):
        name = Path(message.get("url", "")).name
        where = f"{files.get(name, name)} line {message.get('lastLine', '?')}"
        kind = "warning" if message.get("subType") == "warning" else message["type"]
        return f"{kind}: {where}: {message['message']} [{message.get('extract', '')!r}]"

    errors = [describe(m) for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    warnings = [describe(m) for m in messages if m.get("subType") == "warning"]
    assert len(files) >= 40
    assert "/meetings/dated-meeting/" in files.values()
    print(f"Nu Html Checker: {len(files)} pages, {len(errors)} errors, {len(warnings)} warnings.", *warnings, sep="\n")
    assert not errors, "\n".join([*errors, "warnings (not failing):", *warnings])

    missing = page_templates() - templates
    assert not missing, f"page templates no page in this test renders: {sorted(missing)}"


def test_vnu_finds_the_empty_action_the_list_templates_had(tmp_path):
    """The checker really runs and reports errors: the markup the five list templates had."""
    page = tmp_path / "old-list.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Groups</title></head>'
        '<body><form class="filters" method="get" action=""><button>Filter</button></form></body></html>'
    )
    messages = run_vnu([page])
    assert any(m["type"] == "error" and "attribute “action” on element “form”" in m["message"] for m in messages)
