"""Sitemap sections for committee, group and standard pages (core/sitemaps.py)."""

from committees.models import Committee, Group, Standard
from core.sitemaps import RecordSitemap


class CommitteeSitemap(RecordSitemap):
    model = Committee


class GroupSitemap(RecordSitemap):
    model = Group


class StandardSitemap(RecordSitemap):
    model = Standard
