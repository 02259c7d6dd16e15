"""Sitemap section for organization pages (casco_portal/sitemaps.py). A committee liaison has no
page of its own: it is a row of the liaison table and of its committee's page."""

from casco_portal.sitemaps import RecordSitemap

from .models import Organization


class OrganizationSitemap(RecordSitemap):
    model = Organization
