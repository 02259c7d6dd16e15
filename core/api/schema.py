"""What the OpenAPI schema says beyond drf-spectacular's detection: the error responses every
endpoint can give, the id-or-slug path parameter, If-Match and ``?cascade=``, summaries, the
browsable API and CSV as answer formats, and nullable references OpenAPI 3.0 tools honour."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Messages per field (`non_field_errors` for the record as a whole), or `detail` for a request "
        "that cannot be read at all (e.g. malformed JSON)."
    ),
    "additionalProperties": {},
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional. The ETag of the record as you last read it (GET, JSON). If the record has changed since, "
        "nothing is written and the answer is 412. Without If-Match the write is not checked."
    ),
)
CASCADE = OpenApiParameter(
    "cascade",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    required=False,
    description=(
        "`true` deletes, with the record, every record that refers to it (liaisons, participations, "
        "partnerships, meeting links, groups, subcommittees …) and what those own, by the delete rules "
        "(README, docs/reliability.md). Without it (or `false`) such records make the delete a 409 that "
        "lists them; only the record's own parts (e.g. a committee's terms of reference) go with it."
    ),
)
DELETE_CONFLICT = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "cascade_allowed": {
            "type": "boolean",
            "description": "Whether `?cascade=true` would delete them too (false: records cite it as their source).",
        },
        "blocking": {
            "type": "array",
            "description": "The records that refer to this one, per relation.",
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "description": "The kind of record, e.g. “committee liaison”."},
                    "relation": {"type": "string", "description": "What they are to this record."},
                    "rule": {"type": "string", "enum": ["blocks", "kept"]},
                    "count": {"type": "integer"},
                    "records": {
                        "type": "array",
                        "description": "The first 100 of them.",
                        "items": {
                            "type": "object",
                            "properties": {"id": {"type": "integer"}, "reference": {"type": "string"}},
                            "required": ["id", "reference"],
                        },
                    },
                },
                "required": ["kind", "relation", "rule", "count", "records"],
            },
        },
    },
    "required": ["detail", "blocking"],
}
ID_OR_SLUG = OpenApiParameter(
    "id_or_slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The record's numeric id or its slug (e.g. `iso-tc-207-sc-2`).",
    pattern=r"^[-a-zA-Z0-9_]+$",
)


def _error(description, schema=DETAIL_ERROR, headers=None):
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


HTML_PAGE = {"schema": {"type": "string", "description": "The browsable API: the answer as an HTML page."}}

# OpenAPI 3.0 reads ``nullable`` only beside a ``type``: a reference that may be null is the
# reference or a null, said so that 3.0 tools (openapi-core, openapi-python-client) honour it.
NULL_VALUE = {"type": "object", "nullable": True, "enum": [None], "description": "No value (null)."}


def nullable_references(schema):
    """Rewrites what drf-spectacular writes for a nullable nested serializer under OpenAPI 3.0,
    ``{"allOf": [{"$ref": …}], "nullable": true}``, which 3.0 validators read as never null (a
    ``nullable`` without a ``type`` sibling is ignored), as
    ``{"oneOf": [{"$ref": …}, {"type": "object", "nullable": true, "enum": [null]}]}``. Returns
    how many it rewrote."""
    rewritten = 0
    if isinstance(schema, dict):
        one = schema.get("allOf")
        if schema.get("nullable") and "type" not in schema and isinstance(one, list) and len(one) == 1:
            schema.pop("nullable")
            schema["oneOf"] = [schema.pop("allOf")[0], dict(NULL_VALUE)]
            rewritten += 1
        for value in schema.values():
            rewritten += nullable_references(value)
    elif isinstance(schema, list):
        for value in schema:
            rewritten += nullable_references(value)
    return rewritten


def postprocess_schema(result, generator, request, public):
    """drf-spectacular postprocessing hook (after its enum hook): nullable references that
    OpenAPI 3.0 tools honour (:func:`nullable_references`)."""
    nullable_references(result.get("components", {}).get("schemas", {}))
    return result


class PortalAutoSchema(AutoSchema):
    """Adds what auto-detection misses: the error responses every endpoint can give, the
    id-or-slug path parameter, the read serializer as the response of writes, CSV as text, and
    the browsable API (``?format=api`` or ``Accept: text/html``: an HTML page for people), which
    drf-spectacular leaves out by default though every endpoint answers in it."""

    def map_renderers(self, attribute):
        if attribute == "media_type":
            return [renderer.media_type.split(";")[0] for renderer in self.view.get_renderers()]
        return [renderer.format for renderer in self.view.get_renderers()]

    def get_override_parameters(self):
        params = super().get_override_parameters()
        if "{id_or_slug}" in self.path:
            params = [ID_OR_SLUG, *params]
            if self.method in ("PUT", "PATCH", "DELETE"):
                params = [*params, IF_MATCH]
        return params

    def _get_parameters(self):
        """An empty query parameter (``?type=``, as an HTML form sends an unset field) is the same
        as leaving it out, for every filter, ``format``, ``page`` and ``page_size``: say so."""
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def get_operation(self, *args, **kwargs):
        """Reading needs no credentials (DjangoModelPermissionsOrAnonReadOnly), so a GET declares
        no requirement (``security: []``); writing declares the token and session schemes.

        Not ``[{}, {tokenAuth: []}, {cookieAuth: []}]`` ("optional"): generators such as
        openapi-python-client take any non-empty requirement as "needs credentials" and type
        every read as needing an authenticated client. A token or session is still accepted on a
        read (and a token that is not valid is refused, 401), as the description says."""
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and self.method == "GET":
            operation["security"] = []
        return operation

    SUMMARIES = {
        "list": "List {plural}",
        "create": "Create {a} {name}",
        "retrieve": "Read {a} {name}",
        "update": "Replace {a} {name}",
        "partial_update": "Change part of {a} {name}",
        "destroy": "Delete {a} {name}",
    }

    def get_summary(self):
        """A short summary for every operation (“List committees”, “Delete a meeting”), from the
        view's action and its model's verbose names."""
        template = self.SUMMARIES.get(getattr(self.view, "action", None))
        model = getattr(getattr(getattr(self.view, "serializer_class", None), "Meta", None), "model", None)
        if template is None or model is None:
            return super().get_summary()
        name, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        return template.format(a="an" if name[0] in "aeiou" else "a", name=name, plural=plural)

    def get_response_serializers(self):
        read = getattr(self.view, "serializer_class", None)
        if self.method in ("POST", "PUT", "PATCH") and read is not None:
            return read
        return super().get_response_serializers()

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if "text/csv" in response.get("content", {}):
            response["content"]["text/csv"] = {"schema": {"type": "string", "description": "CSV, one row a record."}}
        if "text/html" in response.get("content", {}):
            response["content"]["text/html"] = HTML_PAGE
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "401": _error("Credentials were given but are not valid."),
            "406": _error("The Accept header asks for a format the API does not give."),
            "429": _error(
                "Too many anonymous requests; try again after the number of seconds in Retry-After.",
                headers={"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
            ),
        }
        if self.method == "GET":
            errors["304"] = {"description": "Not modified: the If-None-Match ETag still matches."}
            errors["400"] = _error("A filter, ordering or page size is not valid.", FIELD_ERRORS)
            errors["404"] = _error("No such record, or a page past the end of the list.")
        else:
            errors["400"] = _error("The data is not valid: messages per field; nothing was stored.", FIELD_ERRORS)
            errors["403"] = _error("Not allowed: the user lacks the model permission, or the CSRF token is missing.")
            errors["409"] = _error("The change conflicts with other records (e.g. they still refer to this one).")
            errors["415"] = _error("The request body is in a format the API does not read.")
            if "{id_or_slug}" in self.path:
                errors["404"] = _error("No such record.")
                errors["412"] = _error("If-Match was given and the record has changed since: nothing was written.")
        media_types = self.map_renderers("media_type")
        for code, response in errors.items():
            if "content" in response:  # errors come in the format asked for, as the records do
                if "text/html" in media_types:
                    response["content"]["text/html"] = HTML_PAGE
                if "text/csv" in media_types:
                    response["content"]["text/csv"] = {"schema": {"type": "string"}}
            responses.setdefault(code, response)
        return responses
