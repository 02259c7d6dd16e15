"""Security helpers: the client's address, read in one place, and the login lockout built on it.

``client_ip`` is the only code that decides who a request comes from. django-axes calls it
(``AXES_CLIENT_IP_CALLABLE``), the API's anonymous throttle keys on it
(``core.api.throttling.AnonThrottle``), and the JSON log lines carry it (``casco_portal.logs``). A
client can write anything into X-Forwarded-For, so it is read only when ``TRUSTED_PROXY_COUNT``
says how many proxies in front of the portal append to it.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_ip(request):
    """The client's address. Directly exposed (``TRUSTED_PROXY_COUNT`` 0, the default), REMOTE_ADDR
    whatever X-Forwarded-For says. Behind ``TRUSTED_PROXY_COUNT`` proxies that each append the
    address they saw (nginx's ``$proxy_add_x_forwarded_for``, the load balancer): that many entries
    from the right of X-Forwarded-For, the one the outermost trusted proxy wrote; entries further
    left are whatever the client chose to send. A header with fewer entries than that did not come
    through the proxies: REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


class LoginLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with one failure limit per lockout parameter.

    ``AXES_LOCKOUT_PARAMETERS`` is ``[["username", "ip_address"], "ip_address"]``: a username
    together with an address is locked after ``AXES_FAILURE_LIMIT`` failures, so wrong passwords
    typed from one address do not lock the account for its owner elsewhere; an address alone is
    locked after ``AXES_IP_FAILURE_LIMIT`` failures for any usernames. django-axes compares every
    parameter's count with the one ``AXES_FAILURE_LIMIT``; here each count is scaled to that limit
    (``count * limit // own_limit``, which reaches ``limit`` exactly when ``count`` reaches
    ``own_limit``), so axes' own comparison, its lockout page and its admin work unchanged.

    A successful login (``AXES_RESET_ON_SUCCESS``) clears the failures of that username at that
    address only. django-axes would clear everything matching any parameter, the address's
    failures for every username included: whoever holds one account could then guess other
    usernames' passwords without the per-address limit ever being reached."""

    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        failures = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            own_limit = settings.AXES_IP_FAILURE_LIMIT if parameter in ("ip_address", ["ip_address"]) else limit
            failures = max(failures, count * limit // max(own_limit, 1))
        return failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
