"""API serializers for committee liaisons, organizations and organization liaisons."""

from rest_framework import serializers

from committees.models import Committee, Group
from core.api.serializers import ApiUrlField, ModelCleanSerializer, PageUrlField, record_by, ref_serializer
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from meetings.models import Meeting


class CommitteeLiaisonSerializer(serializers.ModelSerializer):
    url = PageUrlField(help_text="The liaison committee's page on the portal.")
    api_url = ApiUrlField("committee-liaison-detail", lookup="pk")
    committee = ref_serializer(Committee)(read_only=True, help_text="The committee holding the liaison (ISO/CASCO).")
    liaison_committee = ref_serializer(Committee)(read_only=True, help_text="The committee in liaison.")
    body = serializers.CharField(
        source="liaison_committee.body", read_only=True, help_text="The liaison committee's body."
    )
    parent = ref_serializer(Committee)(
        source="liaison_committee.parent", read_only=True, allow_null=True, help_text="The liaison committee's parent."
    )
    can_access_committee_documents = serializers.BooleanField(
        source="can_access_documents",
        read_only=True,
        help_text="The liaison committee can access the holding committee's documents (incoming or both).",
    )
    committee_can_access_documents = serializers.BooleanField(
        source="documents_accessible",
        read_only=True,
        help_text="The holding committee can access the liaison committee's documents (outgoing or both).",
    )

    class Meta:
        model = CommitteeLiaison
        fields = [
            "id",
            "url",
            "api_url",
            "committee",
            "liaison_committee",
            "body",
            "parent",
            "direction",
            "can_access_committee_documents",
            "committee_can_access_documents",
            "created_at",
            "updated_at",
        ]


class CommitteeLiaisonWriteSerializer(ModelCleanSerializer):
    committee = record_by(Committee, "reference", help_text="The holding committee's reference, e.g. “ISO/CASCO”.")
    liaison_committee = record_by(
        Committee, "reference", help_text="The liaison committee's reference, e.g. “ISO/TC 207”."
    )

    class Meta:
        model = CommitteeLiaison
        fields = ["committee", "liaison_committee", "direction"]


class LiaisonOfOrganizationSerializer(serializers.ModelSerializer):
    committee = ref_serializer(Committee)(read_only=True)
    api_url = ApiUrlField("organization-liaison-detail", lookup="pk")

    class Meta:
        model = OrganizationLiaison
        fields = ["id", "api_url", "committee", "category"]


class ParticipationSerializer(serializers.Serializer):
    group = ref_serializer(Group)(read_only=True)
    name_in_source = serializers.CharField(read_only=True)
    purpose = serializers.CharField(read_only=True)


class OrganizationSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("organization-detail")
    liaisons = LiaisonOfOrganizationSerializer(many=True, read_only=True)
    joint_groups = ref_serializer(Group)(many=True, read_only=True, help_text="Groups it is a partner in.")
    participations = ParticipationSerializer(many=True, read_only=True, help_text="Groups it takes part in.")
    hosted_meetings = ref_serializer(Meeting)(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "acronym",
            "slug",
            "url",
            "api_url",
            "name",
            "description",
            "country",
            "liaisons",
            "joint_groups",
            "participations",
            "hosted_meetings",
            "created_at",
            "updated_at",
        ]


class OrganizationWriteSerializer(ModelCleanSerializer):
    class Meta:
        model = Organization
        fields = ["acronym", "name", "description", "country"]


class OrganizationLiaisonSerializer(serializers.ModelSerializer):
    url = PageUrlField(help_text="The organization's page on the portal.")
    api_url = ApiUrlField("organization-liaison-detail", lookup="pk")
    organization = ref_serializer(Organization)(read_only=True)
    committee = ref_serializer(Committee)(read_only=True)

    class Meta:
        model = OrganizationLiaison
        fields = ["id", "url", "api_url", "organization", "committee", "category", "created_at", "updated_at"]


class OrganizationLiaisonWriteSerializer(ModelCleanSerializer):
    organization = serializers.SlugRelatedField(
        slug_field="acronym", queryset=Organization.objects.all(), help_text="The organization's acronym, e.g. “IAF”."
    )
    committee = record_by(Committee, "reference", help_text="The committee's reference, e.g. “ISO/CASCO”.")

    class Meta:
        model = OrganizationLiaison
        fields = ["organization", "committee", "category"]
