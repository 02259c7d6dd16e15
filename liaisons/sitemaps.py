"""Sitemap section for organization pages (core/sitemaps.py). A committee liaison has no
page of its own: it is a row of the liaison table and of its committee's page."""

from core.sitemaps import RecordSitemap
from liaisons.models import Organization


class OrganizationSitemap(RecordSitemap):
    model = Organization
