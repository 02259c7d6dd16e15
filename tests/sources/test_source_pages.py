"""/sources/<file>/ shows the version of a page the records were last imported from (kept in the
database), not the file kept with the portal; earlier versions stay readable."""

import hashlib

import pytest

from committees.models import Group, SourcePage
from sources.importer import default_source_paths, source_texts_import

COMMITTEE_FILE = default_source_paths()[0]
URL = f"/sources/{COMMITTEE_FILE.name}/"


@pytest.fixture
def newer_imported(casco_data):
    newer = COMMITTEE_FILE.read_bytes().replace(b"operating certification of persons", b"certifying persons")
    source_texts_import(pages=[(COMMITTEE_FILE.name, newer)])
    return newer


def test_the_page_shows_the_imported_version_not_the_file(client, newer_imported):
    text = client.get(URL).content.decode()
    sha256 = hashlib.sha256(newer_imported).hexdigest()
    assert SourcePage.objects.get(file_name=COMMITTEE_FILE.name).sha256 == sha256
    assert sha256 in text
    assert "General requirements for bodies certifying persons" in text
    assert "bodies operating certification of persons" not in text
    assert Group.objects.get(reference="ISO/CASCO/WG 30").title.endswith("certifying persons")
    assert "2 copies kept" in text


def test_the_earlier_version_stays_readable(client, newer_imported):
    old_sha256 = hashlib.sha256(COMMITTEE_FILE.read_bytes()).hexdigest()
    response = client.get(URL, {"version": old_sha256})
    text = response.content.decode()
    assert response.status_code == 200
    assert "bodies operating certification of persons" in text and "An earlier copy" in text
    assert client.get(URL, {"version": "0" * 64}).status_code == 404


def test_a_page_imported_before_versions_were_kept_is_read_from_its_file(client, casco_data):
    SourcePage.objects.get(file_name=COMMITTEE_FILE.name).versions.all().delete()
    response = client.get(URL)
    assert response.status_code == 200
    assert "bodies operating certification of persons" in response.content.decode()
    SourcePage.objects.filter(file_name=COMMITTEE_FILE.name).update(sha256="f" * 64)
    assert client.get(URL).status_code == 404
