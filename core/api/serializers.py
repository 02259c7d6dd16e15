"""The serializer machinery every resource shares: the link fields (``url``, ``api_url``), the
short "reference" form of a record embedded in others (``ref_serializer``), and the write
serializer base that validates through the model's own ``full_clean()``."""

import copy
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.encoding import iri_to_uri
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings

from core.links import slug_url
from core.references import normalise_spaces

# --- Links ------------------------------------------------------------------------------------


def _absolute(serializer_field, path):
    """``request.build_absolute_uri(path)`` for a path starting with "/", without its parsing:
    the scheme and host are worked out once per request."""
    request = serializer_field.context.get("request")
    if request is None:
        return path
    return f"{request._current_scheme_host}{iri_to_uri(path)}"


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the record's HTML page (``get_absolute_url()``)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", "The record's page on the portal.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return _absolute(self, value.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The absolute URL of the record in this API (addressed by slug, or id where it has none)."""

    def __init__(self, view_name, lookup="slug", **kwargs):
        self.view_name = view_name
        self.lookup = lookup
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", "The record in this API.")
        super().__init__(**kwargs)

    def to_representation(self, value):
        path = slug_url(f"api:{self.view_name}", getattr(value, self.lookup), kwarg="id_or_slug")
        return _absolute(self, path)


# --- Short forms embedded in other records ----------------------------------------------------

# What the schema says of every ``…Ref`` component (the docstring below is for developers).
REF_SCHEMA_DESCRIPTION = (
    "The short form of a record embedded in others: the fields that name it, plus ``url`` (its page)\n"
    "and ``api_url`` (its address in the API)."
)


@extend_schema_serializer(description=REF_SCHEMA_DESCRIPTION)
class RefSerializer(serializers.ModelSerializer):
    """The short form of a record embedded in others: plain model attributes plus ``url`` and
    ``api_url``. ``to_representation`` reads the attributes directly instead of going field by
    field through DRF, which an API page embedding hundreds of these would pay for each; the JSON
    is the same (tests/core/test_api_representation.py compares both)."""

    def to_representation(self, instance):
        data = {}
        for field in self._readable_fields:
            if isinstance(field, (PageUrlField, ApiUrlField)):
                data[field.field_name] = field.to_representation(instance)
            else:
                data[field.field_name] = getattr(instance, field.source)
        return data


@cache
def ref_serializer(model):
    """The reference serializer of ``model``: the fields the model names in ``api_ref_fields``,
    then ``url`` (its page) and ``api_url`` (``api:<model_name>-detail``, by slug).

    One class per model, named ``<Model>RefSerializer`` (the schema's ``<Model>Ref`` component),
    so that every app embedding another's records uses the same class without importing that
    app's serializers."""
    meta = type("Meta", (), {"model": model, "fields": [*model.api_ref_fields, "url", "api_url"]})
    name = f"{model.__name__}RefSerializer"
    return type(
        name,
        (RefSerializer,),
        {
            "__module__": __name__,
            "__qualname__": name,
            "url": PageUrlField(),
            "api_url": ApiUrlField(f"{model._meta.model_name}-detail"),
            "Meta": meta,
        },
    )


# --- Writing through the model's validation ---------------------------------------------------


def django_error_to_drf(exc):
    """A Django ValidationError as DRF field errors (``__all__`` becomes ``non_field_errors``)."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


class ModelCleanSerializer(serializers.ModelSerializer):
    """Validates a write as the database and the admin do: after DRF's field checks, the record
    is built in memory and the model's ``full_clean()`` runs (field validators, ``clean()``,
    unique and check constraints), limited like a ModelForm to the fields the serializer writes."""

    # References and acronyms as published often hold non-breaking or doubled spaces
    # ("ISO/TC\u00a0207"): they are read as the importer reads them, one plain space.
    reference_fields = ("reference", "acronym")

    def to_internal_value(self, data):
        as_sent = self._text_as_sent_errors(data)
        if isinstance(data, dict) and any(isinstance(data.get(name), str) for name in self.reference_fields):
            data = data.copy()  # a plain dict, or a QueryDict's mutable copy (form-encoded bodies)
            for name in self.reference_fields:
                if isinstance(data.get(name), str):
                    data[name] = normalise_spaces(data[name])
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**exc.detail, **as_sent}) from exc
        if as_sent:
            raise serializers.ValidationError(as_sent)
        return value

    def _text_as_sent_errors(self, data):
        """Text fields checked against the schema as sent: a string (DRF turns a number into its
        digits, so ``"country": 3.5`` was stored as "3.5"), no longer than ``maxLength`` (DRF
        measures a value after trimming its ends, and the reference fields are tidied first, so
        a padded value one character over was stored though the schema refuses it)."""
        if not isinstance(data, dict):
            return {}
        errors = {}
        for field in self._writable_fields:
            if not isinstance(field, serializers.CharField) or field.field_name not in data:
                continue
            value, limit = data[field.field_name], field.max_length
            if value is not None and not isinstance(value, str):
                errors[field.field_name] = [field.error_messages["invalid"]]
            elif isinstance(value, str) and limit and len(value) > limit:
                errors[field.field_name] = [field.error_messages["max_length"].format(max_length=limit)]
        return errors

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        written = {field.source for field in self._writable_fields}
        exclude = [field.name for field in model._meta.concrete_fields if field.name not in written]
        try:
            instance.full_clean(exclude=exclude)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_error_to_drf(exc)) from exc
        return attrs


class SpacedSlugRelatedField(serializers.SlugRelatedField):
    """A record by its reference or acronym, read with non-breaking or doubled spaces tidied."""

    def to_internal_value(self, data):
        return super().to_internal_value(normalise_spaces(data) if isinstance(data, str) else data)


def record_by(model, slug_field, **kwargs):
    """A writable relation to a ``model`` record given by its ``slug_field`` (a reference or an
    acronym), read with spaces tidied (:class:`SpacedSlugRelatedField`)."""
    return SpacedSlugRelatedField(slug_field=slug_field, queryset=model._default_manager.all(), **kwargs)
