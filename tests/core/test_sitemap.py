"""/sitemap.xml lists every public record page once — every committee, group, standard,
organization and meeting — plus home, structure and the five list pages, each with ``lastmod``
from the record's last change, on SITE_DOMAIN; it reads a constant number of queries however many
records there are. /robots.txt names it by its absolute address."""

import datetime
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, Group, Standard
from liaisons.models import Organization
from meetings.models import Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DOMAIN = "casco.example.net"


@pytest.fixture(autouse=True)
def _site_domain(settings):
    settings.SITE_DOMAIN = DOMAIN


def entries(response):
    """[(address, lastmod or None)] in the order the sitemap gives them."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return [(url.findtext("s:loc", namespaces=NS), url.findtext("s:lastmod", namespaces=NS)) for url in root]


def test_every_record_page_appears_exactly_once_with_its_lastmod(client, casco_data):
    listed = entries(client.get("/sitemap.xml"))
    counts = Counter(address for address, _ in listed)
    assert max(counts.values()) == 1
    lastmods = dict(listed)
    records = [
        *Committee.objects.all(),
        *Group.objects.all(),
        *Standard.objects.all(),
        *Organization.objects.all(),
        *Meeting.objects.all(),
    ]
    assert Committee.objects.count() > 10 and Meeting.objects.count() >= 2
    for record in records:
        address = f"http://{DOMAIN}{record.get_absolute_url()}"
        assert address in lastmods, address
        assert lastmods[address] == timezone.localtime(record.updated_at).date().isoformat(), address
    pages = ["/", "/structure/", "/committees/", "/groups/", "/liaisons/", "/organizations/", "/meetings/"]
    assert [address for address, _ in listed[: len(pages)]] == [f"http://{DOMAIN}{page}" for page in pages]
    assert len(listed) == len(records) + len(pages)  # nothing else: no search, admin or API addresses
    assert all(lastmod for _, lastmod in listed)


def test_lastmod_follows_an_edit_and_list_pages_take_the_latest(client, casco_data):
    meeting = Meeting.objects.get(slug="2019-iso-casco-plenary")
    meeting.title = "2019 ISO/CASCO Plenary, Nairobi"
    meeting.save()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=datetime.datetime(2031, 5, 6, 12, tzinfo=datetime.UTC))
    lastmods = dict(entries(client.get("/sitemap.xml")))
    assert lastmods[f"http://{DOMAIN}{meeting.get_absolute_url()}"] == "2031-05-06"
    assert lastmods[f"http://{DOMAIN}/meetings/"] == "2031-05-06"
    assert lastmods[f"http://{DOMAIN}/"] == "2031-05-06"  # home shows every kind
    assert lastmods[f"http://{DOMAIN}/committees/"] != "2031-05-06"


def test_addresses_use_site_domain_and_the_request_scheme(client, casco_data, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "portal.example.org"]
    by_address = entries(client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8000"))
    assert all(address.startswith(f"http://{DOMAIN}/") for address, _ in by_address)
    secure = entries(client.get("/sitemap.xml", HTTP_HOST="portal.example.org", secure=True))
    assert [address.replace("https://", "http://", 1) for address, _ in secure] == [a for a, _ in by_address]


def test_query_count_does_not_grow_with_the_records(client, casco_data):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            entries(client.get("/sitemap.xml"))
        return len(captured)

    before = queries()
    MeetingFactory.create_batch(30)
    assert queries() == before
    assert before <= 20  # two per record section (count, rows), one aggregate per model for the list pages


def test_robots_txt_names_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: http://{DOMAIN}{reverse('sitemap')}" in lines
    assert {"Disallow: /admin/", "Disallow: /api/v1/auth/", "Disallow: /search/"} <= set(lines)
    assert "Disallow: /" not in lines  # the portal itself stays open to crawlers
    secure = client.get("/robots.txt", secure=True).content.decode()
    assert f"Sitemap: https://{DOMAIN}/sitemap.xml" in secure
