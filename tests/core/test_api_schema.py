"""The OpenAPI schema at /api/v1/schema/ is valid OpenAPI 3 and describes every endpoint, filter
and error response the API gives."""

import pytest
import yaml
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from tests.api_clients import *  # noqa: F403 (this module's fixtures)
from tests.api_resources import IDS as RESOURCES  # the API's resources, by path

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The served schema, fetched once for the module (it depends on code, not on data)."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)  # raises on any violation of the OpenAPI 3 specification


def test_schema_as_json(client):
    assert client.get("/api/v1/schema/", {"format": "json"}).json()["info"]["title"] == "CASCO Portal API"


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_resource_has_list_and_detail_with_every_verb(schema, resource):
    paths = schema["paths"]
    assert set(paths[f"/api/v1/{resource}/"]) >= {"get", "post"}
    detail = paths[f"/api/v1/{resource}/{{id_or_slug}}/"]
    assert set(detail) >= {"get", "put", "patch", "delete"}


@pytest.mark.parametrize("resource", RESOURCES)
def test_error_responses_are_documented(schema, resource):
    listing = schema["paths"][f"/api/v1/{resource}/"]
    assert {"200", "304", "400", "401", "404", "406", "429"} <= set(listing["get"]["responses"])
    assert "Retry-After" in listing["get"]["responses"]["429"]["headers"]
    assert {"201", "400", "401", "403", "409", "415"} <= set(listing["post"]["responses"])
    detail = schema["paths"][f"/api/v1/{resource}/{{id_or_slug}}/"]
    assert {"204", "401", "403", "404", "409"} <= set(detail["delete"]["responses"])
    assert "text/csv" in listing["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_browsable_api_is_documented(schema, resource):
    """Every endpoint answers ``?format=api`` (and ``Accept: text/html``) with an HTML page, errors
    included: the schema says so, as a string, beside JSON and CSV."""
    for path in (f"/api/v1/{resource}/", f"/api/v1/{resource}/{{id_or_slug}}/"):
        for method, operation in schema["paths"][path].items():
            assert params(operation)["format"]["schema"]["enum"] == ["api", "csv", "json"], (path, method)
            for status, response in operation["responses"].items():
                if "content" in response:
                    assert set(response["content"]) == {"application/json", "text/html", "text/csv"}, (path, status)
                    assert response["content"]["text/html"]["schema"]["type"] == "string"


def test_a_delete_answers_204_in_every_format_as_documented(schema, admin_client, casco_data):
    """DRF's browsable API turns a delete's 204 into a 200 page; the portal's keeps the 204 (no
    body), so DELETE documents one success status, 204, and nothing else."""
    from committees.models import Standard
    from tests.factories import StandardFactory

    for format in ("api", "json", "csv"):
        standard = StandardFactory()
        response = admin_client.delete(f"/api/v1/standards/{standard.slug}/?format={format}")
        assert response.status_code == 204 and response.content == b"", format
        assert not Standard.objects.filter(pk=standard.pk).exists()
    for path, operations in schema["paths"].items():
        if "delete" in operations:
            documented = operations["delete"]["responses"]
            assert not [code for code in documented if code.startswith("2") and code != "204"], path
            assert "content" not in documented["204"]


@pytest.mark.parametrize("method", ["get", "delete"])
def test_an_error_asked_for_as_html_is_an_html_page(admin_client, casco_data, method):
    response = getattr(admin_client, method)("/api/v1/meetings/no-such-meeting/?format=api")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def params(operation):
    return {param["name"]: param for param in operation.get("parameters", [])}


@pytest.mark.parametrize(
    ("resource", "names"),
    [
        ("committees", {"body", "kind", "parent", "updated_since", "search", "ordering", "page", "page_size"}),
        ("groups", {"type", "kind", "committee", "partner", "updated_since", "search", "ordering"}),
        ("committee-liaisons", {"direction", "committee", "liaison_committee", "updated_since"}),
        ("organizations", {"category", "in_liaison", "updated_since"}),
        ("organization-liaisons", {"category", "committee", "organization", "updated_since"}),
        ("meetings", {"year", "kind", "committee", "host", "updated_since"}),
        ("standards", {"group", "updated_since"}),
    ],
)
def test_filters_are_documented(schema, resource, names):
    assert names <= set(params(schema["paths"][f"/api/v1/{resource}/"]["get"]))


def test_filter_types_are_accurate(schema):
    liaisons = params(schema["paths"]["/api/v1/committee-liaisons/"]["get"])
    assert liaisons["direction"]["schema"]["enum"] == ["both", "incoming", "outgoing"]
    assert liaisons["updated_since"]["schema"]["format"] == "date-time"
    organizations = params(schema["paths"]["/api/v1/organizations/"]["get"])
    assert organizations["category"]["schema"]["enum"] == ["A", "B", "C"]
    committees = params(schema["paths"]["/api/v1/committees/"]["get"])
    assert committees["page_size"]["schema"]["maximum"] == 200
    assert committees["parent"]["schema"]["type"] == "string"
    assert "reference" in str(committees["ordering"]["schema"])


def test_path_parameter_is_id_or_slug(schema):
    detail = schema["paths"]["/api/v1/committees/{id_or_slug}/"]
    found = [p for p in detail["get"].get("parameters", []) + detail.get("parameters", []) if p["name"] == "id_or_slug"]
    assert found and found[0]["schema"]["type"] == "string"


def test_writes_answer_with_the_record_as_read(schema):
    post = schema["paths"]["/api/v1/committees/"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/CommitteeWrite")
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Committee")


def test_security_schemes_include_token_and_session(schema):
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_reads_declare_no_credentials_and_writes_declare_their_schemes(schema):
    """Reads work anonymously: a GET declares no requirement, so a generated client reads with a
    plain (unauthenticated) client; a write declares the token and session schemes only."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                assert operation["security"] == [], path
            else:
                assert operation["security"] == [{"tokenAuth": []}, {"cookieAuth": []}], (path, method)


def test_operations_have_summaries_and_declared_tags(schema):
    declared = {tag["name"]: tag["description"] for tag in schema["tags"]}
    assert set(declared) == set(RESOURCES) and all(declared.values())
    summaries = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert len(operation["tags"]) == 1 and operation["tags"][0] in declared
            summaries.add(operation["summary"])
    assert len(summaries) == 7 * 6
    assert {"List committees", "Read an organization", "Delete a committee liaison"} <= summaries


def test_info_states_licence_contact_and_servers(schema):
    assert "CC BY 4.0" in schema["info"]["license"]["name"]
    assert schema["info"]["license"]["url"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert "ISO's public pages" in schema["info"]["description"]
    assert schema["info"]["contact"]["name"]
    assert schema["servers"] == [{"url": "/", "description": "The portal serving this schema."}]


def test_nullable_references_are_nullable_to_openapi_3_0_tools(schema):
    """OpenAPI 3.0 ignores ``nullable`` without a ``type``: a reference that may be null is a
    ``oneOf`` of the reference and a nullable ``enum: [null]``."""
    schemas = schema["components"]["schemas"]
    references = [
        ("Committee", "parent"),
        ("CommitteeLiaison", "parent"),
        ("Meeting", "committee"),
        ("Meeting", "host"),
    ]
    for name, field in references:
        prop = schemas[name]["properties"][field]
        assert "allOf" not in prop and "nullable" not in prop, (name, field)
        ref, null = prop["oneOf"]
        assert ref["$ref"].endswith("Ref") and null["nullable"] is True and null["enum"] == [None]

    def untyped_nullables(node, where):
        if isinstance(node, dict):
            if node.get("nullable") and "type" not in node:
                yield where
            for key, value in node.items():
                yield from untyped_nullables(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from untyped_nullables(value, f"{where}/{index}")

    assert list(untyped_nullables(schema, "#")) == []
