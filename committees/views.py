"""Browsing pages for committees, groups and standards, and the copies of the source pages."""

import hashlib

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404

from committees.filters import CommitteeFilter, GroupFilter
from committees.models import CASCO_REFERENCE, Committee, Group, SourcePage, Standard
from core.links import view_url
from core.views import FilteredListView, PortalDetailView
from liaisons.models import CommitteeLiaison
from meetings.models import Meeting


def _casco_liaison(committee):
    """The committee's liaison with CASCO, from the prefetched ``liaisons_with_casco``."""
    return next(iter(getattr(committee, "liaisons_with_casco", [])), None)


def _yes_no(liaison, attribute):
    return "yes" if liaison is not None and getattr(liaison, attribute) else "no"


def _casco_liaison_prefetch():
    return Prefetch(
        "liaisons_held_by",
        queryset=CommitteeLiaison.objects.held_by(CASCO_REFERENCE),
        to_attr="liaisons_with_casco",
    )


class CommitteeListView(FilteredListView):
    template_name = "committees/committee_list.html"
    filterset_class = CommitteeFilter
    csv_name = "committees"
    csv_columns = (
        ("reference", lambda c: c.reference),
        ("title", lambda c: c.title),
        ("body", lambda c: c.body),
        ("kind", lambda c: c.get_kind_display()),
        ("parent", lambda c: c.parent.reference if c.parent else ""),
        ("can access CASCO's documents", lambda c: _yes_no(_casco_liaison(c), "can_access_documents")),
        ("CASCO can access theirs", lambda c: _yes_no(_casco_liaison(c), "documents_accessible")),
    )

    def get_base_queryset(self):
        return Committee.objects.for_list().prefetch_related(_casco_liaison_prefetch())

    def get_breadcrumbs(self):
        return [("Committees", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for committee in context["object_list"]:
            committee.casco_liaison = _casco_liaison(committee)
        return context


class CommitteeDetailView(PortalDetailView):
    template_name = "committees/committee_detail.html"

    def get_queryset(self):
        return Committee.objects.select_related("parent", "source").prefetch_related(
            "terms_of_reference",
            Prefetch(
                "subcommittees",
                queryset=Committee.objects.prefetch_related(
                    _casco_liaison_prefetch(), Prefetch("groups", queryset=Group.objects.order_by("sort_key"))
                ),
            ),
            _casco_liaison_prefetch(),
            Prefetch("groups", queryset=Group.objects.prefetch_related("partner_committees", "partner_organizations")),
            Prefetch("joint_groups", queryset=Group.objects.select_related("committee")),
            Prefetch("meetings", queryset=Meeting.objects.select_related("host")),
        )

    def get_breadcrumbs(self):
        crumbs = [("Committees", view_url("committees:list"))]
        if self.object.parent:
            crumbs.append((self.object.parent.reference, self.object.parent.get_absolute_url()))
        return [*crumbs, (self.object.reference, None)]

    def get_context_data(self, **kwargs):
        committee = self.object
        context = super().get_context_data(**kwargs)
        for sub in committee.subcommittees.all():
            sub.casco_liaison = _casco_liaison(sub)
        context.update(
            is_casco=committee.reference == CASCO_REFERENCE,
            casco_liaison=_casco_liaison(committee),
            liaison_counts=CommitteeLiaison.objects.held_by(CASCO_REFERENCE).direction_counts()
            if committee.reference == CASCO_REFERENCE
            else None,
            joint_groups=[
                g for g in committee.groups.all() if g.partner_committees.all() or g.partner_organizations.all()
            ]
            + list(committee.joint_groups.all()),
        )
        return context


class GroupListView(FilteredListView):
    template_name = "committees/group_list.html"
    filterset_class = GroupFilter
    csv_name = "groups"
    csv_columns = (
        ("reference", lambda g: g.reference),
        ("title", lambda g: g.title),
        ("type", lambda g: g.get_kind_display()),
        ("responsible committee", lambda g: g.committee.reference),
        ("partner committees", lambda g: "; ".join(c.reference for c in g.partner_committee_list)),
        ("partner organizations", lambda g: "; ".join(o.acronym for o in g.partner_organization_list)),
        ("standards", lambda g: "; ".join(s.reference for s in g.standards.all())),
    )

    def get_base_queryset(self):
        return Group.objects.for_table()

    def render_csv(self, rows):
        return super().render_csv(rows.with_standards())

    def get_breadcrumbs(self):
        return [("Groups", None)]


class GroupDetailView(PortalDetailView):
    template_name = "committees/group_detail.html"

    def get_queryset(self):
        return (
            Group.objects.for_detail()
            .select_related("committee__parent")
            .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.select_related("host")))
        )

    def get_breadcrumbs(self):
        return [("Groups", view_url("committees:group-list")), (self.object.reference, None)]

    def get_sources(self):
        sources = [self.object.source, self.object.description_source]
        return [s for i, s in enumerate(sources) if s and s not in sources[:i]]


class StandardDetailView(PortalDetailView):
    template_name = "committees/standard_detail.html"

    def get_queryset(self):
        return Standard.objects.select_related("source").prefetch_related(
            "group_standards__group__committee",
        )

    def get_breadcrumbs(self):
        return [("Groups", view_url("committees:group-list")), (self.object.reference, None)]


class SourcePageView(PortalDetailView):
    """The copy of a published page the data was imported from, as plain text: the version the
    records were last imported from (``SourcePage.sha256``), or an earlier kept version named by
    ``?version=<sha256>``. Copies imported before versions were kept are read from
    fixtures/sources/ if the file there is that version."""

    template_name = "committees/sourcepage_detail.html"
    slug_field = "file_name"
    slug_url_kwarg = "file_name"
    context_object_name = "source_page"

    def get_queryset(self):
        return SourcePage.objects.all()

    def get_breadcrumbs(self):
        return [("Sources", None), (self.object.title, None)]

    def get_sources(self):
        return [self.object]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.object
        versions = list(page.versions.only("sha256", "imported_at").order_by("-imported_at"))
        wanted = self.request.GET.get("version") or page.sha256
        version = page.versions.filter(sha256=wanted).first()
        if version is not None:
            text = version.text
        elif wanted == page.sha256:
            text = self._kept_file_text(page)
        else:
            raise Http404("No copy of this version is kept.")
        context.update(text=text, shown_sha256=wanted, versions=versions)
        return context

    @staticmethod
    def _kept_file_text(page):
        path = (settings.SOURCE_PAGES_DIR / page.file_name).resolve()
        if path.parent != settings.SOURCE_PAGES_DIR.resolve() or not path.is_file():
            raise Http404("No copy of this page is kept.")
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != page.sha256:
            raise Http404("The copy of this page kept here is not the version the records came from.")
        return raw.decode("utf-8")
