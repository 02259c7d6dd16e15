"""The overview (home) page and the structure picture."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_casco_overview(client, casco_data, page_text):
    response = client.get("/")
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "<title>ISO/CASCO — ISO committee for conformity assessment (CASCO) · CASCO Portal</title>"
        in response.content.decode()
    )
    assert "CASCO is the ISO committee that works on issues relating to conformity assessment." in text
    assert "To study means of assessing the conformity" in text
    assert "Participating (P) members 95" in text and "Observing (O) members 49" in text
    assert "P members take an active part" in text and "Who may join:" in text
    assert "Published 37" in text and "In development 6" in text and "number includes updates" in text
    assert "17 groups" in text and "48 liaison committees" in text and "25 organizations in liaison" in text
    assert "2019 ISO/CASCO Plenary" in text
    assert "Source: ISO/CASCO committee page" in text
    assert response.content.decode().count("<h1") == 1


def test_home_without_data_still_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b"No data is loaded yet" in response.content


def test_every_page_has_skip_link_landmarks_and_search_box(client, casco_data):
    html = client.get("/groups/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and '<nav class="site-nav" aria-label="Main">' in html
    assert 'role="search"' in html and '<label for="site-search-q"' in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/portal\.css', html)
    assert "https://" not in re.sub(r'href="https?://[^"]*"', "", html.split("<body>")[0])  # no CDN asset


def test_structure_groups_casco_groups_by_type_with_links(client, casco_data, page_text):
    response = client.get("/structure/")
    html = response.content.decode()
    text = page_text(response)
    assert response.status_code == 200
    for heading in (
        "Working groups 5",
        "Joint working groups 3",
        "Task force 1",
        "Joint strategic group 1",
        "Hosted group 1",
    ):
        assert heading in text
    # Every group of CASCO and both JWGs under ISO/TC 207 subcommittees are links.
    for slug in (
        "iso-casco-wg-30",
        "iso-casco-jwg-58",
        "iso-casco-iaf-ilac-jsg",
        "iso-tc-207-sc-2-jwg-1",
        "iso-tc-207-sc-7-jwg-6",
    ):
        assert f'href="/groups/{slug}/"' in html
    # Joint groups with their partners.
    assert 'href="/committees/iso-tc-232/"' in html and 'href="/organizations/iaf/"' in html
    assert "Joint groups under other committees" in text and 'href="/committees/iso-tc-207/"' in html


def test_structure_lists_groups_of_the_right_kinds(client, casco_data):
    response = client.get("/structure/")
    sections = {section["kind"]: [g.reference for g in section["groups"]] for section in response.context["sections"]}
    assert sections["working_group"] == [
        "ISO/CASCO/WG 30",
        "ISO/CASCO/WG 31",
        "ISO/CASCO/WG 61",
        "ISO/CASCO/WG 64",
        "ISO/CASCO/WG 65",
    ]
    assert sections["joint_strategic_group"] == ["ISO/CASCO/IAF/ILAC JSG"]
    elsewhere = response.context["elsewhere"]
    assert [entry["committee"].reference for entry in elsewhere] == ["ISO/TC 207"]
    assert [g.reference for g in elsewhere[0]["groups"]] == ["ISO/TC 207/SC 2/JWG 1", "ISO/TC 207/SC 7/JWG 6"]
