"""What search covers for committees, groups and standards: the one definition each that the
site search, the lists' ``?q=`` and the API's ``?search=`` use (core/search.py). Migration 0005
indexes these fields' vectors on PostgreSQL: change both together."""

from committees.models import Committee, Group, Standard
from core.search import SearchDefinition, register


@register
class CommitteeSearch(SearchDefinition):
    model = Committee
    kind = "committees"
    label = "Committees"
    list_url = "committees:list"
    exact = "reference"
    contains = ["reference"]
    weighted = {"A": ["title"]}
    order = ["sort_key"]

    def results(self):
        return Committee.objects.for_list()


@register
class GroupSearch(SearchDefinition):
    model = Group
    kind = "groups"
    label = "Groups"
    list_url = "committees:group-list"
    exact = "reference"
    contains = ["reference"]
    weighted = {"A": ["title"], "C": ["description"]}
    order = ["sort_key"]

    def results(self):
        return Group.objects.select_related("committee")


@register
class StandardSearch(SearchDefinition):
    model = Standard
    kind = "standards"
    label = "Standards"
    list_url = None  # standards have no list page
    exact = "reference"
    contains = ["reference", "abbreviation"]
    weighted = {"A": ["title"]}
    order = ["sort_key"]
