"""Writes on API tokens: issue one (the only moment its key exists outside the client), revoke.

The admin, the management commands and the tests all go through these functions."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api_tokens.models import MAX_DAYS, MIN_DAYS, ApiToken, key_digest, new_key


def default_days() -> int:
    return settings.API_TOKEN_TTL_DAYS


def validate_days(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        raise ValidationError(
            {"expires": f"A token lasts from {MIN_DAYS} to {MAX_DAYS} days (whole days), not {days!r}."}
        )
    return days


@transaction.atomic
def api_token_issue(*, token: ApiToken, days: int | None = None) -> str:
    """Give the unsaved `token` (user and name set) a fresh key and an expiry `days` ahead (the
    API_TOKEN_TTL_DAYS setting by default), validate and save it; return the key, which is stored
    nowhere. An expired, unrevoked token of the same user and name is marked revoked first, so the
    name can be reused once a token has run out."""
    days = validate_days(default_days() if days is None else days)
    now = timezone.now()
    token.created = now
    token.expires = now + timedelta(days=days)
    key = new_key()
    token.digest = key_digest(key)
    ApiToken.objects.expired(now).filter(user_id=token.user_id, name=token.name).update(revoked=now)
    token.full_clean()
    token.save()
    return key


def api_token_create(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    token = ApiToken(user=user, name=name)
    return token, api_token_issue(token=token, days=days)


@transaction.atomic
def api_tokens_revoke(*, tokens) -> int:
    """Mark every unrevoked token of the `tokens` queryset revoked now; return how many. Revoked
    rows are kept (the admin shows when), and requests with them get 401 “Token revoked”."""
    return tokens.unrevoked().update(revoked=timezone.now())
