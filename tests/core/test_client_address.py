"""The client's address comes from one place, core.security.client_ip, honouring
TRUSTED_PROXY_COUNT: the API's anonymous throttle and the JSON log lines read it (the login lockout
too: tests/casco_portal/test_lockout.py). With the default of 0 a made-up X-Forwarded-For changes
nothing; with 1 the rightmost entry (what the one trusted proxy appended) is the client."""

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from casco_portal.logs import JsonFormatter
from core.security import client_ip
from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)

pytestmark = pytest.mark.django_db
URL = "/api/v1/committees/"


@pytest.fixture(autouse=True)
def _throttled(settings):
    """Three anonymous API requests a minute, nothing served from the response cache."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    settings.PUBLIC_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def get(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return Client(REMOTE_ADDR=remote).get(URL, {"page_size": 1}, HTTP_ACCEPT="application/json", **headers)


def test_a_new_forwarded_for_each_time_does_not_bypass_the_anonymous_limit():
    """TRUSTED_PROXY_COUNT 0: DRF's own throttle keyed on the whole X-Forwarded-For, so a client
    sending a different one each time was never limited."""
    statuses = [get("198.51.100.7", forwarded=f"10.0.0.{index}").status_code for index in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert get("198.51.100.8", forwarded="198.51.100.7").status_code == 200  # another client, its own count


def test_behind_one_trusted_proxy_each_client_is_counted_by_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"  # every request arrives from the proxy
    statuses = [get(proxy, forwarded=f"10.0.0.{index}, 198.51.100.7").status_code for index in range(5)]
    assert statuses == [200, 200, 200, 429, 429]  # the made-up entries to the left change nothing
    assert get(proxy, forwarded="198.51.100.8").status_code == 200  # a second client behind the proxy
    assert get(proxy, forwarded="10.0.0.9, 198.51.100.8").status_code == 200


def test_client_ip_reads_only_as_many_forwarded_entries_as_are_trusted(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.1")
    assert client_ip(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=2):  # balancer then nginx, each appending
        assert client_ip(request) == "198.51.100.7"
    with override_settings(TRUSTED_PROXY_COUNT=4):  # fewer entries than proxies: not through them
        assert client_ip(request) == "10.0.0.2"


def test_json_log_lines_carry_the_same_client_address(rf):
    request = rf.get("/groups/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/groups/",), None)
    record.request = request
    assert json.loads(JsonFormatter().format(record))["client"] == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        line = json.loads(JsonFormatter().format(record))
    assert line["client"] == "198.51.100.7" and line["path"] == "/groups/"
