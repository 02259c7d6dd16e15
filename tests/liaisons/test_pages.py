"""The liaison committees table: directions, body filter, sorting, counts, CSV."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def refs(response):
    return [liaison.liaison_committee.reference for liaison in response.context["object_list"]]


def test_table_has_all_48_with_counts_visible(client, casco_data, page_text):
    response = client.get("/liaisons/")
    assert response.status_code == 200
    assert len(refs(response)) == 48
    text = page_text(response)
    assert "48 all 42 Can access CASCO's documents 27 CASCO can access theirs 21 Both directions" in text
    assert '<th scope="col"' in response.content.decode()


@pytest.mark.parametrize(("direction", "count"), [("incoming", 42), ("outgoing", 27), ("both", 21)])
def test_direction_filters(client, casco_data, direction, count):
    response = client.get("/liaisons/", {"direction": direction})
    assert len(refs(response)) == count
    assert response.context["total"] == count


def test_direction_columns(client, casco_data):
    response = client.get("/liaisons/", {"direction": "outgoing"})
    assert all(liaison.documents_accessible for liaison in response.context["object_list"])
    one_way = [liaison for liaison in response.context["object_list"] if not liaison.can_access_documents]
    assert [liaison.liaison_committee.reference for liaison in one_way] == [
        "ISO/TC 44/SC 11",
        "ISO/TC 67",
        "ISO/TC 207/SC 4",
        "ISO/TC 207/SC 5",
        "ISO/TC 279",
        "ISO/TC 323",
    ]


def test_table_rows_link_the_committee_and_its_parent_and_show_both_directions(client, casco_data):
    from django.utils.html import escape

    from liaisons.models import CommitteeLiaison

    body = client.get("/liaisons/").content.decode()
    liaisons = CommitteeLiaison.objects.filter(committee__reference="ISO/CASCO").select_related(
        "liaison_committee__parent"
    )
    assert len(liaisons) == 48
    yes, no = '<span class="yes">Yes</span>', '<span class="no">No</span>'
    for liaison in liaisons:
        committee = liaison.liaison_committee
        row = body[body.index(f'<th scope="row"><a href="{committee.get_absolute_url()}">') :].split("</tr>", 1)[0]
        assert f">{escape(committee.reference)}</a></th>" in row
        assert f'<td data-label="Title">{escape(committee.title) if committee.title else "—"}</td>' in row
        assert f'<td data-label="Body">{escape(committee.body)}</td>' in row
        parent = (
            f'<a href="{committee.parent.get_absolute_url()}">{escape(committee.parent.reference)}</a>'
            if committee.parent
            else "—"
        )
        assert f'<td class="ref" data-label="Parent">{parent}</td>' in row
        incoming = yes if liaison.direction in ("incoming", "both") else no
        outgoing = yes if liaison.direction in ("outgoing", "both") else no
        assert f'data-label="Can access CASCO\'s documents">{incoming}</td>' in row
        assert f'data-label="CASCO can access theirs">{outgoing}</td>' in row
    assert body.count('<th scope="row">') == 48


def test_table_rows_escape_what_the_secretariat_typed(client, casco_data):
    from committees.models import Committee

    committee = Committee.objects.get(reference="ISO/TC 207")
    committee.title = '<img src=x onerror="alert(1)"> & co'
    committee.save()
    body = client.get("/liaisons/").content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in body


def test_body_filter(client, casco_data):
    assert refs(client.get("/liaisons/", {"body": "ISO/IEC"})) == [
        "ISO/IEC JTC 1/SC 7",
        "ISO/IEC JTC 1/SC 27",
        "ISO/IEC JTC 1/SC 42",
    ]
    assert refs(client.get("/liaisons/", {"body": "IEC"})) == ["IEC/CAB"]
    assert len(refs(client.get("/liaisons/", {"body": "ISO", "direction": "both"}))) == 18


def test_sorting(client, casco_data):
    ascending = refs(client.get("/liaisons/"))
    assert ascending[:3] == ["IEC/CAB", "ISO/COPOLCO", "ISO/DEVCO"]
    assert ascending.index("ISO/TC 34") < ascending.index("ISO/TC 207")  # natural order
    assert refs(client.get("/liaisons/", {"sort": "-reference"})) == ascending[::-1]
    by_title = client.get("/liaisons/", {"sort": "title", "direction": "both"})
    titles = [liaison.liaison_committee.title for liaison in by_title.context["object_list"]]
    assert titles == sorted(titles)
    links = {link["key"]: link for link in by_title.context["sort_links"]}
    assert links["title"]["aria_sort"] == "ascending"
    assert "sort=-title" in links["title"]["url"] and "direction=both" in links["title"]["url"]


@pytest.mark.parametrize(
    "query",
    [{"direction": "sideways"}, {"body": "CEN"}, {"sort": "password"}, {"q": "q" * 500}],
)
def test_bad_filters_are_400_with_message(client, casco_data, query):
    response = client.get("/liaisons/", query)
    assert response.status_code == 400
    assert b"The filter could not be applied" in response.content
    csv_response = client.get("/liaisons/", {**query, "format": "csv"})
    assert csv_response.status_code == 400
    assert csv_response.content.startswith(b"Bad filter:")


def test_csv_export_applies_the_filters(client, casco_data):
    response = client.get("/liaisons/", {"direction": "both", "body": "ISO/IEC", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="liaison-committees-both-iso-iec.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "reference",
        "title",
        "body",
        "parent",
        "can access CASCO's documents",
        "CASCO can access theirs",
    ]
    assert [row[0] for row in rows[1:]] == ["ISO/IEC JTC 1/SC 7", "ISO/IEC JTC 1/SC 27", "ISO/IEC JTC 1/SC 42"]
    assert rows[1][3:] == ["ISO/IEC JTC 1", "yes", "yes"]


def test_csv_of_the_whole_table(client, casco_data):
    rows = list(csv.reader(io.StringIO(client.get("/liaisons/?format=csv").content.decode())))
    assert len(rows) == 49
    assert sum(row[4] == "yes" for row in rows[1:]) == 42
    assert sum(row[5] == "yes" for row in rows[1:]) == 27


def test_csv_cells_cannot_become_formulas(client, casco_data):
    from committees.models import Committee

    Committee.objects.filter(reference="ISO/TC 69").update(title='=HYPERLINK("http://x")')
    rows = list(csv.reader(io.StringIO(client.get("/liaisons/?format=csv&q=TC 69").content.decode())))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_list_pages_link_to_their_csv_with_the_same_filters(client, casco_data):
    html = client.get("/liaisons/", {"direction": "both", "body": "ISO"}).content.decode()
    assert 'href="?direction=both&amp;body=ISO&amp;format=csv"' in html
