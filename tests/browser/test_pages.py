"""The browsing pages in a real browser (Debian's Chromium through Playwright): the journeys the
issue names, axe-core accessibility checks, and screenshots of each main page at desktop and
phone width (saved to test-artifacts/)."""

import csv
import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_PAGES = {
    "home": "/",
    "structure": "/structure/",
    "groups": "/groups/",
    "group": "/groups/iso-casco-wg-30/",
    "committees": "/committees/",
    "committee": "/committees/iso-tc-207/",
    "liaisons": "/liaisons/",
    "organizations": "/organizations/",
    "organization": "/organizations/iaf/",
    "meetings": "/meetings/",
    "meeting": "/meetings/2019-iso-casco-plenary/",
    "search": "/search/?q=KEBS",
    "not-found": "/committees/iso-tc-99999/",
}
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def portal(live_server):
    """The live server with the real data (live_server tests run on a transactional database,
    so the data is loaded here rather than by the `casco_data` fixture)."""
    call_command("loaddata", "casco", verbosity=0)
    return live_server.url


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:5]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_home_structure_to_group(portal, browser_page):
    page = browser_page
    page.goto(f"{portal}/")
    assert page.locator("h1").inner_text().startswith("ISO committee for conformity assessment")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Structure").click()
    assert page.locator("h1").inner_text() == "Structure of ISO/CASCO"
    page.get_by_role("link", name="ISO/CASCO/WG 30").click()
    page.wait_for_url("**/groups/iso-casco-wg-30/")
    assert "ISO/CASCO/WG 30" in page.locator("h1").inner_text()
    assert page.title().startswith("ISO/CASCO/WG 30")
    assert "ISO/CASCO committee page" in page.locator(".source-note").inner_text()


def test_structure_shows_the_joint_groups_under_iso_tc_207(portal, browser_page):
    page = browser_page
    page.goto(f"{portal}/structure/")
    elsewhere = page.locator("section", has=page.get_by_role("heading", name="Joint groups under other committees"))
    elsewhere.get_by_role("link", name="ISO/TC 207/SC 7/JWG 6").click()
    page.wait_for_url("**/groups/iso-tc-207-sc-7-jwg-6/")
    assert page.get_by_role("link", name="ISO/TC 207/SC 7", exact=True).first.is_visible()


def test_liaison_table_filtered_to_both_directions(portal, browser_page):
    page = browser_page
    page.goto(f"{portal}/liaisons/")
    assert page.locator("table.liaison-table tbody tr").count() == 48
    counts = page.locator(".count-tabs").inner_text()
    for number in ("48", "42", "27", "21"):
        assert number in counts
    page.get_by_label("Both directions (21)").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/liaisons/?direction=both*")
    assert page.locator("table.liaison-table tbody tr").count() == 21
    assert page.get_by_test_id("row-count").inner_text() == "21"
    # Sorting keeps the filter: reference descending puts ISO/TC 85 (natural order) first.
    page.get_by_role("link", name="Committee", exact=True).click()
    page.wait_for_url("**sort=-reference*")
    assert page.locator("table.liaison-table tbody tr").count() == 21
    assert page.locator("table.liaison-table tbody tr th").first.inner_text() == "ISO/TC 334"


def test_search_kebs_reaches_the_plenary(portal, browser_page):
    page = browser_page
    page.goto(f"{portal}/groups/")
    page.get_by_role("search").get_by_label("Search the portal").fill("KEBS")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=KEBS")
    assert page.get_by_role("heading", name="Organizations").is_visible()
    assert page.get_by_role("heading", name="Meetings").is_visible()
    page.get_by_role("link", name="2019 ISO/CASCO Plenary").click()
    page.wait_for_url("**/meetings/2019-iso-casco-plenary/")
    assert page.locator("h1").inner_text() == "2019 ISO/CASCO Plenary"
    facts = page.locator("dl.facts").inner_text()
    assert "KEBS" in facts and "Kenya" in facts


def test_download_liaison_csv(portal, browser_page):
    page = browser_page
    page.goto(f"{portal}/liaisons/?direction=outgoing&body=ISO")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this list as CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["reference", "title"]
    assert len(rows) - 1 == 24  # 27 outgoing, less the 3 ISO/IEC JTC 1 subcommittees
    assert all(row[5] == "yes" for row in rows[1:])


def test_accessibility_and_screenshots(portal, chromium, artifacts_dir):
    """axe-core finds no serious or critical violation on any main page, at either width; the
    screenshots are saved for people to look at."""
    problems = {}
    for width_name, width in WIDTHS.items():
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, path in MAIN_PAGES.items():
            page.goto(f"{portal}{path}")
            page.screenshot(path=str(artifacts_dir / f"page-{name}-{width_name}.png"), full_page=True)
            page.screenshot(path=str(artifacts_dir / f"page-{name}-{width_name}-first-screen.png"))
            found = serious_violations(page)
            if found:
                problems[f"{name} at {width_name}"] = found
            # Nothing sticks out sideways at phone width: the page never scrolls horizontally.
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} is {overflow}px wider than the {width_name} viewport"
        context.close()
    assert problems == {}


def test_pages_read_without_javascript(portal, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal}/liaisons/?direction=both")
    assert page.locator("table.liaison-table tbody tr").count() == 21
    page.goto(f"{portal}/search/?q=IAF")
    assert page.get_by_role("link", name="IAF", exact=True).is_visible()
    context.close()


def test_skip_link_moves_focus_to_main(portal, browser_page):
    page = browser_page
    page.goto(f"{portal}/groups/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
