"""Import from admin: re-run the import of the kept copies, or upload a newer copy of one page;
see the created/updated/unchanged/removed report; a bad page changes nothing and says why; only
users with the rights to change every imported record may use it."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.models import Group, SourcePage
from sources.importer import source_texts_import
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)

IMPORT_URL = "/admin/committees/sourcepage/import/"
COMMITTEE_PAGE = "iso-casco-committee-page.txt"


def _page_bytes(name=COMMITTEE_PAGE):
    return (Path(settings.SOURCE_PAGES_DIR) / name).read_bytes()


def test_the_changelist_links_to_the_import(secretariat_client, casco_data):
    response = secretariat_client.get(reverse("admin:committees_sourcepage_changelist"))
    assert IMPORT_URL in response.content.decode()
    assert reverse("admin:committees_sourcepage_import") == IMPORT_URL


def test_rerun_on_unchanged_data_reports_nothing_changed(secretariat_client, casco_data):
    response = secretariat_client.post(IMPORT_URL, {"action": "rerun", "confirm": "apply"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing changed" in text
    assert "0 created, 0 updated, 0 removed" in text


def test_rerun_previews_first_and_keeps_what_the_secretariat_edited(secretariat_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    group.title = "Changed by hand"
    group.save()
    history = Group.history.count()
    preview = secretariat_client.post(IMPORT_URL, {"action": "rerun"})
    text = preview.content.decode()
    assert "Preview: what the import would do" in text
    assert "kept (edited by hand): group ISO/CASCO/WG 30" in text
    assert 'name="confirm" value="apply"' in text
    assert Group.history.count() == history
    applied = secretariat_client.post(IMPORT_URL, {"action": "rerun", "confirm": "apply"})
    assert "What the import did" in applied.content.decode()
    group.refresh_from_db()
    assert group.title == "Changed by hand"


def test_upload_a_newer_copy_of_a_page_preview_then_apply(secretariat_client, secretariat_user, casco_data):
    newer = _page_bytes().replace(
        b"General requirements for bodies operating certification of persons",
        b"General requirements for bodies certifying persons",
    )
    upload = SimpleUploadedFile("whatever-name.txt", newer, content_type="text/plain")
    preview = secretariat_client.post(IMPORT_URL, {"action": "upload", "page": COMMITTEE_PAGE, "upload": upload})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "updated: group ISO/CASCO/WG 30" in text
    assert (
        "General requirements for bodies certifying persons" not in Group.objects.get(reference="ISO/CASCO/WG 30").title
    )
    confirm = preview.context["confirm"]
    assert confirm["kept_text"] == newer.decode("utf-8")

    # Browsers send the hidden text's line breaks as CR LF: the previewed bytes are imported all the same.
    as_sent = confirm["kept_text"].replace("\n", "\r\n")
    fields = {"action": "upload", "page": COMMITTEE_PAGE, "kept_sha256": confirm["kept_sha256"], "confirm": "apply"}
    tampered = secretariat_client.post(IMPORT_URL, {**fields, "kept_text": as_sent.replace("persons", "people")})
    assert tampered.context["form"].errors["upload"] == [
        "The previewed page did not come back intact: upload it again."
    ]
    applied = secretariat_client.post(IMPORT_URL, {**fields, "kept_text": as_sent})
    assert "updated: group ISO/CASCO/WG 30" in applied.content.decode()
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    assert "Conformity assessment - General requirements for bodies certifying persons" in group.title
    record = group.history.latest("history_date")
    assert record.history_user == secretariat_user
    assert record.history_change_reason.startswith(f"import of {COMMITTEE_PAGE} sha256 ")
    # The upload keeps the page's file name: no new source page appears.
    assert SourcePage.objects.get(file_name=COMMITTEE_PAGE).sha256 == hashlib.sha256(newer).hexdigest()
    assert set(SourcePage.objects.values_list("file_name", flat=True)) == {
        COMMITTEE_PAGE,
        "casco-plenary-2019-announcement.txt",
    }


def test_the_announcement_uploaded_as_the_committee_page_is_refused(secretariat_client, casco_data):
    before = list(Group.objects.values_list("reference", "title", "description"))
    upload = SimpleUploadedFile("page.txt", _page_bytes("casco-plenary-2019-announcement.txt"))
    response = secretariat_client.post(IMPORT_URL, {"action": "upload", "page": COMMITTEE_PAGE, "upload": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["upload"]
    assert errors == [
        f"{COMMITTEE_PAGE}: this is a news announcement (“ISO CASCO plenary, workshop and meetings”), but "
        f"{COMMITTEE_PAGE} is a committee page: choose the page it replaces"
    ]
    assert response.context["report"] is None
    assert list(Group.objects.values_list("reference", "title", "description")) == before
    assert SourcePage.objects.get(file_name=COMMITTEE_PAGE).versions.count() == 1


def test_a_truncated_page_changes_nothing_and_says_why(secretariat_client, casco_data):
    before = list(Group.objects.values_list("reference", "title"))
    truncated = _page_bytes()[:2000]
    upload = SimpleUploadedFile("page.txt", truncated, content_type="text/plain")
    response = secretariat_client.post(IMPORT_URL, {"action": "upload", "page": COMMITTEE_PAGE, "upload": upload})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and "Import refused, nothing was changed." in errors[0]
    assert COMMITTEE_PAGE in errors[0]
    assert list(Group.objects.values_list("reference", "title")) == before


def test_a_binary_file_is_refused(secretariat_client, casco_data):
    upload = SimpleUploadedFile("page.txt", b"\xff\xfe\x00\x01binary", content_type="application/octet-stream")
    response = secretariat_client.post(IMPORT_URL, {"action": "upload", "page": COMMITTEE_PAGE, "upload": upload})
    assert "not UTF-8 text" in response.context["form"].non_field_errors()[0]


def test_upload_needs_a_page_and_a_file(secretariat_client, casco_data):
    response = secretariat_client.post(IMPORT_URL, {"action": "upload"})
    errors = response.context["form"].errors
    assert "page" in errors and "upload" in errors


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_outside_the_group_cannot_import(staff_client, casco_data, method):
    response = getattr(staff_client, method)(IMPORT_URL, {"action": "rerun"} if method == "post" else None)
    assert response.status_code == 403


def test_anonymous_cannot_import(client, casco_data):
    response = client.post(IMPORT_URL, {"action": "rerun"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_source_page_admin_lists_the_imported_copies(secretariat_client, casco_data):
    newer = _page_bytes().replace(b"operating certification of persons", b"certifying persons")
    source_texts_import(pages=[(COMMITTEE_PAGE, newer)])
    page = SourcePage.objects.get(file_name=COMMITTEE_PAGE)
    response = secretariat_client.get(reverse("admin:committees_sourcepage_change", args=[page.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    for version in page.versions.all():
        assert f"/sources/{COMMITTEE_PAGE}/?version={version.sha256}" in text
