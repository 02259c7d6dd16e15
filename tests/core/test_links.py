"""``slug_url`` gives exactly what ``reverse()`` gives, for every record address the portal builds."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from core.links import slug_url, view_url

VIEWS = [
    ("committees:detail", "slug"),
    ("committees:group-detail", "slug"),
    ("committees:standard-detail", "slug"),
    ("liaisons:organization-detail", "slug"),
    ("meetings:detail", "slug"),
    ("api:group-detail", "id_or_slug"),
    ("api:committee-detail", "id_or_slug"),
]
VALUES = ["iso-casco", "iso-tc-207-sc-2", "a_b", "42", "x" * 120]


@pytest.mark.parametrize(("viewname", "kwarg"), VIEWS)
@pytest.mark.parametrize("value", VALUES)
def test_same_as_reverse(viewname, kwarg, value):
    assert slug_url(viewname, value, kwarg=kwarg) == reverse(viewname, kwargs={kwarg: value})


@pytest.mark.parametrize("value", ["ÄÖ", "a b", "é-1"])
def test_anything_else_goes_through_reverse(value):
    """A value the slug converter would not match is left to reverse() (quoting or refusing)."""
    try:
        expected = reverse("api:group-detail", kwargs={"id_or_slug": value})
    except Exception as exc:  # the same refusal either way
        with pytest.raises(type(exc)):
            slug_url("api:group-detail", value, kwarg="id_or_slug")
    else:
        assert slug_url("api:group-detail", value, kwarg="id_or_slug") == expected


def test_follows_the_script_prefix():
    try:
        set_script_prefix("/portal/")
        assert slug_url("committees:detail", "iso-casco") == "/portal/committees/iso-casco/"
    finally:
        set_script_prefix("/")
    assert slug_url("committees:detail", "iso-casco") == "/committees/iso-casco/"


def test_follows_a_changed_urlconf():
    assert slug_url("committees:detail", "iso-casco") == "/committees/iso-casco/"
    with override_settings(ROOT_URLCONF="tests.core.urls_moved"):
        assert slug_url("committees:detail", "iso-casco") == "/moved/committees/iso-casco/"
    assert slug_url("committees:detail", "iso-casco") == "/committees/iso-casco/"


NAMED_PAGES = [
    "home",
    "structure",
    "committees:group-list",
    "committees:list",
    "search",
    "liaisons:list",
    "liaisons:organization-list",
    "meetings:list",
    "meetings:calendar",
    "admin:index",
]


@pytest.mark.parametrize("viewname", NAMED_PAGES)
def test_view_url_same_as_reverse(viewname):
    assert view_url(viewname) == reverse(viewname)


def test_view_url_follows_the_script_prefix_and_urlconf():
    try:
        set_script_prefix("/portal/")
        assert view_url("liaisons:list") == "/portal/liaisons/"
    finally:
        set_script_prefix("/")
    with override_settings(ROOT_URLCONF="tests.core.urls_moved"):
        assert view_url("committees:list") == reverse("committees:list") == "/moved/committees/"
    assert view_url("committees:list") == "/committees/"


def test_link_tag_renders_what_the_url_tag_renders():
    from django.template import engines

    engine = engines["django"]
    for viewname in NAMED_PAGES:
        ours = engine.from_string("{% load portal %}{% link name %}").render({"name": viewname})
        django = engine.from_string("{% url name %}").render({"name": viewname})
        assert ours == django
