"""REST API v1: the machinery every resource shares (pagination, CSV, conditional GET, lookup by id
or slug, read/write serializer split, error responses in the schema) and the committee, group and
standard viewsets. The router lives in ``casco_portal/api.py``."""

import hashlib
import io
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, filters, renderers, status, viewsets
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from committees.filters import CommitteeFilter, GroupFilter, StandardFilter
from committees.models import Committee, Group, Standard
from committees.serializers import (
    CommitteeSerializer,
    CommitteeWriteSerializer,
    GroupSerializer,
    GroupWriteSerializer,
    StandardSerializer,
    StandardWriteSerializer,
    django_error_to_drf,
)
from core.csv_export import write_csv
from core.deletion import DeleteRefused, records_delete
from core.security import client_ip

MAX_PAGE_SIZE = 200
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


# --- Pagination -------------------------------------------------------------------------------


class PortalPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (1 to 200); ``count`` in every list response."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "Page “{page_number}” does not exist: {message}"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise exceptions.ValidationError({"page_size": ["Enter a whole number."]}) from None
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError({"page_size": [f"Enter a page size between 1 and {self.max_page_size}."]})
        return size

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (or `last`). A page past the end gives 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


# --- CSV --------------------------------------------------------------------------------------

_LABEL_KEYS = ("reference", "acronym", "slug")
_SKIPPED_IN_LABELS = {"id", "url", "api_url", "slug", "title", "name", "created_at", "updated_at"}


