"""Template tags every page may load (``{% load portal %}``): ``{% link %}``, and the escaping helpers
the apps' row tags build their HTML with (``html_join``, ``html_link``). Each app's own markup lives
in its own tag library (``committee_tags``, ``liaison_tags``, ``meeting_tags``)."""

import html

from django import template
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
