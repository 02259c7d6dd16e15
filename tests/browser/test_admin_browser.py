"""The secretariat in a real browser (Debian's Chromium through Playwright): logs in to admin,
edits a group's title, and finds the new title on the group's public page."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secretariat-browser-pass-2024"


@pytest.fixture
def portal(live_server):
    call_command("loaddata", "casco", verbosity=0)
    call_command("ensure_secretariat_group", verbosity=0)
    user = get_user_model().objects.create_user("secretary", password=PASSWORD, is_staff=True)
    user.groups.add(user.groups.model.objects.get(name="Secretariat"))
    return live_server.url


def test_secretariat_edits_a_group_title_and_sees_it_on_the_public_page(portal, browser_page, artifacts_dir):
    from committees.models import Group

    page = browser_page
    page.goto(f"{portal}/admin/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{portal}/admin/")

    page.get_by_role("link", name="Groups", exact=True).first.click()
    page.wait_for_url("**/admin/committees/group/")
    page.get_by_role("link", name="ISO/CASCO/WG 61", exact=True).click()
    page.fill("#id_title", "Remote auditing — title edited in the browser")
    page.screenshot(path=str(artifacts_dir / "admin-group-change-form.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/committees/group/")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    group = Group.objects.get(reference="ISO/CASCO/WG 61")
    assert group.title == "Remote auditing — title edited in the browser"
    assert group.history.latest("history_date").history_user.username == "secretary"

    page.goto(f"{portal}{group.get_absolute_url()}")
    assert "Remote auditing — title edited in the browser" in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts_dir / "admin-edited-group-public-page.png"), full_page=True)
