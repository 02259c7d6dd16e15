"""/healthz reports database and cache reachability with 200 or 503."""

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_database_down_gives_503(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr("casco_portal.health._check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError: connection refused"}


def test_cache_checked_when_redis_is_configured(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    def broken():
        raise ConnectionError("redis unreachable")

    monkeypatch.setattr("casco_portal.health._check_cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
