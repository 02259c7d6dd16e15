"""Committees: the list with filters, a detail page for every committee, redirects."""

import pytest

from committees.models import Committee

pytestmark = pytest.mark.django_db


def test_committee_list_shows_every_committee_with_its_liaison(client, casco_data, page_text):
    response = client.get("/committees/")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 56
    text = page_text(response)
    assert (
        "ISO/TC 207/SC 4 Environmental performance evaluation Subcommittee ISO/TC 207 CASCO can access theirs" in text
    )


def test_committee_list_filters(client, casco_data):
    response = client.get("/committees/", {"body": "ISO/IEC"})
    assert [c.reference for c in response.context["object_list"]] == [
        "ISO/IEC JTC 1",
        "ISO/IEC JTC 1/SC 7",
        "ISO/IEC JTC 1/SC 27",
        "ISO/IEC JTC 1/SC 42",
    ]
    response = client.get("/committees/", {"kind": "subcommittee", "q": "207"})
    assert len(response.context["object_list"]) == 6
    assert client.get("/committees/", {"body": "CEN"}).status_code == 400


def test_every_committee_has_a_detail_page(client, casco_data):
    for committee in Committee.objects.all():
        response = client.get(committee.get_absolute_url())
        assert response.status_code == 200, committee.reference
        assert f"<title>{committee.reference}".encode() in response.content


def test_casco_detail(client, casco_data, page_text):
    text = page_text(client.get("/committees/iso-casco/"))
    assert "48 committees are in liaison with ISO/CASCO: 42 can access CASCO's documents" in text
    assert "CASCO can access the documents of 27, and 21 share documents in both directions" in text
    assert "ISO/TC 207/SC 2/JWG 1" in text  # a joint group CASCO is partner in
    assert "ISO/CASCO/JWG 58" in text


def test_parent_committee_shows_subcommittees_and_their_joint_groups(client, casco_data, page_text):
    text = page_text(client.get("/committees/iso-tc-207/"))
    assert "Parent committee None" in text
    for sub in ("ISO/TC 207/SC 1", "ISO/TC 207/SC 5", "ISO/TC 207/SC 7"):
        assert sub in text
    assert "ISO/TC 207/SC 2/JWG 1" in text
    assert "Liaison: Both directions" in text


def test_subcommittee_shows_parent_direction_and_joint_group(client, casco_data, page_text):
    response = client.get("/committees/iso-tc-207-sc-2/")
    text = page_text(response)
    assert "Parent committee ISO/TC 207 Environmental management" in text
    assert "ISO/TC 207/SC 2 can access CASCO's documents Yes" in text
    assert "CASCO can access ISO/TC 207/SC 2's documents Yes" in text
    assert "ISO/TC 207/SC 2/JWG 1" in text and "led by ISO/TC 207/SC 2" in text
    assert [label for label, _ in response.context["breadcrumbs"]] == [
        "Home",
        "Committees",
        "ISO/TC 207",
        "ISO/TC 207/SC 2",
    ]


def test_one_way_liaisons(client, casco_data, page_text):
    text = page_text(client.get("/committees/iso-tc-207-sc-4/"))
    assert "ISO/TC 207/SC 4 can access CASCO's documents No" in text
    assert "CASCO can access ISO/TC 207/SC 4's documents Yes" in text
    text = page_text(client.get("/committees/iec-cab/"))
    assert "IEC/CAB can access CASCO's documents Yes" in text
    assert "CASCO can access IEC/CAB's documents No" in text


def test_partner_committee_shows_the_joint_group_it_shares(client, casco_data, page_text):
    text = page_text(client.get("/committees/iso-tc-232/"))
    assert "ISO/CASCO/JWG 58" in text and "with ISO/TC 232 as partner" in text


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("/committees/ISO/TC 207/SC 2", "/committees/iso-tc-207-sc-2/"),
        ("/committees/ISO/IEC JTC 1/SC 27", "/committees/iso-iec-jtc-1-sc-27/"),
        ("/committees/ISO/CASCO", "/committees/iso-casco/"),
        ("/committees/ISO-TC-207/", "/committees/iso-tc-207/"),
    ],
)
def test_committee_reference_redirects(client, casco_data, typed, slug):
    response = client.get(typed)
    assert (response.status_code, response["Location"]) == (301, slug)


def test_unknown_committee_is_404(client, casco_data):
    response = client.get("/committees/ISO/TC 99999")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_staff_with_change_permission_get_an_admin_link(client, casco_data, django_user_model):
    from django.contrib.auth.models import Permission

    url = "/committees/iso-tc-207/"
    committee = Committee.objects.get(reference="ISO/TC 207")
    assert b"Edit this record in the admin" not in client.get(url).content

    user = django_user_model.objects.create_user("editor", password="pw-for-tests-only", is_staff=True)
    client.force_login(user)
    assert b"Edit this record in the admin" not in client.get(url).content  # staff without permission

    user.user_permissions.add(Permission.objects.get(codename="change_committee"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    response = client.get(url)
    assert response.context["admin_url"] == f"/admin/committees/committee/{committee.pk}/change/"
    assert b"Edit this record in the admin" in response.content
