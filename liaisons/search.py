"""What search covers for organizations: the one definition that the site search, the
organizations list's ``?q=`` and the API's ``?search=`` use (core/search.py). The liaisons are
searched through their committee's or organization's definition. Migration committees 0005
indexes the vector on PostgreSQL: change both together."""

from committees.models import Committee
from core.search import SearchDefinition, register, register_related
from liaisons.models import CommitteeLiaison, Organization, OrganizationLiaison


@register
class OrganizationSearch(SearchDefinition):
    model = Organization
    kind = "organizations"
    label = "Organizations"
    list_url = "liaisons:organization-list"
    exact = "acronym"
    contains = ["acronym"]
    weighted = {"A": ["name"], "C": ["description", "country"]}
    order = ["sort_key"]


# A liaison with a committee is found when the committee in liaison is; one with an organization
# when the organization is (the liaison committees and organizations pages, and the API).
register_related(CommitteeLiaison, "liaison_committee", Committee)
register_related(OrganizationLiaison, "organization", Organization)
