"""Sitemap section for meeting pages (core/sitemaps.py)."""

from core.sitemaps import RecordSitemap
from meetings.models import Meeting


class MeetingSitemap(RecordSitemap):
    model = Meeting
