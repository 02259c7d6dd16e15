"""Deletes say what they take (core/deletion.py): for every foreign key and many-to-many among
the portal's models, a delete through the API and through the admin (its delete page and "delete
selected") takes the record's own parts with it, and refuses — naming them — records that are facts
of their own, unless the cascade is asked for explicitly; records citing a source page keep it even
then. Each delete is one transaction and history records every row deleted, with its user."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.test import Client

from committees.models import (
    Committee,
    Group,
    Standard,
    TermOfReference,
)
from core.deletion import DELETE_RULES, Rule, portal_foreign_keys, records_delete, relation_key, rule_for
from liaisons.models import CategoryNote, CommitteeLiaison, GroupParticipation, Organization, OrganizationLiaison
from meetings.models import Meeting
from tests.admin_forms import admin_url
from tests.api_clients import token_client
from tests.factories import FACTORIES, UserFactory
from tests.support import row_counts

API = {
    Committee: "committees",
    Group: "groups",
    Standard: "standards",
    Organization: "organizations",
    Meeting: "meetings",
    CommitteeLiaison: "committee-liaisons",
    OrganizationLiaison: "organization-liaisons",
}


def make(model, **values):
    """A new record of ``model`` from its factory, with new records for what it needs."""
    factory = FACTORIES.get(model)
    assert factory is not None, f"no factory for {model._meta.label}: add one to tests/factories.py (and a delete rule)"
    return factory(**values)


def referring_pair(fk):
    """A new record of the model ``fk`` points to, and a new row referring to it through ``fk``."""
    target = make(fk.remote_field.model)
    row = make(fk.model, **{fk.name: target})
    return target, row


def exists(obj):
    return type(obj)._base_manager.filter(pk=obj.pk).exists()


FOREIGN_KEYS = portal_foreign_keys()
IDS = [relation_key(fk) for fk in FOREIGN_KEYS]
API_KEYS = [fk for fk in FOREIGN_KEYS if fk.remote_field.model in API]


@pytest.fixture
def secretariat_user(db):
    return UserFactory(role="secretariat")


@pytest.fixture
def api(secretariat_user):
    client = token_client(secretariat_user)
    client.user = secretariat_user
    return client


@pytest.fixture
def admin(secretariat_user):
    client = Client()
    client.force_login(secretariat_user)
    client.user = secretariat_user
    return client


# --- The rules are complete -------------------------------------------------------------------


def test_every_relation_among_the_portals_models_has_a_declared_rule():
    for fk in FOREIGN_KEYS:
        assert rule_for(fk).rule in Rule.values, relation_key(fk)
    # No rule is left over from a relation that is gone.
    assert set(DELETE_RULES) <= set(IDS)
    # Both sides of every many-to-many are among them.
    for model in (Group, Meeting):
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            assert {relation_key(fk) for fk in through._meta.concrete_fields if fk.is_relation} <= set(IDS)


def test_a_relation_without_a_rule_is_refused(monkeypatch):
    fk = TermOfReference._meta.get_field("committee")
    monkeypatch.delitem(DELETE_RULES, relation_key(fk))
    with pytest.raises(ImproperlyConfigured, match=r"No delete rule for committees\.TermOfReference\.committee"):
        rule_for(fk)


# --- API ---------------------------------------------------------------------------------------


def api_url(obj):
    return f"/api/v1/{API[type(obj)]}/{obj.pk}/"


@pytest.mark.parametrize("fk", API_KEYS, ids=[relation_key(fk) for fk in API_KEYS])
def test_api_delete_without_cascade(api, fk):
    target, row = referring_pair(fk)
    rule = rule_for(fk).rule
    counts = row_counts()
    response = api.delete(api_url(target))
    if rule == Rule.OWNED:
        assert response.status_code == 204, response.content
        assert not exists(target) and not exists(row)
        return
    assert response.status_code == 409, response.content
    body = response.json()
    listed = {(group["kind"], record["id"]) for group in body["blocking"] for record in group["records"]}
    assert any(record_id == row.pk for _, record_id in listed), body
    group = next(group for group in body["blocking"] if any(r["id"] == row.pk for r in group["records"]))
    assert group["count"] == 1 and group["rule"] == rule
    assert group["relation"] == rule_for(fk).description
    assert body["cascade_allowed"] is (rule == Rule.BLOCKS)
    assert exists(target) and exists(row)
    assert row_counts() == counts  # nothing deleted, no history row written


@pytest.mark.parametrize("fk", API_KEYS, ids=[relation_key(fk) for fk in API_KEYS])
def test_api_delete_with_cascade(api, fk):
    target, row = referring_pair(fk)
    rule = rule_for(fk).rule
    response = api.delete(f"{api_url(target)}?cascade=true")
    if rule == Rule.KEPT:
        assert response.status_code == 409
        assert exists(target) and exists(row)
        return
    assert response.status_code == 204, response.content
    assert not exists(target) and not exists(row)
    for obj in (target, row):
        if hasattr(type(obj), "history"):
            deleted = type(obj).history.filter(id=obj.pk, history_type="-").get()
            assert deleted.history_user == api.user
            assert "deleted through the API" in deleted.history_change_reason


def test_api_examples_from_the_issue(api, casco_data):
    response = api.delete("/api/v1/committees/iso-tc-176-sc-2/")
    assert response.status_code == 409
    assert response.json()["blocking"] == [
        {
            "kind": "committee liaison",
            "relation": "liaisons it is in",
            "rule": "blocks",
            "count": 1,
            "records": [
                {
                    "id": CommitteeLiaison.objects.get(liaison_committee__reference="ISO/TC 176/SC 2").pk,
                    "reference": "ISO/CASCO ↔ ISO/TC 176/SC 2 (both)",
                }
            ],
        }
    ]
    response = api.delete("/api/v1/organizations/iioa/")
    assert response.status_code == 409
    [group] = response.json()["blocking"]
    assert (group["kind"], group["count"]) == ("group participation", 2)
    assert [record["reference"] for record in group["records"]] == ["IIOA in ISO/CASCO/CPC", "IIOA in ISO/CASCO/STAR"]
    assert GroupParticipation.objects.filter(organization__acronym="IIOA").count() == 2

    assert api.delete("/api/v1/organizations/iioa/?cascade=true").status_code == 204
    assert not GroupParticipation.objects.filter(organization__acronym="IIOA").exists()


def test_api_cascade_value_must_be_a_boolean(api):
    standard = make(Standard)
    response = api.delete(f"/api/v1/standards/{standard.pk}/?cascade=perhaps")
    assert response.status_code == 400
    assert response.json() == {"cascade": ["Enter true or false."]}
    assert exists(standard)


def test_a_cascade_is_one_transaction(secretariat_user):
    """A cascade through several levels deletes everything or nothing: when the database refuses
    one row two levels down (a trigger, a real refusal), every row and no history row is left."""
    committee = make(Committee)
    subcommittee = make(Committee, parent=committee)
    group = make(Group, committee=subcommittee)
    make(CommitteeLiaison, liaison_committee=subcommittee)
    make(TermOfReference, committee=committee)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_group_delete() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by the test'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_group_delete BEFORE DELETE ON committees_group FOR EACH ROW "
                f"WHEN (OLD.id = {group.pk}) EXECUTE FUNCTION refuse_group_delete()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_group_delete BEFORE DELETE ON committees_group WHEN OLD.id = {group.pk} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
    counts = row_counts()
    with pytest.raises(DatabaseError, match="refused by the test"):
        records_delete(objs=[committee], cascade=True, user=secretariat_user)
    assert row_counts() == counts
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER refuse_group_delete" + (" ON committees_group" if connection.vendor == "postgresql" else "")
        )
    plan = records_delete(objs=[committee], cascade=True, user=secretariat_user)
    assert {type(obj) for obj in plan.objects()} == {Committee, Group, CommitteeLiaison, TermOfReference}
    assert not Committee.objects.filter(pk__in=[committee.pk, subcommittee.pk]).exists()


def test_schema_documents_cascade_and_409_on_every_destroy(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    destroys = [operations["delete"] for operations in schema["paths"].values() if "delete" in operations]
    assert len(destroys) == len(API)
    for operation in destroys:
        cascade = next(p for p in operation["parameters"] if p["name"] == "cascade")
        assert cascade["in"] == "query" and cascade["schema"]["type"] == "boolean"
        assert {"204", "409"} <= set(operation["responses"])
        conflict = operation["responses"]["409"]["content"]["application/json"]["schema"]
        assert "blocking" in str(conflict)


# --- Admin ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fk", FOREIGN_KEYS, ids=IDS)
def test_admin_delete_page_without_cascade(admin, fk):
    target, row = referring_pair(fk)
    rule = rule_for(fk).rule
    url = admin_url(target, "delete")
    page = admin.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    if rule == Rule.OWNED:
        assert 'name="post"' in text and "Objects" in text
        assert admin.post(url, {"post": "yes", "delete_plan": page.context["plan_digest"]}).status_code == 302
        assert not exists(target) and not exists(row)
        return
    assert 'name="post"' not in text  # nothing to confirm
    assert "is not deleted: other records refer to it" in text
    assert rule_for(fk).description in text
    assert ("cascade-link" in text) is (rule == Rule.BLOCKS)
    counts = row_counts()
    admin.post(url, {"post": "yes"})  # a confirmation sent anyway deletes nothing
    assert exists(target) and exists(row)
    assert row_counts() == counts


@pytest.mark.parametrize("fk", FOREIGN_KEYS, ids=IDS)
def test_admin_delete_page_with_cascade(admin, fk):
    target, row = referring_pair(fk)
    rule = rule_for(fk).rule
    url = admin_url(target, "delete") + "?cascade=1"
    page = admin.get(url)
    text = page.content.decode()
    if rule == Rule.KEPT:
        assert 'name="post"' not in text
        admin.post(url, {"post": "yes", "cascade": "1"})
        assert exists(target) and exists(row)
        return
    assert "Yes, delete all of these" in text
    listed = [str(item) for item in _flatten(page.context["deleted_objects"])]
    assert len(listed) == 2 and str(target) in listed[0]  # the record, and the row that goes with it
    response = admin.post(url, {"post": "yes", "cascade": "1", "delete_plan": page.context["plan_digest"]})
    assert response.status_code == 302
    assert not exists(target) and not exists(row)
    if hasattr(type(row), "history"):
        deleted = type(row).history.filter(id=row.pk, history_type="-").get()
        assert deleted.history_user == admin.user and deleted.history_change_reason.startswith("deleted in admin with")


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_admin_cascade_refuses_what_was_not_shown(admin):
    """A liaison added after the cascade page was shown is not deleted unseen: the page comes back."""
    committee = make(Committee)
    make(CommitteeLiaison, liaison_committee=committee)
    url = admin_url(committee, "delete") + "?cascade=1"
    digest = admin.get(url).context["plan_digest"]
    late = make(OrganizationLiaison, committee=committee)
    response = admin.post(url, {"post": "yes", "cascade": "1", "delete_plan": digest})
    assert response.status_code == 200
    assert "has changed since the page was shown" in response.content.decode()
    assert exists(committee) and exists(late)


def test_admin_bulk_delete_obeys_the_rules(admin):
    free, blocked = make(Organization), make(Organization)
    participation = make(GroupParticipation, organization=blocked)
    changelist = admin_url(Organization, "changelist")
    selected = {"action": "delete_selected", "_selected_action": [free.pk, blocked.pk]}

    page = admin.post(changelist, selected)
    text = page.content.decode()
    assert page.status_code == 200 and "are not deleted: other records refer to them" in text
    assert str(participation) in text and 'name="post"' not in text
    admin.post(changelist, {**selected, "post": "yes"})  # a confirmation sent anyway
    assert exists(free) and exists(blocked) and exists(participation)

    second = admin.post(changelist, {**selected, "cascade": "1"})
    assert "Yes, delete all of these" in second.content.decode()
    listed = [str(item) for item in _flatten(second.context["deletable_objects"])]
    assert any(str(participation) in item for item in listed)
    done = admin.post(
        changelist, {**selected, "cascade": "1", "post": "yes", "delete_plan": second.context["plan_digest"]}
    )
    assert done.status_code == 302
    assert not exists(free) and not exists(blocked) and not exists(participation)
    assert {row.history_user for row in Organization.history.filter(history_type="-")} == {admin.user}


def test_admin_bulk_delete_without_dependants_deletes(admin):
    standards = [make(Standard), make(Standard)]
    changelist = admin_url(Standard, "changelist")
    selected = {"action": "delete_selected", "_selected_action": [s.pk for s in standards]}
    page = admin.post(changelist, selected)
    assert (
        admin.post(changelist, {**selected, "post": "yes", "delete_plan": page.context["plan_digest"]}).status_code
        == 302
    )
    assert not any(exists(s) for s in standards)


def test_owned_parts_go_without_cascade_on_both_sides(api, admin):
    for client in (api, admin):
        committee = make(Committee)
        terms = [make(TermOfReference, committee=committee), make(CategoryNote, committee=committee)]
        if client is api:
            assert api.delete(api_url(committee)).status_code == 204
        else:
            assert admin.post(admin_url(committee, "delete"), {"post": "yes"}).status_code == 302
        assert not exists(committee) and not any(exists(term) for term in terms)
        reason = TermOfReference.history.filter(id=terms[0].pk, history_type="-").get().history_change_reason
        assert reason.endswith(f"with committee “{committee.reference}”")


def test_a_partner_removed_by_a_cascade_is_in_the_groups_history(api):
    group = make(Group)
    partner = make(Organization)
    group.partner_organizations.add(partner)
    assert api.delete(f"{api_url(partner)}?cascade=true").status_code == 204
    latest = group.history.latest()
    assert list(latest.partner_organizations.all()) == []
    assert latest.history_user == api.user
