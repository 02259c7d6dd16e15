"""/healthz reports what is true, and Redis failing costs speed, never answers. Real faults only:
a Redis address where nothing listens (refused), and one that accepts connections and never
answers (hanging). PostgreSQL going away is tested with a real server behind a TCP proxy
(tests/casco_portal/test_faults.py)."""

import socket
import time

import pytest

from casco_portal import redis_cache
from tests.support import free_port

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def redis_settings(settings, url):
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "casco_portal.redis_cache.FaultTolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    settings.PUBLIC_CACHE_SECONDS = 300


@pytest.fixture
def refused_redis(settings):
    redis_settings(settings, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there


@pytest.fixture
def hanging_redis(settings):
    """A listening socket nobody accepts from: connections complete (the kernel's backlog), and
    then nothing ever answers, as with a Redis that hangs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        redis_settings(settings, f"redis://127.0.0.1:{sock.getsockname()[1]}/0")
        yield


def test_redis_down_is_degraded_with_200(client, refused_redis):
    failures = redis_cache.fault_stats()["failures"]
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    cache_check = body["checks"]["cache"]
    assert cache_check["ok"] is False and "Connection" in cache_check["error"]
    assert cache_check["failures"] > failures


def test_redis_down_pages_api_and_writes_still_answer(client, casco_data, refused_redis, django_user_model):
    from committees.models import Group

    for url in ("/", "/groups/", "/api/v1/groups/", "/groups/iso-casco-wg-30/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("X-Cache") != "hit"
    user = django_user_model.objects.create_superuser("editor", password="pw-for-tests-only-1234")
    client.force_login(user)
    response = client.patch(
        "/api/v1/groups/iso-casco-wg-30/", {"title": "Written without Redis"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Group.objects.get(reference="ISO/CASCO/WG 30").title == "Written without Redis"
    client.logout()
    assert b"Written without Redis" in client.get("/groups/iso-casco-wg-30/").content


def test_a_hanging_redis_costs_one_timeout_then_nothing(client, casco_data, hanging_redis, settings):
    """The client's socket timeout (0.2 s) bounds the first request; after it the process leaves
    Redis alone for CACHE_RETRY_SECONDS, so the next requests pay nothing for it."""
    settings.CACHE_RETRY_SECONDS = 30
    redis_cache._state["down_until"] = 0.0
    client.get("/groups/")  # warm Django's own lazy setup out of the measurement
    redis_cache._state["down_until"] = 0.0
    started = time.perf_counter()
    assert client.get("/groups/").status_code == 200
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(5):
        assert client.get("/groups/").status_code == 200
    later = (time.perf_counter() - started) / 5
    assert 0.15 < first < 1.5, first  # one socket timeout, not the OS's
    assert later < 0.15, later  # no Redis wait at all
    assert redis_cache.fault_stats()["skipped"] > 0


def test_redis_down_an_admin_save_succeeds(client, casco_data, refused_redis, django_user_model):
    from committees.models import Group
    from tests.admin_forms import admin_url, form_data

    user = django_user_model.objects.create_superuser("admin-editor", password="pw-for-tests-only-1234")
    client.force_login(user)
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    data = form_data(client.get(admin_url(group)))
    data["title"] = "Saved in the admin without Redis"
    response = client.post(admin_url(group), data)
    assert response.status_code == 302, response.content[:2000]
    assert Group.objects.get(pk=group.pk).title == "Saved in the admin without Redis"
