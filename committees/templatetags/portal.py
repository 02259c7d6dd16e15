"""Template tags of the portal's pages."""

from django import template

from committees.links import view_url

register = template.Library()


@register.simple_tag
def link(viewname):
    """``{% link 'liaisons:list' %}``: what ``{% url 'liaisons:list' %}`` gives for a view without
    arguments, without walking the URL resolver on every page."""
    return view_url(viewname)
