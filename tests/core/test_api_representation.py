"""The short "reference" forms embedded in API records (``ref_serializer``, one class per model)
read attributes directly (RefSerializer); their output is exactly DRF's own field-by-field
output, for every record of the real data."""

import pytest
from django.test import RequestFactory
from rest_framework import serializers

from committees.models import Committee, Group, Standard
from core.api.serializers import RefSerializer, ref_serializer
from liaisons.models import Organization
from meetings.models import Meeting
from tests.api_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db

REFS = [ref_serializer(model) for model in (Committee, Group, Standard, Organization, Meeting)]


def drf_own(serializer_class):
    """The same serializer with DRF's generic to_representation."""
    return type(
        f"Plain{serializer_class.__name__}",
        (serializer_class,),
        {"to_representation": serializers.ModelSerializer.to_representation},
    )


@pytest.mark.parametrize("serializer_class", REFS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("with_request", [True, False], ids=["absolute", "relative"])
def test_same_output_as_drf(casco_data, serializer_class, with_request):
    context = {"request": RequestFactory().get("/api/v1/", secure=True)} if with_request else {}
    if with_request:
        from rest_framework.request import Request

        context["request"] = Request(context["request"])
    records = list(serializer_class.Meta.model.objects.all())
    assert records
    fast = serializer_class(records, many=True, context=context).data
    plain = drf_own(serializer_class)(records, many=True, context=context).data
    assert fast == plain
    if with_request:
        assert all(row["url"].startswith("https://testserver/") for row in fast)


@pytest.mark.parametrize("model", [Committee, Group, Standard, Organization, Meeting], ids=lambda m: m.__name__)
def test_one_class_per_model(model):
    """The same class wherever a reference is embedded, named for the schema's ``<Model>Ref``."""
    serializer_class = ref_serializer(model)
    assert ref_serializer(model) is serializer_class
    assert issubclass(serializer_class, RefSerializer)
    assert serializer_class.__name__ == f"{model.__name__}RefSerializer"
    assert serializer_class.Meta.fields == [*model.api_ref_fields, "url", "api_url"]
