"""The OpenAPI schema at /api/v1/schema/ is valid OpenAPI 3 and describes every endpoint, filter
and error response the API gives."""

import pytest
import yaml
from openapi_spec_validator import validate

from tests.api.resources import IDS as RESOURCES  # the API's resources, by path

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
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
                if "content" in response and not (method == "delete" and status == "200"):
                    assert set(response["content"]) == {"application/json", "text/html", "text/csv"}, (path, status)
                    assert response["content"]["text/html"]["schema"]["type"] == "string"


def test_a_delete_in_the_browsable_api_answers_a_documented_page(schema, admin_client, casco_data):
    from committees.models import Standard

    standard = Standard.objects.create(reference="ISO 99998")
    response = admin_client.delete(f"/api/v1/standards/{standard.slug}/?format=api")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not Standard.objects.filter(pk=standard.pk).exists()
    documented = schema["paths"]["/api/v1/standards/{id_or_slug}/"]["delete"]["responses"]
    assert set(documented["200"]["content"]) == {"text/html"}
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
        ("groups", {"type", "committee", "partner", "updated_since", "search", "ordering"}),
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
