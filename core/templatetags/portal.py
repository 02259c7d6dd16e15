"""Template tags of the portal's pages."""

import html
from itertools import chain

from django import template
from django.utils import dateformat
from django.utils.safestring import mark_safe

from core.links import view_url

register = template.Library()


def _escape(value):
    """``conditional_escape(value)``: safe strings as they are, anything else escaped by
    ``html.escape``, as Django's ``escape`` does, without its lazy-string wrapper (a page of rows
    escapes a thousand values; the wrapper was most of their cost)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def html_join(separator, template_string, rows):
    """``format_html_join(separator, template_string, rows)``: each row's values escaped and
    formatted into the template, the results joined, as one safe string."""
    # Safe: every value is escaped; the template strings are the portal's own.
    return mark_safe(separator.join(template_string.format(*map(_escape, row)) for row in rows))  # noqa: S308


def html_link(url, label):
    """``format_html('<a href="{}">{}</a>', url, label)``."""
    return mark_safe(f'<a href="{_escape(url)}">{_escape(label)}</a>')  # noqa: S308 (both escaped)


@register.simple_tag
def link(viewname):
    """``{% link 'liaisons:list' %}``: what ``{% url 'liaisons:list' %}`` gives for a view without
    arguments, without walking the URL resolver on every page."""
    return view_url(viewname)


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
    holds up to 100 groups, and the template's lookups cost about 50 µs a row (5 ms a full page,
    measured), this about 20 µs. Every value is escaped by ``html_join``."""
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
    ``CommitteeLiaison.objects.for_table()``, built as ``group_rows`` builds the group list's:
    the template loop spent about 25 of a 30 ms page of 100 liaisons on its lookups."""
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


_MEETING_CARD = (
    '<li class="meeting-card">\n    <h3><a href="{}">{}</a></h3>\n    <p class="meta">{} · {}{}{}</p>\n  </li>'
)


def _meeting_when(meeting):
    """ "2 September 2030 – 4 September 2030", "2030, dates not announced"."""
    if not meeting.start_date:
        return f"{meeting.year}, dates not announced"
    when = dateformat.format(meeting.start_date, "j F Y")
    if meeting.end_date and meeting.end_date != meeting.start_date:
        when += f" – {dateformat.format(meeting.end_date, 'j F Y')}"
    return when


@register.simple_tag
def meeting_cards(meetings):
    """The meeting list's cards (``{% meeting_cards upcoming %}``, inside its ``<ul>``), from
    ``Meeting.objects.for_cards()``, built as ``group_rows`` builds the group list's rows: the
    template loop spent about 0.2 ms a card on its lookups and filters (12 ms of a page of 50)."""
    return html_join(
        "\n  ",
        _MEETING_CARD,
        (
            (
                meeting.get_absolute_url(),
                meeting.title,
                meeting.get_kind_display(),
                _meeting_when(meeting),
                html_join("", " · hosted by {}", [(meeting.host.acronym,)]) if meeting.host else "",
                html_join("", " · {}", [(meeting.country,)]) if meeting.country else "",
            )
            for meeting in meetings
        ),
    )
