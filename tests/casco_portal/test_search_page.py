"""The search page and the site-wide search: every kind of record, grouped by kind."""

import pytest

from casco_portal.search import portal_search_with_totals

pytestmark = pytest.mark.django_db


def portal_search(text):
    return portal_search_with_totals(text)[0]


def names(results, kind):
    return [
        getattr(record, "reference", None) or getattr(record, "acronym", None) or record.title
        for record in results[kind]
    ]


def test_kebs_finds_the_organization_and_the_plenary(casco_data):
    results = portal_search("KEBS")
    assert names(results, "organizations") == ["KEBS"]
    assert names(results, "meetings") == ["2019 ISO/CASCO Plenary"]


def test_references_titles_acronyms_and_names(casco_data):
    assert names(portal_search("ISO/TC 207/SC 2"), "committees")[0] == "ISO/TC 207/SC 2"
    assert "ISO/TC 207/SC 2/JWG 1" in names(portal_search("ISO/TC 207/SC 2"), "groups")
    assert names(portal_search("WG 30"), "groups") == ["ISO/CASCO/WG 30"]
    assert "ISO/TS 23406" in names(portal_search("ITNS"), "standards")
    assert "ILAC" in names(portal_search("laboratory accreditation"), "organizations")
    assert "ISO/TC 272" in names(portal_search("forensic"), "committees")


def test_blank_and_odd_queries_return_nothing_without_error(casco_data):
    for text in ("", "   ", "\x00", "'\"&|!:*()", "%_\\"):
        results = portal_search(text)
        assert set(results) == {"committees", "groups", "standards", "organizations", "meetings"}


def test_search_page_groups_results_by_kind(client, casco_data, page_text):
    response = client.get("/search/", {"q": "IAF"})
    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Search: IAF · CASCO Portal</title>" in response.content.decode()
    assert [section["label"] for section in response.context["sections"]] == ["Groups", "Organizations"]
    assert 'href="/organizations/iaf/"' in response.content.decode()
    assert "result" in text


def test_search_page_without_query_and_with_no_match(client, casco_data):
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "zzzqqq"})
    assert response.status_code == 200 and "Nothing matches" in response.content.decode()


@pytest.mark.parametrize("query", ["x" * 101, "a\x00b"])
def test_bad_queries_get_400(client, casco_data, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    assert b"The search could not be run" in response.content


def test_search_input_is_escaped(client, casco_data):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_totals_count_every_match_when_more_than_are_shown(ten_times_data):
    from committees.models import Committee

    results, totals = portal_search_with_totals("ISO/TC", limit=20)
    assert len(results["committees"]) == 20
    # Every committee whose reference contains "ISO/TC" matches (a substring match on every database).
    assert totals["committees"] >= Committee.objects.filter(reference__icontains="ISO/TC").count() > 20
    small, small_totals = portal_search_with_totals("KEBS", limit=20)
    assert small_totals == {kind: len(records) for kind, records in small.items()}


def test_one_count_more_only_for_a_kind_with_more_matches_than_shown(ten_times_data, django_assert_num_queries):
    with django_assert_num_queries(5):
        portal_search_with_totals("KEBS")  # one query a kind, nothing capped
    with django_assert_num_queries(6):
        _, totals = portal_search_with_totals("Synthetic committee")  # 504 synthetic committees
    assert totals["committees"] > 50


def test_search_page_says_how_many_match_and_where_to_see_them(client, ten_times_data, page_text):
    response = client.get("/search/", {"q": "Synthetic committee"})
    assert response.status_code == 200
    committees = next(section for section in response.context["sections"] if section["kind"] == "committees")
    assert len(committees["results"]) == 50 and committees["total"] > 50
    text = page_text(response)
    assert f"Committees {committees['total']:,}" in text
    assert f"Showing 50 of {committees['total']:,}, best matches first." in text
    assert response.context["result_count"] > response.context["shown_count"]
    assert (
        f"{response.context['result_count']:,} results for “Synthetic committee”, {response.context['shown_count']} shown."
        in text
    )
    assert (
        'href="/committees/?q=Synthetic+committee">filter the committees list by “Synthetic committee”</a>'
        in response.content.decode()
    )
    # The link leads to a list filtered by the same text.
    listed = client.get("/committees/", {"q": "Synthetic committee"})
    assert listed.status_code == 200 and listed.context["paginator"].count == committees["total"]


def test_search_page_without_more_matches_shows_no_note(client, casco_data, page_text):
    text = page_text(client.get("/search/", {"q": "IAF"}))
    assert "Showing" not in text and "shown." not in text
