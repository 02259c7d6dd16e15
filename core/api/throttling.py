"""Throttling of anonymous API clients (429 with Retry-After)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from core.security import client_ip


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
