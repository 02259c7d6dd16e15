"""The list pages' row tags build their HTML with ``html_join`` and ``html_link``: the same
strings as Django's ``format_html_join`` and ``format_html``, for any text, safe or lazy."""

from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from core.templatetags.portal import html_join, html_link
from tests.support import IN_CI

text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
value = st.one_of(
    text,
    text.map(mark_safe),
    text.map(lazy(str, str)),
    st.integers(),
    st.none(),
)


@given(st.lists(st.tuples(value, value, value), max_size=6), st.sampled_from(["\n    ", ", ", ""]))
@settings(max_examples=300, deadline=None, derandomize=IN_CI)
def test_html_join_is_format_html_join(rows, separator):
    template = '<tr><th><a href="{}">{}</a></th><td data-label="It\'s">{}</td></tr>'
    ours = html_join(separator, template, rows)
    assert isinstance(ours, SafeString)
    assert ours == format_html_join(separator, template, rows)


@given(value, value)
@settings(max_examples=300, deadline=None, derandomize=IN_CI)
def test_html_link_is_format_html(url, label):
    ours = html_link(url, label)
    assert isinstance(ours, SafeString)
    assert ours == format_html('<a href="{}">{}</a>', url, label)


def test_what_is_escaped():
    assert (
        html_link('/a?x=1&y="2"', "<b>R&D</b>") == '<a href="/a?x=1&amp;y=&quot;2&quot;">&lt;b&gt;R&amp;D&lt;/b&gt;</a>'
    )
    assert html_link("/a/", mark_safe("<b>kept</b>")) == '<a href="/a/"><b>kept</b></a>'
    assert html_join(", ", "{}", [("it's",), ("<",)]) == "it&#x27;s, &lt;"
