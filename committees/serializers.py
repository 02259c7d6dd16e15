"""API serializers for committees, groups and standards, the short "reference" forms every resource
embeds, and the write serializer base that validates through the model's own ``full_clean()``."""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.encoding import iri_to_uri
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from committees.models import Committee, Group, GroupStandard, Standard, TermOfReference
from core.links import slug_url
from core.references import normalise_spaces
from liaisons.models import Organization
from meetings.models import Meeting

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


class RefSerializer(serializers.ModelSerializer):
    """The short form of a record embedded in others: plain model attributes plus ``url`` and
    ``api_url``. An API page embeds hundreds of these, so ``to_representation`` reads the
    attributes directly instead of going field by field through DRF (about 10x faster, the
    same JSON: tests/api/test_representation.py compares both)."""

    def to_representation(self, instance):
        data = {}
        for field in self._readable_fields:
            if isinstance(field, (PageUrlField, ApiUrlField)):
                data[field.field_name] = field.to_representation(instance)
            else:
                data[field.field_name] = getattr(instance, field.source)
        return data


class CommitteeRefSerializer(RefSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("committee-detail")

    class Meta:
        model = Committee
        fields = ["id", "reference", "slug", "title", "url", "api_url"]


class GroupRefSerializer(RefSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("group-detail")

    class Meta:
        model = Group
        fields = ["id", "reference", "slug", "title", "url", "api_url"]


class StandardRefSerializer(RefSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("standard-detail")

    class Meta:
        model = Standard
        fields = ["id", "reference", "slug", "title", "url", "api_url"]


class OrganizationRefSerializer(RefSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("organization-detail")

    class Meta:
        model = Organization
        fields = ["id", "acronym", "slug", "name", "url", "api_url"]


class MeetingRefSerializer(RefSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("meeting-detail")

    class Meta:
        model = Meeting
        fields = ["id", "slug", "title", "year", "url", "api_url"]


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


def committee_by_reference(**kwargs):
    kwargs.setdefault("help_text", "A committee's reference, e.g. “ISO/TC 207”.")
    return SpacedSlugRelatedField(slug_field="reference", queryset=Committee.objects.all(), **kwargs)


# --- Committees -------------------------------------------------------------------------------


class TermOfReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TermOfReference
        fields = ["position", "text"]


class LiaisonOfCommitteeSerializer(serializers.Serializer):
    """A liaison in which this committee is the liaison committee, seen from the holder."""

    id = serializers.IntegerField(read_only=True)
    committee = CommitteeRefSerializer(read_only=True, help_text="The committee holding the liaison (ISO/CASCO).")
    direction = serializers.CharField(read_only=True, help_text="incoming, outgoing or both.")
    can_access_committee_documents = serializers.BooleanField(
        source="can_access_documents", read_only=True, help_text="This committee can access the holder's documents."
    )
    committee_can_access_documents = serializers.BooleanField(
        source="documents_accessible", read_only=True, help_text="The holder can access this committee's documents."
    )


class CommitteeSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("committee-detail")
    parent = CommitteeRefSerializer(read_only=True, allow_null=True)
    subcommittees = CommitteeRefSerializer(many=True, read_only=True)
    terms_of_reference = TermOfReferenceSerializer(many=True, read_only=True)
    liaisons = LiaisonOfCommitteeSerializer(
        source="liaisons_held_by", many=True, read_only=True, help_text="Liaisons this committee is in."
    )

    class Meta:
        model = Committee
        fields = [
            "id",
            "reference",
            "slug",
            "url",
            "api_url",
            "title",
            "body",
            "kind",
            "parent",
            "subcommittees",
            "summary",
            "membership_rules",
            "participating_members",
            "observing_members",
            "published_standards",
            "standards_under_development",
            "standards_count_note",
            "terms_of_reference",
            "liaisons",
            "created_at",
            "updated_at",
        ]


class CommitteeWriteSerializer(ModelCleanSerializer):
    parent = committee_by_reference(
        required=False, allow_null=True, help_text="The parent committee's reference (for a subcommittee)."
    )

    class Meta:
        model = Committee
        fields = [
            "reference",
            "title",
            "body",
            "kind",
            "parent",
            "summary",
            "membership_rules",
            "participating_members",
            "observing_members",
            "published_standards",
            "standards_under_development",
            "standards_count_note",
        ]


# --- Groups -----------------------------------------------------------------------------------


class GroupStandardSerializer(serializers.ModelSerializer):
    standard = StandardRefSerializer(read_only=True)

    class Meta:
        model = GroupStandard
        fields = ["standard", "work"]


class GroupParticipationSerializer(serializers.Serializer):
    organization = OrganizationRefSerializer(read_only=True)
    name_in_source = serializers.CharField(read_only=True)
    purpose = serializers.CharField(read_only=True)


class GroupSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("group-detail")
    committee = CommitteeRefSerializer(read_only=True, help_text="The responsible committee.")
    # The lists Group.objects.for_api() prefetches (see GroupViewSet.get_queryset).
    partner_committees = CommitteeRefSerializer(source="partner_committee_list", many=True, read_only=True)
    partner_organizations = OrganizationRefSerializer(source="partner_organization_list", many=True, read_only=True)
    standards = GroupStandardSerializer(source="group_standard_list", many=True, read_only=True)
    participations = GroupParticipationSerializer(source="participation_list", many=True, read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "reference",
            "slug",
            "url",
            "api_url",
            "title",
            "type_label",
            "kind",
            "committee",
            "partner_committees",
            "partner_organizations",
            "standards",
            "participations",
            "description",
            "created_at",
            "updated_at",
        ]


class GroupWriteSerializer(ModelCleanSerializer):
    committee = committee_by_reference(help_text="The responsible committee's reference, e.g. “ISO/CASCO”.")
    partner_committees = committee_by_reference(many=True, required=False, help_text="Partner committees' references.")
    partner_organizations = SpacedSlugRelatedField(
        slug_field="acronym",
        queryset=Organization.objects.all(),
        many=True,
        required=False,
        help_text="Partner organizations' acronyms.",
    )

    class Meta:
        model = Group
        fields = [
            "reference",
            "title",
            "type_label",
            "kind",
            "committee",
            "partner_committees",
            "partner_organizations",
            "description",
        ]


# --- Standards --------------------------------------------------------------------------------


class StandardGroupSerializer(serializers.ModelSerializer):
    group = GroupRefSerializer(read_only=True)

    class Meta:
        model = GroupStandard
        fields = ["group", "work"]


class StandardSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("standard-detail")
    groups = StandardGroupSerializer(source="group_standards", many=True, read_only=True)

    class Meta:
        model = Standard
        fields = [
            "id",
            "reference",
            "slug",
            "url",
            "api_url",
            "title",
            "abbreviation",
            "groups",
            "created_at",
            "updated_at",
        ]


class StandardWriteSerializer(ModelCleanSerializer):
    class Meta:
        model = Standard
        fields = ["reference", "title", "abbreviation"]
