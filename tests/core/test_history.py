"""History per record: changes made in admin, by the importer and through the API (token or
session; create, change, delete) are recorded with who, when and what changed; the admin shows
them per record; a change can be reverted, and only by someone who may change the record. A
record loaded from the fixtures gets a "before" row (the baseline) on its first change, whatever
path changes it, and keeps its history when deleted."""

import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from api_tokens.services import api_token_create
from committees.models import Committee, Group, Standard
from core.history import BASELINE_CHANGE_REASON
from liaisons.models import CommitteeLiaison, Direction
from sources.importer import default_source_paths, source_pages_import
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)
from tests.admin_forms import admin_edit, admin_url, assert_saved, form_data
from tests.api_clients import token_client
from tests.factories import StandardFactory, UserFactory


def _revert_url(obj, record):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=(obj.pk, record.history_id))


def test_admin_edit_is_recorded_with_user_reason_and_change(secretariat_client, secretariat_user, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 61")
    old_title = group.title
    assert_saved(admin_edit(secretariat_client, group, title="New title for WG 61"))
    record = group.history.latest("history_date")
    assert record.history_type == "~"
    assert record.history_user == secretariat_user
    assert record.history_change_reason == "edited in admin"
    assert record.title == "New title for WG 61"

    page = secretariat_client.get(admin_url(group, "history"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "sec" in text and "edited in admin" in text
    assert old_title in text and "New title for WG 61" in text  # the "Changes" column: old → new


def test_one_history_row_per_save_even_with_partner_inlines(secretariat_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/JWG 58")
    before = group.history.count()
    assert_saved(admin_edit(secretariat_client, group, title="JWG 58 retitled"))
    assert group.history.count() == before + 1


def test_partner_added_in_inline_is_in_the_group_history(secretariat_client, secretariat_user, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    partner = Committee.objects.get(reference="ISO/TC 207")
    url = admin_url(group)
    data = form_data(secretariat_client.get(url))
    data.update({"Group_partner_committees-TOTAL_FORMS": "1", "Group_partner_committees-0-committee": str(partner.pk)})
    data["Group_partner_committees-0-group"] = str(group.pk)
    assert_saved(secretariat_client.post(url, data))
    assert list(group.partner_committees.all()) == [partner]
    record = group.history.latest("history_date")
    assert record.history_user == secretariat_user
    assert [row.committee_id for row in record.partner_committees.all()] == [partner.pk]


def test_inline_rows_are_recorded_with_the_user(secretariat_client, secretariat_user, casco):
    term = casco.terms_of_reference.get(position=1)
    url = admin_url(casco)
    data = form_data(secretariat_client.get(url))
    key = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(term.pk))
    data[key.replace("-id", "-text")] = "A reworded first term of reference."
    assert_saved(secretariat_client.post(url, data))
    record = term.history.latest("history_date")
    assert (record.text, record.history_user) == ("A reworded first term of reference.", secretariat_user)


def test_revert_restores_an_earlier_version(secretariat_client, secretariat_user, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 64")
    original = group.title
    assert_saved(admin_edit(secretariat_client, group, title="First edit"))
    first = group.history.latest("history_date")
    assert_saved(admin_edit(secretariat_client, group, title="Second edit"))

    page = secretariat_client.get(_revert_url(group, first))
    assert page.status_code == 200
    assert b"Revert" in page.content
    data = form_data(page)
    assert data["title"] == "First edit"
    response = secretariat_client.post(_revert_url(group, first), data)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.title == "First edit" != original
    record = group.history.latest("history_date")
    assert record.history_user == secretariat_user
    assert record.history_change_reason.startswith("reverted to the version of")
    assert secretariat_client.get(group.get_absolute_url()).content.decode().count("First edit") >= 1


def test_revert_restores_partners_too(secretariat_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/JWG 62")
    partners = set(group.partner_committees.values_list("pk", flat=True))
    assert partners
    assert_saved(admin_edit(secretariat_client, group, title="Before removing partners"))
    version = group.history.latest("history_date")
    url = admin_url(group)
    data = form_data(secretariat_client.get(url))
    for key in list(data):
        if key.startswith("Group_partner_committees-") and key.endswith("-committee"):
            data[key.replace("-committee", "-DELETE")] = "on"
    assert_saved(secretariat_client.post(url, data))
    assert not group.partner_committees.exists()

    response = secretariat_client.post(
        _revert_url(group, version), form_data(secretariat_client.get(_revert_url(group, version)))
    )
    assert response.status_code == 302
    assert set(group.partner_committees.values_list("pk", flat=True)) == partners


def test_revert_of_a_liaison_direction(secretariat_client, casco_data):
    liaison = CommitteeLiaison.objects.filter(direction=Direction.BOTH).first()
    assert_saved(admin_edit(secretariat_client, liaison, direction=Direction.INCOMING))
    version = liaison.history.filter(direction=Direction.INCOMING).latest("history_date")
    assert_saved(admin_edit(secretariat_client, liaison, direction=Direction.OUTGOING))
    page = secretariat_client.get(_revert_url(liaison, version))
    assert secretariat_client.post(_revert_url(liaison, version), form_data(page)).status_code == 302
    liaison.refresh_from_db()
    assert liaison.direction == Direction.INCOMING


@pytest.fixture
def viewer_client(client, db):
    """Staff who may view groups (and so their history) but not change them."""
    user = UserFactory(role="staff")
    user.user_permissions.add(Permission.objects.get(codename="view_group", content_type__app_label="committees"))
    client.force_login(user)
    return client


def test_a_viewer_sees_history_but_cannot_revert(viewer_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 31")
    group._change_reason = "set up"
    group.title = "Edited before"
    group.save()
    version = group.history.latest("history_date")
    group.title = "Edited after"
    group.save()
    assert viewer_client.get(admin_url(group, "history")).status_code == 200
    page = viewer_client.get(_revert_url(group, version))
    assert page.status_code == 200
    assert b'value="Revert"' not in page.content
    response = viewer_client.post(_revert_url(group, version), form_data(page))
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.title == "Edited after"


def test_staff_outside_the_group_cannot_see_history_or_revert(staff_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 31")
    group.title = "Edited"
    group.save()
    version = group.history.latest("history_date")
    assert staff_client.get(admin_url(group, "history")).status_code == 403
    assert staff_client.get(_revert_url(group, version)).status_code == 403
    assert staff_client.post(_revert_url(group, version), {"title": "x"}).status_code == 403


def test_importer_changes_are_recorded_with_user_and_reason(secretariat_user, casco_data, tmp_path):
    page = default_source_paths()[0]
    newer = tmp_path / page.name
    newer.write_bytes(page.read_bytes().replace(b"operating certification of persons", b"certifying persons"))
    source_pages_import(paths=[newer], user=secretariat_user)
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    record = group.history.latest("history_date")
    assert record.title == group.title and group.title.endswith("certifying persons")
    assert record.history_user == secretariat_user
    sha256 = hashlib.sha256(newer.read_bytes()).hexdigest()
    assert record.history_change_reason == f"import of {page.name} sha256 {sha256[:16]}"


def test_api_changes_are_recorded_with_the_user(secretariat_user, casco_data, client):
    """Through the API with a token (tools) and with a session (browser)."""
    group = Group.objects.get(reference="ISO/CASCO/WG 65")
    _token, key = api_token_create(user=secretariat_user, name="history test")
    response = client.patch(
        f"/api/v1/groups/{group.slug}/",
        {"title": "Retitled through the API"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200, response.content
    record = group.history.latest("history_date")
    assert record.title == "Retitled through the API"
    assert record.history_user == secretariat_user


@pytest.mark.django_db
def test_api_token_writes_record_the_user(secretariat_user):
    client = token_client(secretariat_user)
    response = client.post("/api/v1/standards/", {"reference": "ISO 99991", "title": "New"}, format="json")
    assert response.status_code == 201
    standard = Standard.objects.get(reference="ISO 99991")
    created = standard.history.get()
    assert created.history_type == "+"
    assert created.history_user == secretariat_user

    client.patch(f"/api/v1/standards/{standard.slug}/", {"title": "Changed"}, format="json")
    changed = standard.history.latest()
    assert (changed.history_type, changed.title, changed.history_user) == ("~", "Changed", secretariat_user)


@pytest.mark.django_db
def test_api_session_write_records_the_user(secretariat_user):
    client = APIClient()
    client.force_login(secretariat_user)
    client.post("/api/v1/standards/", {"reference": "ISO 99992"}, format="json")
    assert Standard.objects.get(reference="ISO 99992").history.get().history_user == secretariat_user


@pytest.mark.django_db
def test_api_delete_records_the_user(secretariat_user):
    standard = StandardFactory(reference="ISO 99993")
    assert token_client(secretariat_user).delete(f"/api/v1/standards/{standard.pk}/").status_code == 204
    deleted = Standard.history.filter(reference="ISO 99993").latest()
    assert (deleted.history_type, deleted.history_user) == ("-", secretariat_user)


def test_first_change_records_the_state_before_it(casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    original = group.title
    assert not group.history.exists()
    group.title = "Changed through the shell"
    group.save()
    rows = list(group.history.order_by("history_date"))
    assert [row.title for row in rows] == [original, "Changed through the shell"]
    assert rows[0].history_change_reason == BASELINE_CHANGE_REASON
    assert rows[1].diff_against(rows[0]).changed_fields == ["title"]
    group.title = "Again"
    group.save()
    assert group.history.count() == 3  # no second baseline


def test_the_importer_change_can_be_reverted_to_the_baseline(casco_data, tmp_path):
    page = default_source_paths()[0]
    newer = tmp_path / page.name
    newer.write_bytes(page.read_bytes().replace(b"operating certification of persons", b"certifying persons"))
    source_pages_import(paths=[newer])
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    assert group.title.endswith("certifying persons")
    baseline = group.history.order_by("history_date").first()
    assert baseline.title.endswith("operating certification of persons")
    baseline.instance.save()
    group.refresh_from_db()
    assert group.title.endswith("operating certification of persons")


def test_deleting_a_loaded_record_keeps_its_history(casco_data):
    group = Group.objects.get(reference="ISO/CASCO/STTF")
    pk = group.pk
    group.delete()
    types = list(Group.history.filter(id=pk).order_by("history_date").values_list("history_type", flat=True))
    assert types == ["+", "-"]
