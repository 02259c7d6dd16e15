"""History baselines: a record loaded from the fixtures gets a "before" row on its first change,
whatever path changes it (here the ORM, as the API and the importer do)."""

import pytest

from committees.models import Group
from core.history import BASELINE_CHANGE_REASON
from sources.importer import default_source_paths, source_pages_import

pytestmark = pytest.mark.django_db


def test_first_change_records_the_state_before_it(casco_data):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    original = group.title
    assert not group.history.exists()
    group.title = "Changed through the shell"
    group.save()
    rows = list(group.history.order_by("history_date"))
    assert [row.title for row in rows] == [original, "Changed through the shell"]
    assert rows[0].history_change_reason == BASELINE_CHANGE_REASON
    assert rows[1].diff_against(rows[0]).changed_fields == ["title"]
    group.title = "Again"
    group.save()
    assert group.history.count() == 3  # no second baseline


def test_the_importer_change_can_be_reverted_to_the_baseline(casco_data, tmp_path):
    page = default_source_paths()[0]
    newer = tmp_path / page.name
    newer.write_bytes(page.read_bytes().replace(b"operating certification of persons", b"certifying persons"))
    source_pages_import(paths=[newer])
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    assert group.title.endswith("certifying persons")
    baseline = group.history.order_by("history_date").first()
    assert baseline.title.endswith("operating certification of persons")
    baseline.instance.save()
    group.refresh_from_db()
    assert group.title.endswith("operating certification of persons")


def test_deleting_a_loaded_record_keeps_its_history(casco_data):
    group = Group.objects.get(reference="ISO/CASCO/STTF")
    pk = group.pk
    group.delete()
    types = list(Group.history.filter(id=pk).order_by("history_date").values_list("history_type", flat=True))
    assert types == ["+", "-"]
