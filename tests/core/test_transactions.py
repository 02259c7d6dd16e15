"""Every multi-row write is one transaction: a failure injected halfway leaves nothing of it.

The failures are injected (a signal receiver that raises), so the answer is a 500 — the only
acceptable one — and must be the plain error page, never a traceback. The database is really
committed here (``transactional_db``), as in production with ATOMIC_REQUESTS. The importer's
own halfway failure is tested in tests/sources/test_importer.py."""

import pytest
from django.db.models.signals import m2m_changed, pre_save
from django.test import Client
from rest_framework.test import APIClient

from committees.models import Committee, Group, TermOfReference
from tests.admin_forms import admin_url, form_data
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)
from tests.support import row_counts

INJECTED = "injected failure 7f3a"


class Injected(RuntimeError):
    pass


@pytest.fixture
def real_data(transactional_db, settings):
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("loaddata", "casco", verbosity=0)


def assert_plain_500(response):
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and INJECTED not in body and "Injected" not in body


def test_api_group_with_partners_fails_at_the_partners_and_leaves_nothing(real_data, secretariat_token):
    def fail_on_partners(sender, action, **kwargs):
        if action == "pre_add":
            raise Injected(INJECTED)

    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secretariat_token}")
    before = row_counts()
    body = {
        "reference": "ISO/CASCO/JWG 99",
        "title": "Halfway",
        "type_label": "Working group",
        "kind": "joint_working_group",
        "committee": "ISO/CASCO",
        "partner_committees": ["ISO/TC 108", "ISO/TC 135"],
    }
    m2m_changed.connect(fail_on_partners, sender=Group.partner_committees.through)
    try:
        response = client.post("/api/v1/groups/", body, format="json")
    finally:
        m2m_changed.disconnect(fail_on_partners, sender=Group.partner_committees.through)

    assert_plain_500(response)
    assert response.json() == {"detail": "Server error: the request was not carried out."}
    assert not Group.objects.filter(reference="ISO/CASCO/JWG 99").exists()
    assert row_counts() == before  # no group, no partner row, no history row

    # Without the failure the same write goes through: the failure, not the data, stopped it.
    assert client.post("/api/v1/groups/", body, format="json").status_code == 201
    assert Group.objects.get(reference="ISO/CASCO/JWG 99").partner_committees.count() == 2


def test_admin_save_with_inlines_fails_at_the_second_inline_row_and_leaves_nothing(real_data, secretariat_user):
    casco = Committee.objects.get(reference="ISO/CASCO")
    terms = list(casco.terms_of_reference.order_by("position").values_list("text", flat=True))
    assert len(terms) >= 2
    client = Client(raise_request_exception=False)
    client.force_login(secretariat_user)
    url = admin_url(casco)
    data = form_data(client.get(url))
    data["title"] = "Changed with its terms"
    changed = [key for key in data if key.endswith("-text") and data[key]]
    assert len(changed) == len(terms)
    for key in changed:
        data[key] = f"{data[key]} (amended)"

    saves = []

    def fail_on_second_term(sender, instance, **kwargs):
        saves.append(instance.pk)
        if len(saves) == 2:
            raise Injected(INJECTED)

    before = row_counts()
    pre_save.connect(fail_on_second_term, sender=TermOfReference)
    try:
        response = client.post(url, data)
    finally:
        pre_save.disconnect(fail_on_second_term, sender=TermOfReference)

    assert len(saves) == 2  # the committee and the first term were saved before the failure
    assert_plain_500(response)
    assert "Something went wrong" in response.content.decode()
    casco.refresh_from_db()
    assert casco.title != "Changed with its terms"
    assert list(casco.terms_of_reference.order_by("position").values_list("text", flat=True)) == terms
    assert row_counts() == before
