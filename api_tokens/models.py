"""API tokens kept as SHA-256 digests: the key is shown once, when it is made, and never stored.

A token belongs to a user, has a name saying what uses it ("grid-sync tool"), an expiry and, once
revoked, the moment it was revoked. A user may hold several; names are unique among a user's
unrevoked tokens. Keys are random (256 bits for new ones, 160 for the DRF keys migrated in
0002), so an unsalted SHA-256 digest cannot be turned back into a key: a leaked backup or a look
at the admin gives nobody a working token. Lookup is one indexed query on the digest."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

KEY_PREFIX = "casco_"  # makes a leaked key recognisable (secret scanners, log reviews)
MIN_DAYS = 1
MAX_DAYS = 3650


def new_key() -> str:
    """A fresh key: the prefix and 43 URL-safe characters (256 random bits), no spaces."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class TokenStatus(models.TextChoices):
    ACTIVE = "active", "active"
    EXPIRED = "expired", "expired"
    REVOKED = "revoked", "revoked"


class ApiTokenQuerySet(models.QuerySet):
    def unrevoked(self):
        return self.filter(revoked__isnull=True)

    def active(self, now=None):
        return self.unrevoked().filter(expires__gt=now or timezone.now())

    def expired(self, now=None):
        return self.unrevoked().filter(expires__lte=now or timezone.now())

    def revoked(self):
        return self.filter(revoked__isnull=False)

    def with_status(self, status, now=None):
        if status == TokenStatus.ACTIVE:
            return self.active(now)
        if status == TokenStatus.EXPIRED:
            return self.expired(now)
        return self.revoked()

    def for_key(self, key: str):
        """The token whose key is `key` (a one-row queryset, with its user), or none."""
        return self.select_related("user").filter(digest=key_digest(key))

    def for_listing(self):
        return self.select_related("user").order_by("user__username", "name", "-created")


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses this token, e.g. “grid-sync tool”.")
    # SHA-256 of the key, hex. Never the key itself.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked__isnull=True),
                name="api_token_name_unique_per_user_unrevoked",
                violation_error_message="This user already has an unrevoked token with this name.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_not_blank"),
            models.CheckConstraint(condition=Q(expires__gt=F("created")), name="api_token_expires_after_created"),
        ]

    def __str__(self):
        return f"{self.name} ({self.user})" if self.user_id else self.name

    def get_absolute_url(self):
        return reverse("admin:api_tokens_apitoken_change", args=[self.pk])

    def status(self, now=None) -> TokenStatus:
        if self.revoked is not None:
            return TokenStatus.REVOKED
        if self.expires <= (now or timezone.now()):
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    def clean(self):
        errors = {}
        if not self.name.strip():
            errors["name"] = "Give the token a name saying what uses it."
        elif self.user_id and self.revoked is None:
            clash = ApiToken.objects.active().filter(user_id=self.user_id, name=self.name).exclude(pk=self.pk)
            if clash.exists():
                errors["name"] = (
                    f"{self.user} already has an active token named “{self.name}”: revoke it first or choose another name."
                )
        if self.expires is not None and self.created is not None and self.expires <= self.created:
            errors["expires"] = "A token must expire after it is created."
        if errors:
            raise ValidationError(errors)
