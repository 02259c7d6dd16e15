"""API viewsets for committee liaisons, organizations and organization liaisons."""

from django.db.models import Case, IntegerField, Value, When

from committees.models import CASCO_REFERENCE
from core.api.viewsets import PortalViewSet
from liaisons.filters import CommitteeLiaisonFilter, OrganizationFilter, OrganizationLiaisonFilter
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison
from liaisons.serializers import (
    CommitteeLiaisonSerializer,
    CommitteeLiaisonWriteSerializer,
    OrganizationLiaisonSerializer,
    OrganizationLiaisonWriteSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
)


def casco_first(queryset, committee_field):
    """Order so that a liaison held by ISO/CASCO comes first (for lookups by the other side's slug)."""
    return queryset.order_by(
        Case(
            When(**{f"{committee_field}__reference": CASCO_REFERENCE}, then=Value(0)),
            default=1,
            output_field=IntegerField(),
        ),
        *queryset.model._meta.ordering,
    )


class CommitteeLiaisonViewSet(PortalViewSet):
    """Committees in liaison, with the direction documents are shared in. The detail is addressed
    by id or by the liaison committee's slug (its liaison with ISO/CASCO first)."""

    serializer_class = CommitteeLiaisonSerializer
    write_serializer_class = CommitteeLiaisonWriteSerializer
    filterset_class = CommitteeLiaisonFilter

    def get_queryset(self):
        return CommitteeLiaison.objects.for_list()

    def get_by_slug(self, queryset, slug):
        return casco_first(queryset.filter(liaison_committee__slug=slug), "committee").first()


class OrganizationViewSet(PortalViewSet):
    """Organizations outside ISO and IEC: in liaison, partners in groups, meeting hosts."""

    serializer_class = OrganizationSerializer
    write_serializer_class = OrganizationWriteSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return Organization.objects.for_detail()


class OrganizationLiaisonViewSet(PortalViewSet):
    """Organizations in liaison with a committee, in category A, B or C. The detail is addressed by
    id or by the organization's slug (its liaison with ISO/CASCO first)."""

    serializer_class = OrganizationLiaisonSerializer
    write_serializer_class = OrganizationLiaisonWriteSerializer
    filterset_class = OrganizationLiaisonFilter

    def get_queryset(self):
        return OrganizationLiaison.objects.for_list()

    def get_by_slug(self, queryset, slug):
        return casco_first(queryset.filter(organization__slug=slug), "committee").first()
