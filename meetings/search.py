"""What search covers for meetings: the one definition that the site search, the meetings list's
``?q=`` and the API's ``?search=`` use (core/search.py). Meetings have no search index: their
vector takes the host's name from a join."""

from core.search import SearchDefinition, register
from meetings.models import Meeting


@register
class MeetingSearch(SearchDefinition):
    model = Meeting
    kind = "meetings"
    label = "Meetings"
    list_url = "meetings:list"
    exact = "title"
    contains = ["host__acronym", "title"]
    weighted = {"A": ["title"], "B": ["host__name", "country"], "C": ["description"]}
    order = ["-year", "title"]

    def results(self):
        return Meeting.objects.for_list()
