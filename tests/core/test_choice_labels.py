"""get_<field>_display() on the portal's models answers exactly what Django's own method does
(SourcedModel builds each field's labels once instead of on every call)."""

import pytest
from django.apps import apps
from django.db import models

from committees.models import SourcedModel

CHOICE_FIELDS = [
    (model, field)
    for model in apps.get_models()
    if issubclass(model, SourcedModel)
    for field in model._meta.concrete_fields
    if field.choices
]


def test_every_portal_enumeration_is_covered():
    names = {f"{model.__name__}.{field.name}" for model, field in CHOICE_FIELDS}
    assert {"Committee.body", "Committee.kind", "Group.kind", "CommitteeLiaison.direction", "Meeting.kind"} <= names


@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=lambda v: getattr(v, "__name__", getattr(v, "name", ""))
)
def test_display_matches_django(model, field):
    values = [value for value, _ in field.flatchoices] + ["not-a-choice", "", None]
    for value in values:
        instance = model(**{field.attname: value})
        ours = getattr(instance, f"get_{field.name}_display")()
        djangos = models.Model._get_FIELD_display(instance, field)
        assert ours == djangos
        assert type(ours) is type(djangos)
