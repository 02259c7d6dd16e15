"""The bounded sort key of committees 0007 and liaisons 0005, fixed here so those migrations mean
the same whatever ``core.references.natural_sort_key`` becomes. (The migration loader skips
modules whose name starts with "_".)"""

import re

_DIGITS = re.compile(r"[0-9]+")


def _number_key(match):
    digits = match.group(0).lstrip("0") or "0"
    return f"{min(len(digits), 99):02d}{digits}"


def bounded_sort_key(text):
    """``core.references.natural_sort_key`` as of this migration (kept here so the
    migration means the same whatever the function becomes)."""
    return _DIGITS.sub(_number_key, text.casefold())


def rewrite_keys(apps, schema_editor, app_label, model_names, source):
    database = schema_editor.connection.alias
    for name in model_names:
        model = apps.get_model(app_label, name)
        rows = model.objects.using(database).only(model._meta.pk.attname, source, "sort_key")
        changed = []
        for row in rows.iterator(chunk_size=2000):
            key = bounded_sort_key(getattr(row, source) or "")
            if key != row.sort_key:
                row.sort_key = key
                changed.append(row)
        model.objects.using(database).bulk_update(changed, ["sort_key"], batch_size=500)
