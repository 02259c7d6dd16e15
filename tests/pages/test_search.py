"""The search page and portal_search(): every kind of record, grouped by kind."""

import pytest

from committees.search import portal_search

pytestmark = pytest.mark.django_db


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
