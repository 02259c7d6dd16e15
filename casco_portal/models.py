"""The project's own table: the data version that keys the public response cache."""

from django.db import models
from django.db.models import Q


class DataVersion(models.Model):
    """One row (id 1), moved on by every write to a portal record in that write's own transaction
    (casco_portal/cache.py). Kept in the database, not in the cache, so that every process of
    every app server reads the same value and no write can fail to move it: a cache that lost
    or missed a bump can never serve a page cached before the write."""

    version = models.BigIntegerField()
    changed_at = models.DateTimeField(help_text="When a write last moved the version on.")

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(id=1), name="data_version_single_row")]

    def __str__(self):
        return f"data version {self.version}"
