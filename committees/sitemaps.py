"""Sitemap sections for committee, group and standard pages (casco_portal/sitemaps.py)."""

from casco_portal.sitemaps import RecordSitemap

from .models import Committee, Group, Standard


class CommitteeSitemap(RecordSitemap):
    model = Committee


class GroupSitemap(RecordSitemap):
    model = Group


class StandardSitemap(RecordSitemap):
    model = Standard
