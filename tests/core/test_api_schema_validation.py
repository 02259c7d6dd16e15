"""Real responses of a live server validate against the schema it serves, checked by a strict
validator nobody here wrote (openapi-core, pinned): every list page and every record's detail
(anonymously), the lists and a detail per resource with credentials, a sample of filters, CSV and
the browsable API, writes (201, 200, 204) and the errors 400, 401, 403, 404, 406, 409 and 412.

Schemathesis (test_schemathesis.py) generates requests from the schema; this test instead walks
the real data, so a record whose shape the schema gets wrong (a null where the schema has no null)
cannot hide behind the examples schemathesis happens to draw."""

import pytest
import requests
from django.core.management import call_command
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.deserializing.media_types.util import plain_loads

from api_tokens.services import api_token_create
from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_resources import IDS as RESOURCES

# A sample of filters, orderings and searches, each with a record it should find.
FILTERS = [
    ("committees", {"body": "IEC"}),
    ("committees", {"parent": "iso-tc-207"}),
    ("committees", {"kind": "technical_committee", "ordering": "-reference"}),
    ("committees", {"search": "conformity"}),
    ("groups", {"committee": "iso-casco", "ordering": "reference"}),
    ("groups", {"type": "joint_working_group"}),
    ("committee-liaisons", {"direction": "incoming"}),
    ("committee-liaisons", {"liaison_committee": "iso-tc-176"}),
    ("organizations", {"category": "A"}),
    ("organizations", {"in_liaison": "true"}),
    ("organization-liaisons", {"category": "C"}),
    ("meetings", {"year": "2019", "kind": "plenary"}),
    ("standards", {"updated_since": "2000-01-01T00:00:00Z"}),
]


class Checker:
    """Sends requests to the live server and validates each response against the schema; keeps
    every failure (with the request that gave it) instead of stopping at the first."""

    def __init__(self, base, openapi):
        self.base = base
        self.openapi = openapi
        self.session = requests.Session()
        self.checked = 0
        self.failures = []

    def call(self, method, path, expect, *, params=None, headers=None, json=None):
        request = requests.Request(method, self.base + path, params=params, headers=headers or {}, json=json)
        prepared = self.session.prepare_request(request)
        response = self.session.send(prepared)
        label = f"{method} {prepared.path_url}{' (with credentials)' if 'Authorization' in (headers or {}) else ''}"
        assert response.status_code == expect, (label, response.status_code, response.text[:500])
        try:
            self.openapi.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response))
        except Exception as exc:  # every kind of validation error is a finding to report
            cause = exc.__cause__ or exc
            detail = "; ".join(str(error.message) for error in getattr(cause, "schema_errors", ())) or str(cause)
            self.failures.append(f"{label} -> {response.status_code}: {type(exc).__name__}: {detail}"[:600])
        self.checked += 1
        return response


@pytest.fixture
def live(transactional_db, live_server, secretariat, reader):
    call_command("loaddata", "casco", verbosity=0)
    schema = requests.get(f"{live_server.url}/api/v1/schema/", params={"format": "json"}, timeout=30)
    assert schema.status_code == 200
    # openapi-core reads text/html and text/plain as text but knows no CSV: read it the same way.
    config = Config(extra_media_type_deserializers={"text/csv": plain_loads})
    checker = Checker(live_server.url, OpenAPI.from_dict(schema.json(), config=config))
    tokens = {
        "secretariat": {"Authorization": f"Token {api_token_create(user=secretariat, name='schema validation')[1]}"},
        "reader": {"Authorization": f"Token {api_token_create(user=reader, name='schema validation')[1]}"},
    }
    return checker, tokens


def test_real_responses_validate_against_the_served_schema(live):
    checker, tokens = live
    secretariat = tokens["secretariat"]
    details = 0
    for resource in RESOURCES:
        listing = f"/api/v1/{resource}/"
        # Every page of every list, anonymously: every record's shape as the list gives it.
        page, rows = 1, []
        while True:
            body = checker.call("GET", listing, 200, params={"page": page, "page_size": 20}).json()
            rows += body["results"]
            if not body["next"]:
                break
            page += 1
        assert len(rows) == body["count"] > 0, resource
        # Every record's detail, anonymously; the list and one detail with credentials too.
        for row in rows:
            checker.call("GET", f"{listing}{row['id']}/", 200)
        details += len(rows)
        checker.call("GET", listing, 200, headers=secretariat)
        checker.call("GET", f"{listing}{rows[0]['id']}/", 200, headers=secretariat)
        checker.call("GET", listing, 200, params={"format": "csv"})
    assert details == 182  # the committed fixtures' records

    for resource, params in FILTERS:
        assert checker.call("GET", f"/api/v1/{resource}/", 200, params=params).json()["count"] > 0, params
    checker.call("GET", "/api/v1/committees/iso-casco/", 200, params={"format": "api"})

    # Writes, as the secretariat: create, update, delete.
    created = checker.call(
        "POST", "/api/v1/standards/", 201, headers=secretariat, json={"reference": "ISO 99991", "title": "New"}
    ).json()
    standard = f"/api/v1/standards/{created['slug']}/"
    checker.call("PATCH", standard, 200, headers=secretariat, json={"title": "Changed"})
    checker.call("PUT", standard, 200, headers=secretariat, json={"reference": "ISO 99991", "title": "Again"})

    # Errors.
    checker.call("GET", "/api/v1/committees/", 400, params={"page_size": 0})
    checker.call("GET", "/api/v1/meetings/", 400, params={"year": "soon"})
    checker.call("POST", "/api/v1/committees/", 400, headers=secretariat, json={"reference": ""})
    checker.call("GET", "/api/v1/committees/", 401, headers={"Authorization": "Token not-a-token"})
    checker.call("POST", "/api/v1/standards/", 403, headers=tokens["reader"], json={"reference": "ISO 99992"})
    checker.call("GET", "/api/v1/committees/no-such-committee/", 404)
    checker.call("GET", "/api/v1/groups/", 404, params={"page": 999})
    checker.call("GET", "/api/v1/groups/", 406, headers={"Accept": "application/xml"})
    # 409: ISO/CASCO's groups refer to it through a PROTECT relation.
    checker.call("DELETE", "/api/v1/committees/iso-casco/", 409, headers=secretariat)
    # 412: a PATCH with a stale If-Match.
    checker.call(
        "PATCH", standard, 412, headers={**secretariat, "If-Match": '"stale-etag"'}, json={"title": "Lost update"}
    )
    checker.call("DELETE", standard, 204, headers=secretariat)

    summary = f"openapi-core: {checker.checked} responses checked, {len(checker.failures)} failed"
    print(summary)
    assert not checker.failures, f"{summary}:\n" + "\n".join(checker.failures)
