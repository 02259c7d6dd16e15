"""Move the tokens of DRF's authtoken app (one a user, key stored in clear) into api_tokens,
hashed: clients keep working with the key they have until it expires, API_TOKEN_TTL_DAYS after
this migration runs. The clear keys are then deleted from authtoken_token (the table itself is
left, empty, to DRF's migrations). A database that never had authtoken is left alone."""

import hashlib
from datetime import UTC, timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

LEGACY_TABLE = "authtoken_token"
MIGRATED_NAME = "API token (migrated from DRF)"


def _aware(value, default):
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return default
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def import_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("api_tokens", "ApiToken")
    now = timezone.now()
    expires = now + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} FROM {quote(LEGACY_TABLE)}")
        rows = cursor.fetchall()
        ApiToken.objects.using(connection.alias).bulk_create(
            ApiToken(
                user_id=user_id,
                name=MIGRATED_NAME,
                digest=hashlib.sha256(key.encode()).hexdigest(),
                created=min(_aware(created, now), now),
                expires=expires,
            )
            for key, user_id, created in rows
        )
        cursor.execute(f"DELETE FROM {quote(LEGACY_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("api_tokens", "0001_initial")]

    operations = [migrations.RunPython(import_drf_tokens, migrations.RunPython.noop, elidable=False)]
