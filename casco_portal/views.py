"""The site-wide pages: the home page, the structure picture of ISO/CASCO and the search across
every kind of record. They read several apps' records, so they live with the project rather than in
one domain app."""

from urllib.parse import urlencode

from django.views.generic import TemplateView

from casco_portal.forms import SearchForm
from casco_portal.search import portal_search_with_totals
from committees.models import CASCO_REFERENCE, Committee, Group, GroupKind
from core.links import view_url
from core.search import site_definitions
from core.views import PortalPageMixin, sources_of
from liaisons.models import CommitteeLiaison, Organization
from meetings.models import Meeting


def casco_committee(*prefetch):
    """ISO/CASCO with its source page and the given relations prefetched; None before an import."""
    return (
        Committee.objects.select_related("source").prefetch_related(*prefetch).filter(reference=CASCO_REFERENCE).first()
    )


def liaison_counts():
    """Counts of CASCO's committee liaisons: {"incoming": 42, "outgoing": 27, "both": 21, "total": 48}."""
    return CommitteeLiaison.objects.held_by(CASCO_REFERENCE).direction_counts()


class HomeView(PortalPageMixin, TemplateView):
    template_name = "home.html"

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        self.casco = casco_committee("terms_of_reference")
        context = super().get_context_data(**kwargs)
        context.update(
            casco=self.casco,
            group_count=Group.objects.involving(self.casco).count() if self.casco else 0,
            liaison_counts=liaison_counts(),
            organization_count=Organization.objects.in_liaison().count(),
            latest_meeting=Meeting.objects.for_list().first(),
        )
        return context

    def get_sources(self):
        return [self.casco.source] if self.casco and self.casco.source else []


class StructureView(PortalPageMixin, TemplateView):
    """CASCO's organisation at a glance: its groups by type, joint groups with their partner
    committees, and the joint groups CASCO takes part in under other committees."""

    template_name = "structure.html"

    def get_breadcrumbs(self):
        return [("Structure", None)]

    def get_context_data(self, **kwargs):
        self.casco = casco_committee()
        context = super().get_context_data(**kwargs)
        sections, elsewhere = [], []
        if self.casco:
            own = list(Group.objects.of_committee(self.casco).for_table())
            labels = dict(GroupKind.choices)
            for kind in GroupKind.values:
                groups = [group for group in own if group.kind == kind]
                if groups:
                    sections.append({"kind": kind, "label": labels[kind], "groups": groups})
            partnered = (
                Group.objects.filter(partner_committees=self.casco)
                .exclude(committee=self.casco)
                .select_related("committee__parent")
                .prefetch_related("partner_committees")
            )
            by_parent = {}
            for group in partnered:
                top = group.committee.parent or group.committee
                by_parent.setdefault(top, []).append(group)
            elsewhere = [{"committee": top, "groups": groups} for top, groups in by_parent.items()]
        context.update(
            casco=self.casco,
            sections=sections,
            elsewhere=elsewhere,
            liaison_counts=liaison_counts(),
            organization_count=Organization.objects.in_liaison().count(),
        )
        return context

    def get_sources(self):
        return [self.casco.source] if self.casco and self.casco.source else []


class SearchView(PortalPageMixin, TemplateView):
    template_name = "search.html"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET or None)
        response = super().get(request, *args, **kwargs)
        if self.form.is_bound and not self.form.is_valid():
            response.status_code = 400
        return response

    def get_breadcrumbs(self):
        return [("Search", None)]

    def get_context_data(self, **kwargs):
        query = ""
        if self.form.is_bound and self.form.is_valid():
            query = self.form.cleaned_data["q"]
        results, totals = portal_search_with_totals(query) if query else ({}, {})
        self.found = results
        definitions = {definition.kind: definition for definition in site_definitions()}
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            query=query,
            sections=[
                {
                    "kind": kind,
                    "label": definitions[kind].label,
                    "results": records,
                    "total": totals[kind],
                    # Where more match than are shown: the list page that filters by the same text.
                    "browse_url": f"{view_url(definitions[kind].list_url)}?{urlencode({'q': query})}"
                    if totals[kind] > len(records) and definitions[kind].list_url
                    else None,
                }
                for kind, records in results.items()
                if records
            ],
            result_count=sum(totals.values()),
            shown_count=sum(len(records) for records in results.values()),
        )
        return context

    def get_sources(self):
        return sources_of(Committee, (r.source_id for records in self.found.values() for r in records))
