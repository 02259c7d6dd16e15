"""Who may use the admin: the secretariat opens every page of every portal model; a staff user
outside the group and an anonymous visitor cannot, and nobody but a superuser manages users."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from committees.models import Group
from core.registry import portal_app_labels, portal_models
from meetings.models import Meeting, MeetingGroup
from tests.admin_clients import *  # noqa: F403 (this module's fixtures)
from tests.admin_forms import admin_url

# The portal's models the admin shows (core.registry lists them all).
PORTAL_MODELS = [model for model in portal_models() if admin.site.is_registered(model)]


def one(model):
    """A record of ``model`` from the real data (the data has no meeting group: one is made)."""
    if model is MeetingGroup and not MeetingGroup.objects.exists():
        return MeetingGroup.objects.create(meeting=Meeting.objects.first(), group=Group.objects.first())
    return model.objects.first()


def test_every_portal_model_is_registered():
    for model in PORTAL_MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda m: m.__name__)
def test_secretariat_opens_every_page(secretariat_client, casco_data, model):
    obj = one(model)
    assert secretariat_client.get(admin_url(model, "changelist")).status_code == 200
    assert secretariat_client.get(admin_url(model, "add")).status_code == 200
    assert secretariat_client.get(admin_url(obj)).status_code == 200
    assert secretariat_client.get(admin_url(obj, "delete")).status_code == 200
    assert secretariat_client.get(admin_url(obj, "history")).status_code == 200


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda m: m.__name__)
def test_staff_outside_the_group_is_refused(staff_client, casco_data, model):
    obj = one(model)
    for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(obj), admin_url(obj, "delete")):
        assert staff_client.get(url).status_code == 403, url
    assert staff_client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda m: m.__name__)
def test_anonymous_is_sent_to_the_login_page(client, casco_data, model):
    obj = one(model)
    for url in (admin_url(model, "changelist"), admin_url(obj)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(admin_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert model.objects.filter(pk=obj.pk).exists()


def test_staff_outside_the_group_cannot_change_a_record(staff_client, casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    response = staff_client.post(admin_url(group), {"title": "Hijacked", "reference": group.reference})
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.title != "Hijacked"


def test_secretariat_cannot_manage_users_or_groups(secretariat_client):
    for url in ("/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/", "/admin/api_tokens/apitoken/"):
        assert secretariat_client.get(url).status_code in (403, 404), url


def test_secretariat_index_lists_only_portal_apps(secretariat_client):
    response = secretariat_client.get("/admin/")
    labels = {app["app_label"] for app in response.context["app_list"]}
    assert labels == set(portal_app_labels())


def test_a_user_who_is_not_staff_cannot_log_in_to_admin(client, secretariat_group, casco_data):
    user = get_user_model().objects.create_user("member", password="member-password-1234")
    user.groups.add(secretariat_group)  # the group alone is not enough: admin needs is_staff
    client.force_login(user)
    response = client.get(admin_url(Group, "changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
