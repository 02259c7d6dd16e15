"""Template tags of the portal's pages."""

from django import template

from committees.links import slug_url, view_url

register = template.Library()


@register.simple_tag
def link(viewname, slug=None, kwarg="slug"):
    """``{% link 'liaisons:list' %}``: what ``{% url 'liaisons:list' %}`` gives, without walking
    the URL resolver on every page. With a slug, ``{% link 'committees:source-detail' name 'file_name' %}``
    is ``{% url 'committees:source-detail' file_name=name %}``."""
    if slug is None:
        return view_url(viewname)
    return slug_url(viewname, slug, kwarg=kwarg)
