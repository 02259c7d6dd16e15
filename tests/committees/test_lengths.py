"""Every length limit is checked before the database sees it, the same on SQLite and PostgreSQL,
and a sort key never overflows its column: a reference full of numbers ("ISO 1-1-1-…", a group
reference with 35 numbered parts, a 39-character acronym of digits) overflowed the key when each
number was padded to eight digits (a 500 on PostgreSQL, stored whole on SQLite)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import given, settings
from hypothesis import strategies as st

from committees.models import (
    Committee,
    Group,
    GroupKind,
    Standard,
)
from core.models import LengthCheckedModel
from core.references import (
    GROUP_REFERENCE_RE,
    SORT_KEY_GROWTH,
    STANDARD_REFERENCE_RE,
    natural_sort_key,
    slug_for,
    sort_key_length,
)
from core.registry import portal_models
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

# The reproductions of issue 17, each valid and within its field's limit.
LONG_STANDARD = "ISO " + "-".join(["1"] * 28)  # 59 characters, 28 numbers
LONG_GROUP = "ISO/CASCO/" + "A1" * 35  # 80 characters, 35 numbered parts
LONG_ACRONYM = " ".join(["1"] * 20)  # 39 characters, 20 numbers


def test_the_reproductions_are_within_their_fields_limits():
    assert len(LONG_STANDARD) == 59 and STANDARD_REFERENCE_RE.match(LONG_STANDARD)
    assert len(LONG_GROUP) == 80 and GROUP_REFERENCE_RE.match(LONG_GROUP)
    assert len(LONG_ACRONYM) == 39
    # The eight-digit padding made each key longer than its column.
    padded = lambda text: re.sub(r"[0-9]+", lambda m: m.group().zfill(8), text.casefold())  # noqa: E731
    assert len(padded(LONG_STANDARD)) > 250 and len(padded(LONG_GROUP)) > 250 and len(padded(LONG_ACRONYM)) > 120


def test_long_number_heavy_records_are_stored_whole():
    casco = CommitteeFactory(reference="ISO/CASCO")
    records = [
        Standard(reference=LONG_STANDARD),
        Group(reference=LONG_GROUP, title="Long", kind=GroupKind.WORKING_GROUP, committee=casco),
        Organization(acronym=LONG_ACRONYM),
    ]
    for record in records:
        record.full_clean()
        record.save()
        record.refresh_from_db()
        assert len(record.sort_key) <= record._meta.get_field("sort_key").max_length
    liaison = OrganizationLiaison(organization=records[2], committee=casco, category="A")
    liaison.full_clean()
    liaison.save()
    assert OrganizationLiaison.objects.get().organization_sort_key == records[2].sort_key


@pytest.mark.parametrize(
    ("model", "source"),
    [(Committee, "reference"), (Group, "reference"), (Standard, "reference"), (Organization, "acronym")],
)
def test_every_sort_key_column_holds_the_key_of_the_longest_value(model, source):
    limit = model._meta.get_field(source).max_length
    assert model._meta.get_field("sort_key").max_length >= sort_key_length(limit)
    assert model._meta.get_field("slug").max_length >= limit  # a slug is never longer than its text


@pytest.mark.parametrize(
    ("model", "copies"),
    [
        (CommitteeLiaison, {"committee_sort_key": Committee, "liaison_committee_sort_key": Committee}),
        (OrganizationLiaison, {"organization_sort_key": Organization}),
    ],
)
def test_sort_key_copies_are_as_long_as_the_keys(model, copies):
    for name, source in copies.items():
        assert model._meta.get_field(name).max_length == source._meta.get_field("sort_key").max_length


def test_case_folding_makes_a_character_three_at_most():
    """The bound SORT_KEY_GROWTH rests on: no character case-folds to more than three."""
    longest = max(len(chr(code).casefold()) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert longest <= SORT_KEY_GROWTH


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_a_key_is_at_most_three_times_its_text(text):
    assert len(natural_sort_key(text)) <= SORT_KEY_GROWTH * len(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**40), min_size=2, max_size=20))
def test_numbers_sort_by_value(numbers):
    references = [f"ISO/TC {number}" for number in numbers]
    assert sorted(references, key=natural_sort_key) == [f"ISO/TC {n}" for n in sorted(numbers)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4), st.text("-/ ", max_size=1))
def test_the_order_of_realistic_references_is_unchanged(parts, separator):
    """For numbers of up to eight digits the key orders as the padded key did."""
    text = "ISO " + "-".join(str(part) for part in parts)
    shorter = "ISO " + "-".join(str(part) for part in parts[:-1]) + separator
    padded = lambda t: re.sub(r"[0-9]+", lambda m: m.group().zfill(8), t.casefold())  # noqa: E731
    assert (natural_sort_key(shorter) < natural_sort_key(text)) == (padded(shorter) < padded(text))


@pytest.mark.parametrize("model", portal_models(), ids=lambda model: model.__name__)
def test_every_text_field_of_every_model_is_checked(model):
    """Every portal model checks its text fields' lengths in full_clean() and save()."""
    assert issubclass(model, LengthCheckedModel)
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField):
            continue
        record = model()
        setattr(record, field.attname, "x" * (field.max_length + 1))
        shown = model.DERIVED_FROM.get(field.name, field.name)
        assert shown in record.length_errors(), field.name
        if field.editable:  # save() derives the others (slug, sort key) afresh
            # save() refuses it before any query, on every database.
            with pytest.raises(ValidationError) as refused:
                record.save()
            assert shown in refused.value.message_dict


def test_an_overlong_acronym_is_refused_by_save_on_every_database():
    """Saved without full_clean(): SQLite stored 41 characters, PostgreSQL raised DataError."""
    with pytest.raises(ValidationError) as refused:
        Organization.objects.create(acronym="X" * 41)
    assert "acronym" in refused.value.message_dict
    assert not Organization.objects.exists()


def test_a_derived_value_too_long_is_reported_on_its_source_field():
    organization = Organization(acronym="IAF")
    organization.sort_key = "x" * 121  # what an unbounded key would have been
    assert list(organization.length_errors()) == ["acronym"]


def test_a_meeting_slug_made_from_a_long_title_fits():
    title = "Workshop " + " ".join(["on conformity assessment"] * 11)
    meeting = Meeting(title=title, kind="workshop", year=2026)
    meeting.clean()  # makes the slug from the title
    meeting.full_clean()
    assert 0 < len(meeting.slug) <= 120 and title.lower().replace(" ", "-").startswith(meeting.slug)
    meeting.save()


@pytest.mark.parametrize("max_length", [1, 5, 20, 120])
def test_slug_for_cuts_at_a_hyphen(max_length):
    slug = slug_for("Workshop on conformity assessment and accreditation", max_length)
    assert len(slug) <= max_length and not slug.endswith("-")


def test_the_real_fixture_keeps_its_order(casco_data):
    references = list(Committee.objects.values_list("reference", flat=True))
    assert references.index("ISO/TC 34") < references.index("ISO/TC 207") < references.index("ISO/TC 232")
    for model, source in ((Committee, "reference"), (Group, "reference"), (Organization, "acronym")):
        for value, key in model.objects.values_list(source, "sort_key"):
            assert key == natural_sort_key(value)
