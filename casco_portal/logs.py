"""Structured log lines: one JSON object per record, for production log collectors. A record about a
request carries its method, path and the client's address, read by core.security.client_ip
like everywhere else (so a spoofed X-Forwarded-For does not reach the logs unless it is trusted)."""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None:
            line["method"] = getattr(request, "method", None)
            line["path"] = getattr(request, "path", None)
            if hasattr(request, "META"):
                # Imported here: the formatter is built while logging is configured, before the apps.
                from core.security import client_ip

                line["client"] = client_ip(request)
        status = getattr(record, "status_code", None)
        if status is not None:
            line["status"] = status
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
