from django.views.generic import DetailView, ListView

from .models import Organization


class OrganizationListView(ListView):
    queryset = Organization.objects.for_list()


class OrganizationDetailView(DetailView):
    queryset = Organization.objects.for_detail()
