"""Security helpers: the client address django-axes counts login failures against."""

from django.conf import settings


def client_ip(request):
    """The client's address. Directly exposed, REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT proxies
    (the load balancer), the address the outermost trusted proxy saw: that many entries from the
    right of X-Forwarded-For — entries further left are whatever the client chose to send."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
