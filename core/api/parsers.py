"""The request bodies the API reads (JSON, form data, multipart), refusing unreadable ones as 400."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser, MultiPartParser


class PortalJSONParser(JSONParser):
    """JSON, with a body nested too deeply for Python's parser (``[[[[…``, thousands deep)
    refused as a parse error (400) instead of escaping as a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the document is nested too deeply.") from None


class PortalMultiPartParser(MultiPartParser):
    """Multipart form data, with a body that holds no readable part (no field, no file: parts
    without a name, or not multipart at all behind the header) refused as a parse error (400),
    not read as an empty form: a PATCH of such a body answered 200 having changed nothing."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if not parsed.data and not parsed.files and length not in ("", "0"):
            raise exceptions.ParseError("Multipart form parse error - no field or file could be read from the body.")
        return parsed