def _label(value):
    """A short text for one item of a nested list: its reference or acronym, or its parts."""
    if isinstance(value, dict):
        for key in _LABEL_KEYS:
            if value.get(key):
                return str(value[key])
        return " ".join(
            _label(item)
            for key, item in value.items()
            if key not in _SKIPPED_IN_LABELS and item not in (None, "") and not isinstance(item, bool)
        )
    if isinstance(value, list):
        return "; ".join(_label(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class CSVRenderer(renderers.BaseRenderer):
    """One row per record (the current page of a list), one column per field; a nested record
    becomes its reference (or acronym), a nested list one cell joined with “; ”. The cells go
    through the pages' writer (``core.csv_export``), which neutralises formulas."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows, columns = data["results"], self._columns(renderer_context)
        elif isinstance(data, list):
            rows, columns = data, self._columns(renderer_context)
        else:
            rows, columns = [data], list(data) if isinstance(data, dict) else ["value"]
        rows = [row if isinstance(row, dict) else {"value": row} for row in rows]
        columns = list(dict.fromkeys([*columns, *(key for row in rows for key in row)]))
        out = io.StringIO()
        write_csv(out, columns, ([_label(row.get(column)) for column in columns] for row in rows))
        return out.getvalue().encode(self.charset)

    @staticmethod
    def _columns(renderer_context):
        view = (renderer_context or {}).get("view")
        serializer_class = getattr(view, "serializer_class", None)
        return list(serializer_class().fields) if serializer_class else []


class PortalBrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API (``?format=api``, ``Accept: text/html``), except that a delete answers
    204 with no body as in every other format (DRF's renderer turns it into a 200 page): the
    schema documents one status for DELETE, and the browsable API's script, given no HTML back,
    goes to the record's address, which then answers 404."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == status.HTTP_204_NO_CONTENT:
            return b""
        return super().render(data, accepted_media_type, renderer_context)


# --- Parsing ---------------------------------------------------------------------------------


class PortalJSONParser(JSONParser):
    """JSON, with a body nested too deeply for Python's parser (``[[[[…``, thousands deep)
    refused as a parse error (400) instead of escaping as a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the document is nested too deeply.") from None


class PortalMultiPartParser(MultiPartParser):
    """Multipart form data, with a body that holds no readable part (no field, no file: parts
    without a name, or not multipart at all behind the header) refused as a parse error (400),
    not read as an empty form: a PATCH of such a body answered 200 having changed nothing."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if not parsed.data and not parsed.files and length not in ("", "0"):
            raise exceptions.ParseError("Multipart form parse error - no field or file could be read from the body.")
        return parsed


# --- Content negotiation ---------------------------------------------------------------------


class PortalContentNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is 406 Not Acceptable (as an unknown Accept header is), with the
    formats there are, rather than DRF's bare 404, which would read as "no such record"."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.NotAcceptable(f"Unknown format “{format[:50]}”: use one of {known}.")
        return matching


# --- Throttling -------------------------------------------------------------------------------


class AnonThrottle(AnonRateThrottle):
    """AnonRateThrottle reading the rate (``API_ANON_RATE``) when a request comes, not at import,
    so settings overrides apply; no rate means no throttling. Clients are counted by
    ``core.security.client_ip``, which reads X-Forwarded-For only as far as
    ``TRUSTED_PROXY_COUNT`` trusts it: DRF's own ``get_ident`` keys on the whole header, so a
    client sending a different one each time was never limited."""

    def get_rate(self):
        return (api_settings.DEFAULT_THROTTLE_RATES or {}).get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


# --- Schema -----------------------------------------------------------------------------------

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


# --- Viewsets ---------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with other records."
    default_code = "conflict"


class DeleteConflict(Conflict):
    """409 for a delete the rules refuse: ``detail``, and the records that refer to it."""

    def __init__(self, plan):
        super().__init__(plan.message())
        self.body = {
            "detail": plan.message(),
            "cascade_allowed": plan.cascade_would_allow,
            "blocking": plan.blocking_summary(),
        }


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since the ETag given in If-Match: read it again."
    default_code = "precondition_failed"


def etag_of(content):
    """The strong ETag of a response body (bytes)."""
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


class NullSafeSearchFilter(filters.SearchFilter):
    """``?search=`` across the view's ``search_fields``; a null character is refused (400)."""

    def get_search_terms(self, request):
        text = request.query_params.get(self.search_param, "")
        if "\x00" in text:
            raise exceptions.ValidationError({self.search_param: ["Null characters are not allowed."]})
        return super().get_search_terms(request)


class PortalViewSet(viewsets.ModelViewSet):
    """List, detail (by id or slug), create, update, delete.

    ``serializer_class`` reads, ``write_serializer_class`` validates writes (the model's own
    ``full_clean()``); a write answers with the record as read. GET answers carry a strong ETag and
    answer 304 to a matching If-None-Match."""

    schema = PortalAutoSchema()
    pagination_class = PortalPagination
    renderer_classes = [renderers.JSONRenderer, PortalBrowsableAPIRenderer, CSVRenderer]
    content_negotiation_class = PortalContentNegotiation
    parser_classes = [PortalJSONParser, FormParser, PortalMultiPartParser]
    filter_backends = [DjangoFilterBackend, NullSafeSearchFilter]
    throttle_classes = [AnonThrottle]
    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = r"[^/.]+"
    slug_lookup = "slug"
    write_serializer_class = None
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        """A query parameter given twice (``?year=2019&year=2020``) is refused (400), not resolved
        silently by taking the last value: every parameter of the API takes one value."""
        super().initial(request, *args, **kwargs)
        repeated = sorted(key for key, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise exceptions.ValidationError({key[:50]: ["Give this parameter once."] for key in repeated})

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return self.write_serializer_class
        return self.serializer_class

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg]
        queryset = self.filter_queryset(self.get_queryset())
        obj = None
        # ASCII digits only: "²".isdigit() is true, but int("²") fails.
        if value.isascii() and value.isdigit() and len(value) < 16:
            obj = queryset.filter(pk=int(value)).first()
        if obj is None and SLUG_RE.match(value):
            obj = self.get_by_slug(queryset, value)
        if obj is None:
            name = queryset.model._meta.verbose_name
            raise exceptions.NotFound(f"No {name} has the id or slug “{value}”.")
        self.check_object_permissions(self.request, obj)
        return obj

    def get_by_slug(self, queryset, slug):
        return queryset.filter(**{self.slug_lookup: slug}).first()

    def read_data(self, instance):
        instance = self.get_queryset().get(pk=instance.pk)
        return self.serializer_class(instance, context=self.get_serializer_context()).data

    def save(self, serializer):
        """The serializer's write in one transaction. The model's ``save()`` refuses a value too
        long for its column (``LengthCheckedModel``) with field messages, answered as a 400."""
        try:
            with transaction.atomic():
                return serializer.save()
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(django_error_to_drf(exc)) from exc
        except IntegrityError as exc:
            raise Conflict(f"The database refused the change: {exc}".strip()) from exc

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.save(serializer)
        data = self.read_data(instance)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data.get("api_url", "")})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        # A body that is not valid is a 400 whatever the precondition says; then If-Match (412),
        # judged with the row locked, just before the write.
        serializer.is_valid(raise_exception=True)
        self.check_if_match(instance)
        instance = self.save(serializer)
        data = self.read_data(instance)
        return Response(data, headers={"ETag": self.json_etag(data)})

    @extend_schema(
        parameters=[CASCADE],
        responses={
            204: OpenApiResponse(
                description="Deleted, with its own parts (and with ?cascade=true what referred to it)."
            ),
            409: OpenApiResponse(
                response=DELETE_CONFLICT,
                description="Other records refer to this one: nothing was deleted; they are listed.",
            ),
        },
    )
    def destroy(self, request, *args, **kwargs):
        cascade = self.cascade_requested()
        instance = self.get_object()
        self.check_if_match(instance)
        try:
            self.perform_destroy(instance, cascade=cascade)
        except DeleteConflict as conflict:  # its body holds numbers and lists: answered as it is
            return Response(conflict.body, status=conflict.status_code)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def cascade_requested(self):
        raw = self.request.query_params.get("cascade", "")
        value = raw.strip().lower()
        if value in ("", "false", "0", "no"):
            return False
        if value in ("true", "1", "yes"):
            return True
        raise exceptions.ValidationError({"cascade": ["Enter true or false."]})

    def json_etag(self, data):
        """The ETag a GET of this record answers with (in JSON, the default format)."""
        content = renderers.JSONRenderer().render(data, "application/json", self.get_renderer_context())
        return etag_of(content)

    def check_if_match(self, instance):
        """Optional optimistic locking: with ``If-Match`` a PUT, PATCH or DELETE goes ahead only if
        the record is still as the client read it (its JSON ETag, or ``*``); else 412. The row is
        locked first, so two writes with the same ETag cannot both pass."""
        header = self.request.headers.get("If-Match")
        if header is None:
            return
        model = type(instance)
        locked = model._default_manager.filter(pk=instance.pk)
        if transaction.get_connection().in_atomic_block:
            locked = locked.select_for_update()
        if not locked.values_list("pk", flat=True).first():
            raise PreconditionFailed("The record has been deleted since.")
        etags = parse_etags(header)
        if "*" in etags:
            return
        current = self.json_etag(self.read_data(instance))
        if current not in etags:
            raise PreconditionFailed(
                f"The record has changed since the ETag given in If-Match (it is now {current}): "
                "read it again, then repeat the change."
            )

    def perform_destroy(self, instance, cascade=False):
        """The delete rules (core/deletion.py): 409 listing what refers to the record,
        unless the cascade is asked for."""
        try:
            records_delete(objs=[instance], cascade=cascade, user=self.request.user, reason="deleted through the API")
        except DeleteRefused as refused:
            raise DeleteConflict(refused.plan) from refused
        except (ProtectedError, RestrictedError) as exc:
            related = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
            blocking = sorted({str(obj) for obj in related})
            shown = ", ".join(blocking[:5]) + (" …" if len(blocking) > 5 else "")
            raise Conflict(f"“{instance}” cannot be deleted while other records refer to it: {shown}.") from exc

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and isinstance(response, Response):
            response.render()
            response["ETag"] = etag_of(response.content)
            return get_conditional_response(request._request, etag=response["ETag"], response=response)
        return response


class CommitteeViewSet(PortalViewSet):
    """ISO, IEC and ISO/IEC committees: ISO/CASCO, the committees in liaison with it, and parents."""

    serializer_class = CommitteeSerializer
    write_serializer_class = CommitteeWriteSerializer
    filterset_class = CommitteeFilter
    search_fields = ["reference", "title"]

    def get_queryset(self):
        return Committee.objects.for_detail().prefetch_related("liaisons_held_by__committee")


class GroupViewSet(PortalViewSet):
    """Working groups, joint groups, task forces and other groups under a committee."""

    serializer_class = GroupSerializer
    write_serializer_class = GroupWriteSerializer
    filterset_class = GroupFilter
    search_fields = ["reference", "title", "type_label", "committee__reference"]

    def get_queryset(self):
        return Group.objects.for_api()


class StandardViewSet(PortalViewSet):
    """Standards and technical specifications the groups work on."""

    serializer_class = StandardSerializer
    write_serializer_class = StandardWriteSerializer
    filterset_class = StandardFilter
    search_fields = ["reference", "title", "abbreviation"]

    def get_queryset(self):
        return Standard.objects.for_list().prefetch_related("group_standards__group")
