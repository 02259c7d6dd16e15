"""API serializers for meetings."""

from rest_framework import serializers

from committees.models import Committee, Group
from core.api.serializers import ApiUrlField, ModelCleanSerializer, PageUrlField, record_by, ref_serializer
from core.references import slug_for
from liaisons.models import Organization
from meetings.models import Meeting


class MeetingSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("meeting-detail")
    committee = ref_serializer(Committee)(read_only=True, allow_null=True, help_text="The committee meeting.")
    host = ref_serializer(Organization)(read_only=True, allow_null=True)
    groups = ref_serializer(Group)(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "slug",
            "url",
            "api_url",
            "title",
            "kind",
            "year",
            "committee",
            "host",
            "country",
            "venue",
            "start_date",
            "end_date",
            "description",
            "announced_on",
            "groups",
            "created_at",
            "updated_at",
        ]


class MeetingWriteSerializer(ModelCleanSerializer):
    slug = serializers.SlugField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="The meeting's address; made from the title if left out or blank (kept as it is on an update).",
    )
    committee = record_by(Committee, "reference", required=False, allow_null=True, help_text="The committee meeting.")
    host = serializers.SlugRelatedField(
        slug_field="acronym",
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The host organization's acronym, e.g. “KEBS”.",
    )

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "kind",
            "year",
            "committee",
            "host",
            "country",
            "venue",
            "start_date",
            "end_date",
            "description",
            "announced_on",
        ]
        # The bounds of the meeting_year_range constraint, so a bad year is reported on the field.
        extra_kwargs = {"year": {"min_value": 1946, "max_value": 2100}}

    def validate(self, attrs):
        # Blank is "not given", as an HTML form's empty field is (DRF reads it so from forms).
        if not attrs.get("slug"):
            attrs.pop("slug", None)
            if self.instance is None and attrs.get("title"):
                attrs["slug"] = slug_for(attrs["title"], Meeting._meta.get_field("slug").max_length)
        return super().validate(attrs)
