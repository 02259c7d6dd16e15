"""Choosing the format of an answer from ``?format=`` and the Accept header."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class PortalContentNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is 406 Not Acceptable (as an unknown Accept header is), with the
    formats there are, rather than DRF's bare 404, which would read as "no such record"."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.NotAcceptable(f"Unknown format “{format[:50]}”: use one of {known}.")
        return matching
