"""API viewset for meetings."""

from core.api.viewsets import PortalViewSet
from meetings.filters import MeetingFilter
from meetings.models import Meeting
from meetings.serializers import MeetingSerializer, MeetingWriteSerializer


class MeetingViewSet(PortalViewSet):
    """Plenary meetings, workshops and other meetings, with what their announcement states."""

    serializer_class = MeetingSerializer
    write_serializer_class = MeetingWriteSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return Meeting.objects.for_detail()
