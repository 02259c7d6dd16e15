"""Record addresses without resolving the URL configuration for every row.

``reverse()`` walks the resolver on each call, and a list page or an API page of 100 records
has five links each (docs/benchmarks.md, "Figures behind the code"). ``slug_url`` reverses a
view once per URL configuration and script prefix, with a placeholder for the slug, and fills
the slug in afterwards. The answer is exactly what ``reverse(name, kwargs={"slug": slug})``
gives for every slug the ``slug`` path converter accepts (tested in tests/core/test_links.py).
"""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = "0slug0placeholder0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@lru_cache(maxsize=128)
def _template(viewname, kwarg, prefix, urlconf):
    url = reverse(viewname, kwargs={kwarg: _PLACEHOLDER}, urlconf=urlconf)
    head, placeholder, tail = url.partition(_PLACEHOLDER)
    if not placeholder or _PLACEHOLDER in tail:
        return None
    return head, tail


def slug_url(viewname, slug, kwarg="slug"):
    """``reverse(viewname, kwargs={kwarg: slug})``, cached per view, URLconf and script prefix.

    A value that is not a plain slug (letters, digits, hyphens, underscores) goes through
    ``reverse()`` itself, which quotes it."""
    slug = str(slug)
    parts = _template(viewname, kwarg, get_script_prefix(), get_urlconf())
    if parts is None or not _SLUG.match(slug):
        return reverse(viewname, kwargs={kwarg: slug})
    return f"{parts[0]}{slug}{parts[1]}"


@lru_cache(maxsize=128)
def _fixed(viewname, prefix, urlconf):
    return reverse(viewname, urlconf=urlconf)


def view_url(viewname):
    """``reverse(viewname)`` for a view that takes no arguments (the navigation, list pages),
    cached per view, URLconf and script prefix: every page links to a dozen of them."""
    return _fixed(viewname, get_script_prefix(), get_urlconf())


@receiver(setting_changed)
def _forget_templates(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _template.cache_clear()
        _fixed.cache_clear()
