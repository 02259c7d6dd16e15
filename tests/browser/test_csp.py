"""The Content-Security-Policy (no 'unsafe-inline') in a real browser: every main page, the admin,
the browsable API and the API docs load in Debian's Chromium with zero CSP violations, and Swagger
UI actually renders the API from the portal's own files. A screenshot of the docs is saved
to test-artifacts/."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects every violation the page reports, from the very first script on (injected by the
# browser driver, so the page's own CSP does not apply to this script).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}:${event.lineNumber}`);
});
"""
PAGES = [
    "/",
    "/structure/",
    "/groups/",
    "/groups/iso-casco-wg-30/",
    "/committees/",
    "/committees/iso-tc-207/",
    "/liaisons/",
    "/organizations/",
    "/organizations/iaf/",
    "/meetings/",
    "/meetings/2019-iso-casco-plenary/",
    "/search/?q=KEBS",
    "/committees/iso-tc-99999/",
    "/admin/login/",
    "/api/v1/auth/login/",
    "/api/v1/",
    "/api/v1/groups/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/committees/group/",
    "/admin/committees/group/add/",
    "/admin/liaisons/committeeliaison/",
    "/admin/meetings/meeting/add/",
]


@pytest.fixture
def portal(live_server):
    call_command("loaddata", "casco", verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser_page):
    console = []
    browser_page.on("console", lambda message: console.append(message.text))
    browser_page.add_init_script(LISTEN)
    browser_page.console = console
    return browser_page


def violations(page):
    page.wait_for_timeout(200)  # violation events are dispatched asynchronously
    reported = page.evaluate("window.__csp || []")
    logged = [text for text in page.console if "Content Security Policy" in text]
    return reported + logged


def visit(page, url):
    response = page.goto(url)
    assert response.status in (200, 404), (url, response.status)
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    return response


def violations_on(page, portal, paths):
    """{path: CSP violations} for each of ``paths`` that has any."""
    found = {}
    for path in paths:
        visit(page, f"{portal}{path}")
        if problems := violations(page):
            found[path] = problems
        page.console.clear()
    return found


def test_main_pages_and_browsable_api_have_no_csp_violations(portal, page):
    assert violations_on(page, portal, PAGES) == {}
    # The portal's style sheet did load (a blocked sheet would leave the page unstyled).
    visit(page, f"{portal}/groups/")
    assert (
        page.evaluate("getComputedStyle(document.body).fontFamily")
        != page.evaluate("getComputedStyle(document.createElement('body')).fontFamily || 'none'")
        or page.evaluate("document.styleSheets.length") >= 1
    )


def test_admin_pages_have_no_csp_violations(portal, page, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", "a-long-root-password-2024")
    visit(page, f"{portal}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-root-password-2024")
    page.click("input[type=submit]")
    page.wait_for_url(f"{portal}/admin/")
    assert violations_on(page, portal, ADMIN_PAGES) == {}


def test_swagger_ui_renders_the_operations_under_the_csp(portal, page, artifacts_dir):
    visit(page, f"{portal}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(path.startswith("/api/v1/groups/") for path in operations), operations
    assert page.locator(".opblock-tag").count() >= 7  # one section per resource
    assert page.locator(".info .title").inner_text().startswith("CASCO Portal API")
    page.screenshot(path=str(artifacts_dir / "security-api-docs-swagger.png"), full_page=False)
    assert violations(page) == []
