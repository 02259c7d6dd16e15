"""API viewsets for committees, groups and standards. The machinery they share is in
``core/api/``; the router lives in ``casco_portal/api.py``."""

from committees.filters import CommitteeFilter, GroupFilter, StandardFilter
from committees.models import Committee, Group, Standard
from committees.serializers import (
    CommitteeSerializer,
    CommitteeWriteSerializer,
    GroupSerializer,
    GroupWriteSerializer,
    StandardSerializer,
    StandardWriteSerializer,
)
from core.api.viewsets import PortalViewSet


class CommitteeViewSet(PortalViewSet):
    """ISO, IEC and ISO/IEC committees: ISO/CASCO, the committees in liaison with it, and parents."""

    serializer_class = CommitteeSerializer
    write_serializer_class = CommitteeWriteSerializer
    filterset_class = CommitteeFilter

    def get_queryset(self):
        return Committee.objects.for_detail().prefetch_related("liaisons_held_by__committee")


class GroupViewSet(PortalViewSet):
    """Working groups, joint groups, task forces and other groups under a committee."""

    serializer_class = GroupSerializer
    write_serializer_class = GroupWriteSerializer
    filterset_class = GroupFilter

    def get_queryset(self):
        return Group.objects.for_api()


class StandardViewSet(PortalViewSet):
    """Standards and technical specifications the groups work on."""

    serializer_class = StandardSerializer
    write_serializer_class = StandardWriteSerializer
    filterset_class = StandardFilter

    def get_queryset(self):
        return Standard.objects.for_list().prefetch_related("group_standards__group")
