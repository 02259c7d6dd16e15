"""The public response cache: anonymous reads are cached, every write invalidates them at once,
and signed-in users, admin and non-200 responses are never served from it."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from casco_portal.cache import data_version
from committees.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings, casco_data):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()


def test_second_anonymous_read_is_a_hit_and_reads_only_the_data_version(client, cache_on, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_num_queries(1) as captured:
        second = client.get("/")
    assert "version" in captured.captured_queries[0]["sql"]
    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_a_write_invalidates_at_once(client, cache_on):
    url = "/groups/iso-casco-wg-30/"
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    version = data_version()
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    group.title = "A brand-new title for working group 30"
    group.save()
    assert data_version() > version
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert b"A brand-new title for working group 30" in response.content


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_with_the_write_transaction(settings):
    """The version lives in the database and moves inside the write's transaction: committed with
    it, rolled back with it, and moved by a bare save outside any transaction too."""
    call_command("loaddata", "casco", verbosity=0)
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.filter(reference="ISO/CASCO/WG 30").update(title="never committed")
        Group.objects.get(reference="ISO/CASCO/WG 30").save()
        assert data_version() > before  # this transaction sees its own bump
        raise RuntimeError("roll back")
    assert data_version() == before
    with transaction.atomic():
        Group.objects.get(reference="ISO/CASCO/WG 30").save()
    committed = data_version()
    assert committed > before
    Group.objects.get(reference="ISO/CASCO/WG 31").save()  # autocommit
    assert data_version() > committed


def test_many_to_many_changes_invalidate(cache_on):
    group = Group.objects.get(reference="ISO/CASCO/WG 30")
    version = data_version()
    group.partner_committees.add(group.committee)
    assert data_version() > version


def test_signed_in_users_and_admin_bypass_the_cache(client, cache_on, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    client.force_login(user)
    assert "X-Cache" not in client.get("/")
    assert "X-Cache" not in client.get("/admin/login/")


def test_errors_are_not_cached(client, cache_on):
    assert client.get("/groups/no-such-group/").status_code == 404
    assert "X-Cache" not in client.get("/groups/no-such-group/")


def test_conditional_request_on_a_cached_response(client, cache_on):
    from django.http import HttpResponse

    from casco_portal.cache import PublicCacheMiddleware

    def view(request):
        response = HttpResponse("hello")
        response["ETag"] = '"v1"'
        return response

    from django.test import RequestFactory

    middleware = PublicCacheMiddleware(view)
    factory = RequestFactory()
    request = factory.get("/etag-test/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert middleware(request)["X-Cache"] == "miss"
    conditional = factory.get("/etag-test/", HTTP_IF_NONE_MATCH='"v1"')
    conditional.user = AnonymousUser()
    assert middleware(conditional).status_code == 304


def test_cache_off_means_no_caching(client, settings, casco_data):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert "X-Cache" not in client.get("/")
    assert "X-Cache" not in client.get("/")
