"""Schemathesis against the portal's own OpenAPI schema, anonymous and as a secretariat user (a
staff user in the Secretariat group, by API token), on one live server with the real data loaded.

Requests are generated from the served schema with schema-valid data (positive mode) and with
data that breaks the schema on purpose (negative mode: wrong types, missing fields, out-of-range
values); half the requests of a detail operation aim at a record that exists, so updates and
deletes really run. For every operation
(seven resources × list, create, retrieve, update, partial update, delete) at most
``EXAMPLES_PER_OPERATION`` requests per mode (half that anonymously): no 5xx, and every response — anonymous writes
answered 401 included — matches the schema (status code, content type, headers, body)."""

import time
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.hostile_clients import *  # noqa: F403 (this module's fixtures)
from tests.support import IN_CI

EXAMPLES_PER_OPERATION = 10
# Left out: "a schema-valid request must succeed". A well-formed slug that names no committee, a
# well-formed reference that is already taken, or a page past the end is refused with a documented
# 400 or 404 on purpose; the schema cannot know which slugs exist.
EXCLUDED_CHECKS = [positive_data_acceptance]
OPERATIONS = 7 * 6  # seven resources, six operations each
# Anonymous writes all stop at 401 whatever the body: fewer examples find as much.
ANONYMOUS_EXAMPLES = EXAMPLES_PER_OPERATION // 2


@pytest.fixture
def live_schema(transactional_db, live_server, casco_data, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    # A stale (generated) If-Match is refused with 412 before the body is read, as RFC 9110 orders
    # it (preconditions before the content): for a schema-violating body that is a refusal too.
    rejection = schema.config.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "412"]
    return schema, live_server.url


def existing_ids(base_url):
    """The id of one real record of every resource, e.g. {"/api/v1/groups/": "3"}."""
    ids = {}
    for url in requests.get(f"{base_url}/api/v1/", timeout=10).json().values():
        results = requests.get(url, params={"page_size": 1}, timeout=10).json()["results"]
        ids[url.removeprefix(base_url)] = str(results[0]["id"])
    return ids


def strategy(operation, mode, ids):
    generated = operation.as_strategy(generation_mode=mode)
    if "{id_or_slug}" not in operation.path:
        return generated
    real = ids[operation.path.split("{", 1)[0]]
    return st.one_of(generated, operation.as_strategy(generation_mode=mode, path_parameters={"id_or_slug": real}))


def run_operation(operation, mode, ids, headers, calls, examples):
    @given(case=strategy(operation, mode, ids))
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=IN_CI,  # CI replays the same examples; developers' runs draw new ones
    )
    def check(case):
        calls.append(case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS).status_code)

    check()


def fuzz(live_schema, headers, examples, modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):
    schema, base_url = live_schema
    ids = existing_ids(base_url)
    operations, calls, failures = set(), [], []
    started = time.monotonic()
    for mode in modes:
        for result in schema.get_all_operations():
            operation = result.ok()
            operations.add(operation.label)
            try:
                run_operation(operation, mode, ids, headers, calls, examples)
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} ({mode}): {exc}")
    elapsed = time.monotonic() - started
    print(
        f"\nschemathesis ({'secretariat token' if headers else 'anonymous'}): {len(operations)} operations, "
        f"{'+'.join(str(m) for m in modes)}, {len(calls)} requests ({examples} examples at most "
        f"per operation and mode), {elapsed:.1f} s, statuses {dict(sorted(Counter(calls).items()))}"
    )
    return operations, calls, failures


def test_requests_match_the_schema(live_schema, secretariat_token):
    """Anonymous first (reads answered, writes refused), then the secretariat (writes run): one
    live server and one load of the data for both."""
    operations, calls, failures = fuzz(live_schema, {}, ANONYMOUS_EXAMPLES)
    assert len(operations) == OPERATIONS
    assert {label.split(" ", 1)[0] for label in operations} == {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert calls and not any(status >= 500 for status in calls)
    assert not failures, "\n\n".join(failures)
    # Anonymous writes never get further than 401; reads are answered.
    assert 401 in calls and 200 in calls
    assert not {201, 204} & set(calls)

    operations, calls, failures = fuzz(
        live_schema, {"Authorization": f"Token {secretariat_token}"}, EXAMPLES_PER_OPERATION
    )
    assert len(operations) == OPERATIONS
    assert calls and not any(status >= 500 for status in calls)
    assert not failures, "\n\n".join(failures)
    # Writes are exercised, not only refused.
    assert 400 in calls and 201 in calls and 200 in calls
