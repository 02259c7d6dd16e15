from django.views.generic import DetailView

from .models import Meeting


class MeetingDetailView(DetailView):
    queryset = Meeting.objects.for_detail()
