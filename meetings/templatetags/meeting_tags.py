"""The meeting list's cards (``{% load meeting_tags %}``)."""

from django import template
from django.utils import dateformat

from core.templatetags.portal import html_join

register = template.Library()


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
    ``Meeting.objects.for_cards()``, built as ``group_rows`` builds the group list's rows
    (docs/benchmarks.md, "Row tags")."""
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
