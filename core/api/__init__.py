"""The REST API layer every app's viewsets and serializers build on, one module per concern:

- ``viewsets``: ``PortalViewSet``, the base of every resource (lookup by id or slug, the
  read/write serializer split, ETags and If-Match, the delete rules);
- ``serializers``: the short "reference" form of a record (``ref_serializer``), the page and API
  link fields, and the write serializer base that validates through the model's ``full_clean()``;
- ``pagination``, ``renderers`` (CSV, the browsable API), ``parsers``, ``negotiation``,
  ``throttling``, ``filters`` (``?search=``), ``exceptions`` (409, 412);
- ``schema``: what the OpenAPI schema says beyond drf-spectacular's detection.

It imports no domain app: a viewset names its model through its queryset, a serializer through
its ``Meta``. The router lives in ``casco_portal/api.py``."""
