from django.views.generic import DetailView, TemplateView

from liaisons.models import CommitteeLiaison, Organization
from meetings.models import Meeting

from .models import Committee, Group, Standard


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            casco=Committee.objects.filter(reference="ISO/CASCO").prefetch_related("terms_of_reference").first(),
            groups=Group.objects.for_list(),
            liaisons=CommitteeLiaison.objects.for_list(),
            organizations=Organization.objects.for_list(),
            meetings=Meeting.objects.for_list(),
            **kwargs,
        )


class CommitteeDetailView(DetailView):
    queryset = Committee.objects.for_detail()


class GroupDetailView(DetailView):
    queryset = Group.objects.for_detail()


class StandardDetailView(DetailView):
    queryset = Standard.objects.for_list()
