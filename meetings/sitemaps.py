"""Sitemap section for meeting pages (casco_portal/sitemaps.py)."""

from casco_portal.sitemaps import RecordSitemap

from .models import Meeting


class MeetingSitemap(RecordSitemap):
    model = Meeting
