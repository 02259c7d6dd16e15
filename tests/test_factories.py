"""The factories (tests/factories.py) make valid records: each one's defaults pass the model's
``full_clean()`` before it is saved and the database's constraints when it is, two records made
with them do not collide on a unique field, and neither do they with the real data. The user
factory gives each role what it says."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup

from committees.models import CASCO_REFERENCE, Committee, CommitteeKind
from core.registry import portal_models
from core.roles import SECRETARIAT_GROUP_NAME, secretariat_permissions
from tests.factories import (
    FACTORIES,
    CommitteeFactory,
    MeetingFactory,
    TermOfReferenceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ALL = pytest.mark.parametrize("factory", FACTORIES.values(), ids=lambda f: f.__name__)


def saved_related(model):
    """A saved record for each required foreign key of ``model``, made by its factory (``build()``
    would leave them unsaved too)."""
    return {
        field.name: FACTORIES[field.related_model]()
        for field in model._meta.concrete_fields
        if field.many_to_one and not field.null
    }


def test_every_portal_model_has_a_factory():
    for model in portal_models():
        assert model in FACTORIES, f"{model._meta.label} has no factory in tests/factories.py"


@ALL
def test_the_defaults_pass_full_clean_and_save(factory):
    model = factory._meta.model
    record = factory.build(**saved_related(model))
    assert record.pk is None
    record.full_clean()
    record.save()
    assert model.objects.filter(pk=record.pk).exists()


@ALL
def test_two_records_made_with_the_defaults_do_not_collide(factory):
    first, second = factory(), factory()
    assert first.pk != second.pk
    second.full_clean()  # unique fields and constraints checked against the first
    for field in factory._meta.model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            assert getattr(first, field.attname) != getattr(second, field.attname), field.name


@ALL
def test_the_defaults_do_not_collide_with_the_real_data(casco_data, factory):
    record = factory()
    record.full_clean()


def test_two_terms_of_one_committee_take_two_positions():
    committee = CommitteeFactory()
    first, second = TermOfReferenceFactory(committee=committee), TermOfReferenceFactory(committee=committee)
    assert first.position != second.position
    second.full_clean()


def test_a_committees_body_and_kind_follow_its_reference():
    tc = CommitteeFactory()
    assert (tc.body, tc.kind) == ("ISO", CommitteeKind.TECHNICAL_COMMITTEE)
    subcommittee = CommitteeFactory(parent=tc)
    assert subcommittee.reference.startswith(f"{tc.reference}/SC ")
    assert subcommittee.kind == CommitteeKind.SUBCOMMITTEE
    subcommittee.full_clean()
    jtc = CommitteeFactory(reference="ISO/IEC JTC 99")
    assert (jtc.body, jtc.kind) == ("ISO/IEC", CommitteeKind.JOINT_TECHNICAL_COMMITTEE)
    jtc.full_clean()
    policy = CommitteeFactory(reference="IEC/XYZ")
    assert (policy.body, policy.kind) == ("IEC", CommitteeKind.POLICY_COMMITTEE)
    policy.full_clean()


@pytest.mark.parametrize(
    "factory",
    [factory for model, factory in FACTORIES.items() if "committee" in {f.name for f in model._meta.concrete_fields}],
    ids=lambda f: f.__name__,
)
def test_the_records_of_a_real_committee_do_not_collide_with_its_own(casco, factory):
    """ISO/CASCO has groups, terms of reference, liaisons and a category note: new ones made for
    it by the defaults take other references and positions."""
    record = factory(committee=casco)
    record.full_clean()
    assert record.committee == Committee.objects.get(reference=CASCO_REFERENCE)


def test_a_meetings_slug_is_made_from_its_title():
    meeting = MeetingFactory(title="A <special> meeting")
    assert meeting.slug == "a-special-meeting"
    meeting.full_clean()


# Users


def test_a_user_has_no_role_and_no_usable_password_by_default():
    user = UserFactory()
    user.full_clean()
    assert not (user.is_staff or user.is_superuser or user.groups.exists() or user.user_permissions.exists())
    assert not user.has_usable_password()
    assert UserFactory().username != user.username


def test_a_given_password_is_stored_hashed():
    user = UserFactory(password="a-password-1234")
    assert user.password != "a-password-1234"
    assert get_user_model().objects.get(pk=user.pk).check_password("a-password-1234")


def test_staff_has_the_admin_but_no_permission():
    user = UserFactory(role="staff")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert not user.get_all_permissions()


def test_the_secretariat_is_staff_in_the_secretariat_group():
    user = UserFactory(role="secretariat")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert list(user.groups.values_list("name", flat=True)) == [SECRETARIAT_GROUP_NAME]
    user = get_user_model().objects.get(pk=user.pk)  # no cached permissions
    wanted = {
        f"{p.content_type.app_label}.{p.codename}" for p in secretariat_permissions().select_related("content_type")
    }
    assert user.get_all_permissions() == wanted
    assert user.has_perm("committees.change_committee") and not user.has_perm("auth.add_user")


def test_a_superuser_is_staff_and_superuser():
    user = UserFactory(role="superuser")
    assert (user.is_staff, user.is_superuser) == (True, True)
    assert user.has_perm("auth.add_user")
    assert not user.groups.exists()


def test_build_makes_an_unsaved_user_even_for_the_secretariat():
    groups = list(AuthGroup.objects.values_list("pk", "name"))
    user = UserFactory.build(role="secretariat")
    assert user.pk is None and user.is_staff
    assert list(AuthGroup.objects.values_list("pk", "name")) == groups  # nothing written


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="Unknown role 'editor'"):
        UserFactory(role="editor")
