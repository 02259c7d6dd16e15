"""`Authorization: Token <key>` against the hashed tokens of api_tokens.models.

A subclass of DRF's TokenAuthentication, so the header's parsing, its error messages and the
`WWW-Authenticate: Token` challenge are DRF's, and drf-spectacular still declares the scheme as
`tokenAuth`. Only the lookup differs: the key is hashed and the digest looked up, and an expired or
revoked token is refused with a message saying which."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api_tokens.models import ApiToken, TokenStatus

# last_used is written at most this often per token, so authenticated reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.objects.for_key(key).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        status = token.status(now)
        if status == TokenStatus.REVOKED:
            raise exceptions.AuthenticationFailed(
                f"Token revoked on {token.revoked:%Y-%m-%d %H:%M} UTC; ask an administrator for a new one."
            )
        if status == TokenStatus.EXPIRED:
            raise exceptions.AuthenticationFailed(
                f"Token expired on {token.expires:%Y-%m-%d %H:%M} UTC; ask an administrator for a new one."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token
