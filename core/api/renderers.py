"""The formats the API answers in besides JSON: CSV (``?format=csv``, ``Accept: text/csv``) and
the browsable API (``?format=api``, ``Accept: text/html``)."""

import io

from rest_framework import renderers, status

from core.csv_export import write_csv

_LABEL_KEYS = ("reference", "acronym", "slug")
_SKIPPED_IN_LABELS = {"id", "url", "api_url", "slug", "title", "name", "created_at", "updated_at"}


def _label(value):
    """A short text for one item of a nested list: its reference or acronym, or its parts."""
    if isinstance(value, dict):
        for key in _LABEL_KEYS:
            if value.get(key):
                return str(value[key])
        return " ".join(
            _label(item)
            for key, item in value.items()
            if key not in _SKIPPED_IN_LABELS and item not in (None, "") and not isinstance(item, bool)
        )
    if isinstance(value, list):
        return "; ".join(_label(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class CSVRenderer(renderers.BaseRenderer):
    """One row per record (the current page of a list), one column per field; a nested record
    becomes its reference (or acronym), a nested list one cell joined with “; ”. The cells go
    through the pages' writer (``core.csv_export``), which neutralises formulas."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows, columns = data["results"], self._columns(renderer_context)
        elif isinstance(data, list):
            rows, columns = data, self._columns(renderer_context)
        else:
            rows, columns = [data], list(data) if isinstance(data, dict) else ["value"]
        rows = [row if isinstance(row, dict) else {"value": row} for row in rows]
        columns = list(dict.fromkeys([*columns, *(key for row in rows for key in row)]))
        out = io.StringIO()
        write_csv(out, columns, ([_label(row.get(column)) for column in columns] for row in rows))
        return out.getvalue().encode(self.charset)

    @staticmethod
    def _columns(renderer_context):
        view = (renderer_context or {}).get("view")
        serializer_class = getattr(view, "serializer_class", None)
        return list(serializer_class().fields) if serializer_class else []


class PortalBrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API (``?format=api``, ``Accept: text/html``), except that a delete answers
    204 with no body as in every other format (DRF's renderer turns it into a 200 page): the
    schema documents one status for DELETE, and the browsable API's script, given no HTML back,
    goes to the record's address, which then answers 404."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == status.HTTP_204_NO_CONTENT:
            return b""
        return super().render(data, accepted_media_type, renderer_context)
