"""The liaison table's rows (``{% load liaison_tags %}``)."""

from django import template
from django.utils.safestring import mark_safe

from core.templatetags.portal import html_join, html_link

register = template.Library()


_LIAISON_ROW = (
    '<tr>\n      <th scope="row"><a href="{}">{}</a></th>\n'
    '      <td data-label="Title">{}</td>\n'
    '      <td data-label="Body">{}</td>\n'
    '      <td class="ref" data-label="Parent">{}</td>\n'
    '      <td class="col-direction" data-label="Can access CASCO\'s documents">{}</td>\n'
    '      <td class="col-direction" data-label="CASCO can access theirs">{}</td>\n    </tr>'
)
_YES = mark_safe('<span class="yes">Yes</span>')
_NO = mark_safe('<span class="no">No</span>')


def _parent_link(committee):
    parent = committee.parent
    if parent is None:
        return "—"
    return html_link(parent.get_absolute_url(), parent.reference)


@register.simple_tag
def liaison_rows(liaisons):
    """The liaison table's rows (``{% liaison_rows object_list %}``), from
    ``CommitteeLiaison.objects.for_table()``, built as ``group_rows`` builds the group list's
    (docs/benchmarks.md, "Row tags")."""
    return html_join(
        "\n    ",
        _LIAISON_ROW,
        (
            (
                liaison.liaison_committee.get_absolute_url(),
                liaison.liaison_committee.reference,
                liaison.liaison_committee.title or "—",
                liaison.liaison_committee.body,
                _parent_link(liaison.liaison_committee),
                _YES if liaison.can_access_documents else _NO,
                _YES if liaison.documents_accessible else _NO,
            )
            for liaison in liaisons
        ),
    )
