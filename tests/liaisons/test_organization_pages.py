"""Organizations in liaison by category, and organization pages."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def test_organizations_by_category_with_meanings(client, casco_data, page_text):
    response = client.get("/organizations/")
    assert response.status_code == 200
    categories = {c["code"]: [li.organization.acronym for li in c["liaisons"]] for c in response.context["categories"]}
    assert (len(categories["A"]), len(categories["B"]), len(categories["C"])) == (23, 0, 2)
    assert categories["C"] == ["NQSA", "VET21001"]
    text = page_text(response)
    assert "25 organizations are in liaison" in text
    assert "Category A 23 Organizations that make an effective contribution" in text
    assert "Category B 0 Organizations that have asked to be kept informed" in text
    assert "“C liaisons participate at the level of a Working Group”" in text
    assert "Source: ISO CASCO plenary, workshop and meetings (published 1 May 2019); ISO/CASCO committee page" in text
    assert "Other organizations named" in text and "KEBS" in text and "hosts the 2019 ISO/CASCO Plenary" in text


def test_category_filter_and_search(client, casco_data):
    response = client.get("/organizations/", {"category": "C"})
    assert [c["code"] for c in response.context["categories"]] == ["C"]
    assert response.context["others"] == []
    response = client.get("/organizations/", {"q": "accreditation"})
    acronyms = [li.organization.acronym for c in response.context["categories"] for li in c["liaisons"]]
    assert acronyms == ["IAF", "ILAC"]
    assert client.get("/organizations/", {"category": "D"}).status_code == 400


def test_organizations_csv(client, casco_data):
    rows = list(csv.reader(io.StringIO(client.get("/organizations/?category=A&format=csv").content.decode())))
    assert rows[0] == ["acronym", "name", "category", "committee"]
    assert len(rows) == 24 and {row[2] for row in rows[1:]} == {"A"}


def test_iaf_shows_the_joint_strategic_group(client, casco_data, page_text):
    response = client.get("/organizations/iaf/")
    text = page_text(response)
    assert "<title>IAF — International Accreditation Forum, Inc. · CASCO Portal</title>" in response.content.decode()
    assert "Category A liaison with ISO/CASCO" in text
    assert "Joint groups ISO/CASCO/IAF/ILAC JSG IAF-ILAC-ISO Joint Strategic Group" in text
    assert "IAF-ILAC-ISO Joint Strategic Group" in page_text(client.get("/organizations/ilac/"))


def test_iioa_shows_its_participation_in_cpc_and_star(client, casco_data, page_text):
    text = page_text(client.get("/organizations/iioa/"))
    assert "ISO/CASCO/CPC" in text and "ISO/CASCO/STAR" in text
    assert "building a more robust certification system" in text
    assert "IIOA is not in liaison" in text
    assert "Source: ISO CASCO plenary, workshop and meetings" in text


def test_kebs_shows_the_plenary_it_hosts(client, casco_data, page_text):
    text = page_text(client.get("/organizations/kebs/"))
    assert "Kenya Bureau of Standards is the Kenyan National Standards Body" in text
    assert "Meetings it hosts 2019 ISO/CASCO Plenary Plenary meeting, 2019, Kenya" in text


def test_category_c_organization(client, casco_data, page_text):
    text = page_text(client.get("/organizations/nqsa/"))
    assert "Category C liaison with ISO/CASCO" in text
    assert "C liaisons participate at the level of a Working Group" in text


def test_organization_typed_by_acronym_redirects(client, casco_data):
    response = client.get("/organizations/TIC Council")
    assert (response.status_code, response["Location"]) == (301, "/organizations/tic-council/")
    assert client.get("/organizations/tic-council/").status_code == 200
    assert client.get("/organizations/nobody/").status_code == 404


def test_organization_list_is_paginated_by_category(client, ten_times_data, page_text):
    """Ten times the data: 250 liaisons on three pages of 100, in category order. Each heading
    counts the whole category; a category listed on another page links there; the organizations
    named without a liaison follow on the last page."""
    from liaisons.models import OrganizationLiaison

    totals = OrganizationLiaison.objects.category_totals()
    first = client.get("/organizations/")
    assert first.status_code == 200
    rows = [li for c in first.context["categories"] for li in c["liaisons"]]
    assert len(rows) == 100
    text = page_text(first)
    assert f"Category A {totals['A']} " in text
    assert f"{totals['organizations']} organizations are in liaison" in text
    assert "Page 1 of 3" in text and "Other organizations named" not in text
    category_c = next(c for c in first.context["categories"] if c["code"] == "C")
    assert category_c["liaisons"] == [] and category_c["elsewhere_page"] == (totals["A"] + totals["B"]) // 100 + 1
    assert f'page={category_c["elsewhere_page"]}"' in first.content.decode()

    last = client.get("/organizations/", {"page": 3})
    text = page_text(last)
    assert "Page 3 of 3" in text and "Other organizations named" in text and "KEBS" in text
    seen = [
        li.pk
        for page in (1, 2, 3)
        for c in client.get("/organizations/", {"page": page}).context["categories"]
        for li in c["liaisons"]
    ]
    assert len(seen) == len(set(seen)) == sum(totals[code] for code in "ABC")


def test_organization_list_pages_keep_the_filters(client, ten_times_data):
    response = client.get("/organizations/", {"category": "A", "page": 2})
    assert response.status_code == 200
    assert [c["code"] for c in response.context["categories"]] == ["A"]
    assert 'href="?category=A&amp;page=1"' in response.content.decode()
    assert client.get("/organizations/", {"page": 99}).status_code == 404
    assert client.get("/organizations/", {"page": "x"}).status_code == 404


@pytest.mark.parametrize(
    "query", [{}, {"category": "A"}, {"category": "B"}, {"q": "iso"}, {"q": "no such organization"}, {"page": 3}]
)
def test_organization_list_counts_its_pages_from_the_category_totals(client, ten_times_data, query):
    """The paginator is told the count the category totals give, without a COUNT query of its
    own: the count and the pages must be what counting the filtered liaisons gives."""
    from liaisons.filters import OrganizationLiaisonFilter
    from liaisons.models import OrganizationLiaison

    filterset = OrganizationLiaisonFilter.for_page()({key: value for key, value in query.items() if key != "page"})
    assert filterset.is_valid()
    expected = filterset.filter_queryset(OrganizationLiaison.objects.all()).count()
    response = client.get("/organizations/", query)
    assert response.status_code == 200
    paginator = response.context["paginator"]
    assert paginator.count == expected
    assert paginator.num_pages == max(1, -(-expected // 100))
    assert response.context["total"] == expected


def test_other_organizations_are_paginated_when_many(client, casco_data, page_text):
    from liaisons.models import Organization

    Organization.objects.bulk_create(
        Organization(acronym=f"ZZ{n:03}", slug=f"zz{n:03}", sort_key=f"zz{n:03}") for n in range(120)
    )
    first = page_text(client.get("/organizations/"))
    assert "Other organizations: page 1 of 2 (123 organizations)" in first
    second = client.get("/organizations/", {"others": 2})
    assert "Other organizations: page 2 of 2" in page_text(second)
    assert "ZZ119" in page_text(second) and "ZZ000" not in page_text(second)
