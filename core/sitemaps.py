"""`/sitemap.xml` (Django's sitemaps framework) and `/robots.txt`: how search engines find every
public record without crawling.

The sitemap lists the home page, the structure and the five list pages, then every committee,
group, standard, organization and meeting page (each app's ``sitemaps.py`` subclasses
:class:`RecordSitemap`), each with ``lastmod`` from the record's last change (``updated_at``);
a list page's ``lastmod`` is the latest change among the records it lists. Addresses are built
on ``SITE_DOMAIN`` with the scheme of the request (https behind the load balancer), not on the
host name a request happened to use, so every copy of the portal points crawlers at one canonical
address; the Sites framework (and its table) is not needed.

Each section reads its rows in one query (plus the paginator's count), whatever their number.
robots.txt names the sitemap by its absolute address and keeps crawlers out of the admin, the
API's login and the search results (an unbounded set of addresses repeating the record pages)."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property


class PortalSitemap(Sitemap):
    """A sitemap section whose addresses are on SITE_DOMAIN."""

    def get_domain(self, site=None):
        return settings.SITE_DOMAIN


class RecordSitemap(PortalSitemap):
    """Every record of ``model`` with a page of its own, read with only the fields its address
    and ``lastmod`` need."""

    model = None
    fields = ("slug", "updated_at")

    def items(self):
        return self.model._default_manager.only(*self.fields).order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PagesSitemap(PortalSitemap):
    """Pages that show many records: ``pages`` is a list of (URL name, models shown); a page's
    lastmod is the latest ``updated_at`` of those models (one aggregate per model, per request:
    build a new instance for each request, as the sitemap view does with a class)."""

    pages = ()

    def items(self):
        return [name for name, _ in self.pages]

    def location(self, item):
        return reverse(item)

    @cached_property
    def _latest(self):
        models = {model for _, shown in self.pages for model in shown}
        return {model: model._default_manager.aggregate(latest=Max("updated_at"))["latest"] for model in models}

    def lastmod(self, item):
        shown = dict(self.pages)[item]
        dates = [self._latest[model] for model in shown if self._latest[model] is not None]
        return max(dates, default=None)


def sitemap_url(request):
    """The sitemap's absolute address, on SITE_DOMAIN."""
    return f"{request.scheme}://{settings.SITE_DOMAIN}{reverse('sitemap')}"


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/v1/auth/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap_url(request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
