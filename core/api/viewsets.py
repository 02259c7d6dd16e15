"""``PortalViewSet``, the base of every API resource: list, detail by id or slug, create,
update, delete, with conditional GET (ETag, If-None-Match) and optional If-Match on writes."""

import hashlib
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, status, viewsets
from rest_framework.parsers import FormParser
from rest_framework.response import Response

from core.api.exceptions import Conflict, DeleteConflict, PreconditionFailed
from core.api.negotiation import PortalContentNegotiation
from core.api.pagination import PortalPagination
from core.api.parsers import PortalJSONParser, PortalMultiPartParser
from core.api.renderers import CSVRenderer, PortalBrowsableAPIRenderer
from core.api.schema import CASCADE, DELETE_CONFLICT, PortalAutoSchema
from core.api.serializers import django_error_to_drf
from core.api.throttling import AnonThrottle
from core.deletion import DeleteRefused, records_delete

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def etag_of(content):
    """The strong ETag of a response body (bytes)."""
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


class PortalViewSet(viewsets.ModelViewSet):
    """List, detail (by id or slug), create, update, delete.

    ``serializer_class`` reads, ``write_serializer_class`` validates writes (the model's own
    ``full_clean()``); a write answers with the record as read. GET answers carry a strong ETag and
    answer 304 to a matching If-None-Match. Lists are filtered by the view's ``filterset_class``
    and searched (``?search=``) by its model's search definition (core/search.py): the backends are
    ``DEFAULT_FILTER_BACKENDS`` in settings."""

    schema = PortalAutoSchema()
    pagination_class = PortalPagination
    renderer_classes = [renderers.JSONRenderer, PortalBrowsableAPIRenderer, CSVRenderer]
    content_negotiation_class = PortalContentNegotiation
    parser_classes = [PortalJSONParser, FormParser, PortalMultiPartParser]
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
