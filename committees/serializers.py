"""API serializers for committees, groups and standards."""

from rest_framework import serializers

from committees.models import Committee, Group, GroupStandard, Standard, TermOfReference
from core.api.serializers import ApiUrlField, ModelCleanSerializer, PageUrlField, record_by, ref_serializer
from liaisons.models import Organization

# --- Committees -------------------------------------------------------------------------------


class TermOfReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TermOfReference
        fields = ["position", "text"]


class LiaisonOfCommitteeSerializer(serializers.Serializer):
    """A liaison in which this committee is the liaison committee, seen from the holder."""

    id = serializers.IntegerField(read_only=True)
    committee = ref_serializer(Committee)(read_only=True, help_text="The committee holding the liaison (ISO/CASCO).")
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
    parent = ref_serializer(Committee)(read_only=True, allow_null=True)
    subcommittees = ref_serializer(Committee)(many=True, read_only=True)
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
    parent = record_by(
        Committee,
        "reference",
        required=False,
        allow_null=True,
        help_text="The parent committee's reference (for a subcommittee).",
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
    standard = ref_serializer(Standard)(read_only=True)

    class Meta:
        model = GroupStandard
        fields = ["standard", "work"]


class GroupParticipationSerializer(serializers.Serializer):
    organization = ref_serializer(Organization)(read_only=True)
    name_in_source = serializers.CharField(read_only=True)
    purpose = serializers.CharField(read_only=True)


class GroupSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    api_url = ApiUrlField("group-detail")
    committee = ref_serializer(Committee)(read_only=True, help_text="The responsible committee.")
    # The lists Group.objects.for_api() prefetches (see GroupViewSet.get_queryset).
    partner_committees = ref_serializer(Committee)(source="partner_committee_list", many=True, read_only=True)
    partner_organizations = ref_serializer(Organization)(source="partner_organization_list", many=True, read_only=True)
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
    committee = record_by(Committee, "reference", help_text="The responsible committee's reference, e.g. “ISO/CASCO”.")
    partner_committees = record_by(
        Committee, "reference", many=True, required=False, help_text="Partner committees' references."
    )
    partner_organizations = record_by(
        Organization,
        "acronym",
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
    group = ref_serializer(Group)(read_only=True)

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
