"""The group list's table rows (``{% load committee_tags %}``)."""

from itertools import chain

from django import template

from core.templatetags.portal import html_join

register = template.Library()


_ROW = (
    '<tr>\n      <th scope="row"><a href="{}">{}</a></th>\n'
    '      <td data-label="Title">{}</td>\n'
    '      <td data-label="Type">{}</td>\n'
    '      <td class="ref" data-label="Responsible committee"><a href="{}">{}</a></td>\n'
    '      <td data-label="Partners">{}</td>\n    </tr>'
)


def _partner_links(group):
    """Links to a group's partner committees, then its partner organizations; "—" for none."""
    links = chain(
        ((committee.get_absolute_url(), committee.reference) for committee in group.partner_committee_list),
        ((organization.get_absolute_url(), organization.acronym) for organization in group.partner_organization_list),
    )
    return html_join(", ", '<a href="{}">{}</a>', links) or "—"


@register.simple_tag
def group_rows(groups):
    """The group list's table rows (``{% group_rows object_list %}``), from ``for_table()``.

    Built here, as the admin builds its change-list rows, rather than in a template loop: a page
    holds up to 100 groups, and a template loop's variable lookups cost more than the rest of the
    page (docs/benchmarks.md, "Row tags"). Every value is escaped by ``html_join``."""
    return html_join(
        "\n    ",
        _ROW,
        (
            (
                group.get_absolute_url(),
                group.reference,
                group.title,
                group.get_kind_display(),
                group.committee.get_absolute_url(),
                group.committee.reference,
                _partner_links(group),
            )
            for group in groups
        ),
    )
